/**
 * Vitest's global setup: the database templates every test file starts from (db-template.ts),
 * built before any worker starts so that no test file pays for `initdb`, and one temporary folder
 * for the run (`scratchDir()`), removed with everything the tests left in it when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareTemplates } from './db-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    scratchDir: string;
  }
}

export async function setup(project: TestProject): Promise<() => void> {
  await prepareTemplates();
  const scratch = mkdtempSync(join(tmpdir(), 'gateway-tests-'));
  project.provide('scratchDir', scratch);
  return () => rmSync(scratch, { recursive: true, force: true });
}
