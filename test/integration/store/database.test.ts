import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as apiKeys from '../../../src/store/api-keys.repository.js';
import { createDatabase, IN_MEMORY } from '../../../src/store/database.js';
import { scratchDir, seedDataDir } from '../../helpers/db-template.js';
import { migrateToLatest } from '../../../src/store/migrations/index.js';
import { backends, uniqueEmail } from './backends.js';

describe.each(backends)('createDatabase on $name', (backend) => {
  it('reports its kind, answers ping and closes more than once', async () => {
    const store = await backend.open();
    expect(store.kind).toBe(backend.name);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.ping()).rejects.toThrow();
    await store.dispose();
  });
});

describe('createDatabase', () => {
  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(createDatabase({ dataDir: IN_MEMORY, schema: 'x; drop table y' })).rejects.toThrow(/invalid schema name/);
  });

  it('makes migrations fail clearly when the configured schema does not exist', async () => {
    const dataDir = await mkdtemp(join(scratchDir(), 'store-schema-'));
    seedDataDir(dataDir, { migrated: false });
    const store = await createDatabase({ dataDir, schema: 'missing_schema' });
    try {
      await expect(migrateToLatest(store.db)).rejects.toThrow(/no schema on the search_path exists/);
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('embedded PGlite on disk', () => {
    const dirs: string[] = [];
    afterAll(async () => {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    });

    // A new cluster is the template's (initialized once per template by createDatabase itself, in
    // the global setup): no test runs initdb.
    it('migrates a new cluster in ${dataDir}/pglite and keeps its data across close and reopen', async () => {
      const dataDir = join(await mkdtemp(join(scratchDir(), 'store-pglite-')), 'nested', 'data');
      dirs.push(dataDir);
      seedDataDir(dataDir, { migrated: false });
      const owner = uniqueEmail('persist');

      const first = await createDatabase({ dataDir });
      expect(first.kind).toBe('pglite');
      expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
      expect((await migrateToLatest(first.db)).applied.length).toBeGreaterThan(0);
      const { plainKey } = await apiKeys.createApiKey(first.db, { ownerEmail: owner, kind: 'EXTERNAL_USER', createdBy: owner });
      await first.close();

      const second = await createDatabase({ dataDir });
      try {
        expect(await migrateToLatest(second.db)).toEqual({ applied: [] });
        expect((await apiKeys.findActiveByKey(second.db, plainKey))?.ownerEmail).toBe(owner);
      } finally {
        await second.close();
      }
    });
  });
});
