/**
 * The backends every store suite runs on: an in-memory PGlite, and Postgres at
 * `TEST_DATABASE_URL` (CI exports it; `.ci/postgres.sh` prints one). Each `open()` gives a fresh,
 * migrated database of its own: a new PGlite (a copy of a template, test/helpers/db-template.ts), or a new schema on Postgres, so test files running
 * in parallel never see each other's rows. Without `TEST_DATABASE_URL` only PGlite is listed, and
 * `backend-config.test.ts` fails on CI.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, IN_MEMORY, type StoreDatabase } from '../../../src/store/database.js';
import { migrateToLatest } from '../../../src/store/migrations/index.js';
import { templateDatabase } from '../../helpers/db-template.js';

export const postgresUrl = process.env.TEST_DATABASE_URL || undefined;

export interface TestStore extends StoreDatabase {
  /** Postgres: the schema this store works in. */
  schema?: string;
  /** Closes the store and drops what it created. */
  dispose(): Promise<void>;
}

export interface StoreBackend {
  name: 'pglite' | 'postgres';
  /** A fresh empty database; migrated unless `migrate` is false. */
  open(options?: { migrate?: boolean }): Promise<TestStore>;
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const pglite: StoreBackend = {
  name: 'pglite',
  async open({ migrate = true } = {}) {
    // A copy of a template (no initdb): the migrated one, or the fresh cluster for migration tests.
    const store = await templateDatabase({ migrated: migrate });
    return { ...store, dispose: () => store.close() };
  },
};

/** A second store on an existing Postgres schema (for concurrency tests). */
export async function openPostgresSchema(url: string, schema: string): Promise<StoreDatabase> {
  return createDatabase({ databaseUrl: url, dataDir: IN_MEMORY, schema, maxConnections: 4 });
}

function postgres(url: string): StoreBackend {
  return {
    name: 'postgres',
    async open({ migrate = true } = {}) {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      await admin(url, (client) => client.query(`create schema ${schema}`));
      const store = await openPostgresSchema(url, schema);
      if (migrate) await migrateToLatest(store.db);
      return {
        ...store,
        schema,
        dispose: async () => {
          await store.close();
          await admin(url, (client) => client.query(`drop schema ${schema} cascade`));
        },
      };
    },
  };
}

export const backends: StoreBackend[] = postgresUrl ? [pglite, postgres(postgresUrl)] : [pglite];

/** A unique email per test so rows seeded by one test never match another's filters. */
export const uniqueEmail = (name: string): string => `${name}.${randomBytes(4).toString('hex')}@test.example`;
