/**
 * A gateway process of the test build: `src/main.ts` plus the idempotency fault hooks, which kill
 * the process outright (SIGKILL: no cleanup, no lock release, no last writes) at the point named
 * by FAULT_AT — `afterClaim` (the key is claimed, nothing sent yet) or `beforeResultsRecorded` (an
 * upstream call answered, its results not yet recorded) — of the request with idempotency key
 * FAULT_KEY (other requests run normally).
 */
import { loadConfig } from '../../../src/config.js';
import { startApp } from '../../../src/app.js';
import type { IdempotencyFaults } from '../../../src/idempotency/idempotent-run.js';
import { createLogger } from '../../../src/logger.js';

const die = async (key: string): Promise<void> => {
  if (key !== process.env.FAULT_KEY) return;
  process.kill(process.pid, 'SIGKILL');
  await new Promise<never>(() => undefined);
};
const point = process.env.FAULT_AT;
const faults: IdempotencyFaults = point === 'afterClaim' ? { afterClaim: die } : point === 'beforeResultsRecorded' ? { beforeResultsRecorded: die } : {};

const config = loadConfig();
const app = await startApp(config, { logger: createLogger(config.logLevel), faults: { idempotency: faults } });
process.stdout.write(app.banner);
