/**
 * Vitest's global setup: the database templates every test file starts from (db-template.ts),
 * built before any worker starts so that no test file pays for `initdb`; the compiled entries that
 * tests start as processes (node-process.ts); and one temporary folder for the run
 * (`scratchDir()`), removed with everything the tests left in it when the run ends.
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareTemplates } from './db-template.js';
import { compileEntries } from './node-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    scratchDir: string;
  }
}

/** Room the run's folder needs at its peak (a few dozen database copies of some 40 MB at once). */
const SCRATCH_ROOM = 2 * 1024 ** 3;

/**
 * Where the run's folder goes: a memory file system when the machine has one with room, else the
 * system's temporary folder. A run copies some 6 GB of databases and deletes them soon after; on
 * disk that is most of the suite's system time and waits for the disk, in memory a fraction.
 */
function scratchRoot(): string {
  try {
    const shm = statfsSync('/dev/shm');
    if (shm.bavail * shm.bsize >= SCRATCH_ROOM) return '/dev/shm';
  } catch {
    // no /dev/shm (not Linux)
  }
  return tmpdir();
}

export async function setup(project: TestProject): Promise<() => void> {
  await Promise.all([prepareTemplates(), compileEntries()]);
  const scratch = mkdtempSync(join(scratchRoot(), 'gateway-tests-'));
  project.provide('scratchDir', scratch);
  return () => rmSync(scratch, { recursive: true, force: true });
}
