import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../src/store/database.types.js';
import { MigrationError } from '../../../src/store/errors.js';
import { migrateToLatest, migrations } from '../../../src/store/migrations/index.js';
import { backends, openPostgresSchema, postgresUrl, type TestStore } from './backends.js';

const allNames = Object.keys(migrations);

async function tablesIn(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() order by table_name`.execute(db);
  return rows.map((row) => row.name);
}

describe.each(backends)('migrations on $name', (backend) => {
  const opened: TestStore[] = [];
  const open = async (migrate: boolean) => {
    const store = await backend.open({ migrate });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.dispose()));
  });

  it('creates every table on a fresh database, then is a no-op', async () => {
    const { db } = await open(false);
    expect(await tablesIn(db)).toEqual([]);

    const logger = { info: vi.fn(), error: vi.fn() };
    expect(await migrateToLatest(db, { logger })).toEqual({ applied: allNames });
    expect(logger.info).toHaveBeenCalledWith(expect.objectContaining({ applied: allNames }), 'database: migrations applied');
    expect(await tablesIn(db)).toEqual(
      expect.arrayContaining(['api_keys', 'apq_documents', 'audit_events', 'idempotency_keys', 'persisted_documents', 'rate_limit_buckets']),
    );
    expect(await migrateToLatest(db)).toEqual({ applied: [] });
  });

  it('lets concurrent callers on one database both succeed, applying each migration once', async () => {
    const { db } = await open(false);
    const results = await Promise.all([migrateToLatest(db), migrateToLatest(db)]);
    expect(results.map((result) => result.applied.length).sort()).toEqual([0, allNames.length]);
  });

  it('reports the failing migration by name and rolls the whole run back', async () => {
    const { db } = await open(false);
    const broken = {
      '0001_ok': { up: async (d: Kysely<unknown>) => void (await d.schema.createTable('ok_table').addColumn('id', 'integer').execute()) },
      '0002_broken': { up: async (d: Kysely<unknown>) => void (await sql`select * from no_such_table`.execute(d)) },
    };
    const error = await migrateToLatest(db, { migrations: broken }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migrationName).toBe('0002_broken');
    expect((error as MigrationError).message).toMatch(/0002_broken failed: .*no_such_table/);
    // Pending migrations run in one transaction: the one before the failure is undone too.
    expect(await tablesIn(db)).not.toContain('ok_table');
    expect(await migrateToLatest(db)).toEqual({ applied: allNames });
  });
});

// Registered only with a Postgres URL (see backend-config.test.ts), so nothing shows as skipped.
if (postgresUrl) {
  const url = postgresUrl;
  describe('migrations from several gateway instances', () => {
    it('two instances migrating one Postgres schema at once both succeed', async () => {
      const postgres = backends.find((b) => b.name === 'postgres')!;
      const first = await postgres.open({ migrate: false });
      const second = await openPostgresSchema(url, first.schema!);
      try {
        const results = await Promise.all([migrateToLatest(first.db), migrateToLatest(second.db)]);
        expect(results.map((result) => result.applied.length).sort()).toEqual([0, allNames.length]);
        expect(await migrateToLatest(second.db)).toEqual({ applied: [] });
      } finally {
        await second.close();
        await first.dispose();
      }
    });
  });
}
