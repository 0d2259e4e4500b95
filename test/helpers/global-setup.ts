/**
 * Vitest's global setup: the database templates every test file starts from (db-template.ts),
 * built before any worker starts so that no test file pays for `initdb`.
 */
import { prepareTemplates } from './db-template.js';

export async function setup(): Promise<void> {
  await prepareTemplates();
}
