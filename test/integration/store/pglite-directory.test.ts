/**
 * The embedded database's directory (src/store/pglite-directory.ts, pglite-initdb.ts).
 *
 * - Upgrading PGlite across a PostgreSQL major: a data directory written by another major is
 *   refused with what to do (PGlite alone fails with "failed to initialize"), or moved aside in
 *   demo mode, never opened half-way or deleted.
 * - A new directory is created by a child process and renamed into place: what an interrupted
 *   first start left behind is cleared or kept aside, and a child that fails says why.
 *
 * Each test that creates a directory runs `initdb` once (seconds of CPU).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/store/database.js';
import { IncompatibleDatabaseError } from '../../../src/store/errors.js';
import { PGLITE_POSTGRES_MAJOR } from '../../../src/store/pglite-directory.js';
import { initializePgliteDirectory } from '../../../src/store/pglite-initdb.js';
import { scratchDir, templateDirs } from '../../helpers/db-template.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newDataDir(): Promise<string> {
  const dataDir = await mkdtemp(join(scratchDir(), 'store-pgdir-'));
  dirs.push(dataDir);
  return dataDir;
}

/** A logger that keeps its warnings. */
function warningsLogger() {
  const warnings: Record<string, unknown>[] = [];
  return { warnings, logger: { info: () => {}, error: () => {}, warn: (obj: Record<string, unknown>) => void warnings.push(obj) } };
}

async function dataDirWithOldDatabase(): Promise<string> {
  const dataDir = await newDataDir();
  mkdirSync(join(dataDir, 'pglite'));
  writeFileSync(join(dataDir, 'pglite', 'PG_VERSION'), '17\n');
  writeFileSync(join(dataDir, 'pglite', 'postgresql.conf'), '# written by PostgreSQL 17\n');
  return dataDir;
}

describe('the embedded database directory across PostgreSQL majors', () => {
  it('names the major the installed PGlite writes', () => {
    // The fresh template is a directory createDatabase initialized with the installed PGlite (its
    // cache is keyed by PGlite's version: db-template.ts); the demo-mode test below initializes one
    // more (each `initdb` is seconds of CPU).
    expect(readFileSync(join(templateDirs().fresh, 'pglite', 'PG_VERSION'), 'utf8').trim()).toBe(PGLITE_POSTGRES_MAJOR);
  });

  it('refuses a directory of another major with what to do, and leaves it untouched', async () => {
    const dataDir = await dataDirWithOldDatabase();
    const opening = createDatabase({ dataDir });
    await expect(opening).rejects.toBeInstanceOf(IncompatibleDatabaseError);
    await expect(opening).rejects.toThrow(new RegExp(`written by PostgreSQL 17 .* embeds PostgreSQL ${PGLITE_POSTGRES_MAJOR}.*mv `));
    expect(readFileSync(join(dataDir, 'pglite', 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(readdirSync(dataDir)).toEqual(['pglite']);
  });

  it('in demo mode moves it aside, says so, and starts on a fresh directory', async () => {
    const dataDir = await dataDirWithOldDatabase();
    const { warnings, logger } = warningsLogger();
    const store = await createDatabase({ dataDir, onIncompatibleDirectory: 'move-aside', logger });
    try {
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('pglite-pg17-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dataDir, aside[0]!, 'postgresql.conf'), 'utf8')).toContain('PostgreSQL 17');
    expect(readFileSync(join(dataDir, 'pglite', 'PG_VERSION'), 'utf8').trim()).toBe(PGLITE_POSTGRES_MAJOR);
    expect(warnings).toEqual([expect.objectContaining({ movedTo: join(dataDir, aside[0]!) })]);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
  });
});

describe('creating the embedded database in a new data directory', () => {
  it('clears what an interrupted first start left, keeps a half-written directory aside, and opens a working database', async () => {
    const dataDir = await newDataDir();
    // A child stopped while it initialized (its work directory), and a `pglite` that an older
    // start was writing into when it stopped (no PG_VERSION yet).
    mkdirSync(join(dataDir, 'pglite.init-999999', 'base'), { recursive: true });
    mkdirSync(join(dataDir, 'pglite'));
    writeFileSync(join(dataDir, 'pglite', 'postgresql.conf'), '# half-written\n');
    const { warnings, logger } = warningsLogger();

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
