/**
 * Upgrading PGlite across a PostgreSQL major: a data directory written by another major is
 * refused with what to do (PGlite alone fails with "failed to initialize"), or moved aside in
 * demo mode, never opened half-way or deleted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/store/database.js';
import { IncompatibleDatabaseError } from '../../../src/store/errors.js';
import { PGLITE_POSTGRES_MAJOR } from '../../../src/store/pglite-directory.js';
import { scratchDir, templateDirs } from '../../helpers/db-template.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDirWithOldDatabase(): Promise<string> {
  const dataDir = await mkdtemp(join(scratchDir(), 'store-pgver-'));
  dirs.push(dataDir);
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
    const warnings: Record<string, unknown>[] = [];
    const logger = { info: () => {}, error: () => {}, warn: (obj: Record<string, unknown>) => void warnings.push(obj) };
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
