/**
 * Brings the schema to the latest migration. Several gateway instances may start at once against
 * one Postgres: each takes a session advisory lock on one dedicated connection first, so exactly
 * one applies the pending migrations and the others wait, then find nothing left to do. The lock is
 * per schema (`hashtext(current_schema())`), so tests working in separate schemas do not queue.
 * On PGlite (one process, one session) the lock is trivially granted.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { StoreLogger } from '../database.js';
import type { Database } from '../database.types.js';
import { MigrationError } from '../errors.js';
import { migrations as allMigrations } from './list.js';

/** First key of the two-key advisory lock: 'uhg\0', this application's namespace. */
const LOCK_NAMESPACE = 0x75686700;

export interface MigrationSummary {
  /** Migrations applied by this call, in order; empty when the schema was already current. */
  applied: string[];
}

export interface MigrateOptions {
  logger?: StoreLogger;
  /** The migrations to apply; the application's own list unless a test passes another. */
  migrations?: Readonly<Record<string, Migration>>;
}

export async function migrateToLatest(db: Kysely<Database>, options: MigrateOptions = {}): Promise<MigrationSummary> {
  const { logger, migrations = allMigrations } = options;
  const provider = { getMigrations: async () => ({ ...migrations }) };
  return db.connection().execute(async (conn) => {
    const schema = await currentSchema(conn);
    await sql`select pg_advisory_lock(${sql.lit(LOCK_NAMESPACE)}, hashtext(current_schema()))`.execute(conn);
    try {
      // The migration tables are looked up by schema: without it kysely would find another
      // schema's `kysely_migration` and skip creating its own.
      const migrator = new Migrator({ db: conn, provider, migrationTableSchema: schema });
      const { error, results = [] } = await migrateRetryingForeignDrops(migrator, schema);
      const failed = results.find((result) => result.status === 'Error');
      if (error !== undefined || failed) throw new MigrationError(failed?.migrationName, error);
      const applied = results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
      if (applied.length > 0) logger?.info({ schema, applied }, 'database: migrations applied');
      return { applied };
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(LOCK_NAMESPACE)}, hashtext(current_schema()))`.execute(conn);
    }
  });
}

/** Attempts when another schema of the database is dropped while kysely looks for its tables. */
const FOREIGN_DROP_ATTEMPTS = 3;

/**
 * kysely finds its migration table by listing every table of the database (all schemas); a schema
 * dropped meanwhile by someone else (another application, another instance's tests) fails that
 * listing with "schema … does not exist" (3F000) before anything is applied. That is not ours to
 * fail on: the listing is tried again. Anything else, or our own schema missing, fails as before.
 */
export async function migrateRetryingForeignDrops(migrator: Pick<Migrator, 'migrateToLatest'>, schema: string): Promise<MigrationResultSet> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await migrator.migrateToLatest();
    const err = outcome.error as { code?: unknown; message?: unknown } | undefined;
    const foreignDrop = err?.code === '3F000' && typeof err.message === 'string' && !err.message.includes(`"${schema}"`);
    if (!foreignDrop || (outcome.results ?? []).length > 0 || attempt >= FOREIGN_DROP_ATTEMPTS) return outcome;
  }
}

async function currentSchema(conn: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(conn);
  const schema = rows[0]?.schema;
  if (!schema) throw new MigrationError(undefined, new Error('no schema on the search_path exists'));
  return schema;
}

/** Names of the migrations not yet applied to this database (read-only; for the doctor). */
export async function pendingMigrations(db: Kysely<Database>, migrations: Readonly<Record<string, Migration>> = allMigrations): Promise<string[]> {
  const schema = await currentSchema(db);
  const provider = { getMigrations: async () => ({ ...migrations }) };
  const infos = await new Migrator({ db, provider, migrationTableSchema: schema }).getMigrations();
  return infos.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
