/**
 * A new embedded database directory is created by a child process and renamed into place
 * (src/store/pglite-initdb.ts): what an interrupted first start leaves behind is cleared or kept
 * aside, and a child that fails says why. Each test runs `initdb` once (seconds of CPU).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/store/database.js';
import { PGLITE_POSTGRES_MAJOR } from '../../../src/store/pglite-directory.js';
import { initializePgliteDirectory } from '../../../src/store/pglite-initdb.js';
import { scratchDir } from '../../helpers/db-template.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newDataDir(): Promise<string> {
  const dataDir = await mkdtemp(join(scratchDir(), 'store-initdb-'));
  dirs.push(dataDir);
  return dataDir;
}

describe('creating the embedded database in a new data directory', () => {
  it('clears what an interrupted first start left, keeps a half-written directory aside, and opens a working database', async () => {
    const dataDir = await newDataDir();
    // A child stopped while it initialized (its work directory), and a `pglite` that an older
    // start was writing into when it stopped (no PG_VERSION yet).
    mkdirSync(join(dataDir, 'pglite.init-999999', 'base'), { recursive: true });
    mkdirSync(join(dataDir, 'pglite'));
    writeFileSync(join(dataDir, 'pglite', 'postgresql.conf'), '# half-written\n');
    const warnings: Record<string, unknown>[] = [];
    const logger = { info: () => {}, error: () => {}, warn: (obj: Record<string, unknown>) => void warnings.push(obj) };

    const store = await createDatabase({ dataDir, logger });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
    expect(readFileSync(join(dataDir, 'pglite', 'PG_VERSION'), 'utf8').trim()).toBe(PGLITE_POSTGRES_MAJOR);
    const names = readdirSync(dataDir);
    expect(names.filter((name) => name.startsWith('pglite.init-'))).toEqual([]);
    const aside = names.filter((name) => name.startsWith('pglite-incomplete-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0]!, 'postgresql.conf'), 'utf8')).toBe('# half-written\n');
    expect(warnings).toEqual([expect.objectContaining({ movedTo: join(dataDir, aside[0]!) })]);
  });

  it('reports why the child failed and leaves neither the directory nor its work directory behind', async () => {
    const dataDir = await newDataDir();
    const dir = join(dataDir, 'pglite');
    await expect(initializePgliteDirectory(dir, ['shared_buffers=plenty'])).rejects.toThrow(
      new RegExp(`^creating the embedded database in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ended with exit code 1: PGlite failed to initialize`),
    );
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
