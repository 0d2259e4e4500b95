/**
 * One kysely instance over either backend (docs/interfaces.md: `DATABASE_URL` set means Postgres, unset
 * means the embedded PGlite under `${DATA_DIR}/pglite`). Everything above this file is the same
 * code path: repositories take `db` (or a transaction) and never know which backend runs. Each
 * backend's driver is loaded only when it is the one used (a process holds one or the other).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from './database.types.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { prepareDataDirectory, type IncompatibleDirectory, type MovedAside } from './pglite-directory.js';
import { initializePgliteDirectory } from './pglite-initdb.js';

/** `dataDir` value for a throwaway in-memory PGlite (unit tests). */
export const IN_MEMORY = ':memory:';

/** The subset of a pino logger the store uses. */
export interface StoreLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn?(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface DatabaseOptions {
  /** `postgres://…`: use Postgres through a `pg` pool. Unset: the embedded PGlite. */
  databaseUrl?: string;
  /** PGlite keeps its files in `${dataDir}/pglite` (created); `IN_MEMORY` keeps nothing. */
  dataDir: string;
  /** Schema to work in (sets `search_path`); it must exist. Unset: the server default. */
  schema?: string;
  /** Postgres pool size. */
  maxConnections?: number;
  /**
   * A PGlite directory written by another PostgreSQL major: refused with what to do (default), or
   * moved aside so a fresh one is created (demo mode: the demo recreates everything in it).
   */
  onIncompatibleDirectory?: IncompatibleDirectory;
  logger?: StoreLogger;
  /**
   * PGlite: what opens the directory, written in its lock (`gateway`, `npm run keys`, …). The
   * directory is locked for this process until `close()`; a live holder makes this throw
   * DataDirInUseError (src/store/data-dir-lock.ts).
   */
  purpose?: string;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface StoreDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** Resolves when the database answers a trivial query (readiness checks). */
  ping(): Promise<void>;
  /** Ends the pool or closes PGlite; safe to call more than once. */
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createDatabase(options: DatabaseOptions): Promise<StoreDatabase> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(options.schema)}: use lower-case letters, digits and _`);
  }
  const { db, kind, lock } = options.databaseUrl ? await openPostgres(options.databaseUrl, options) : await openPglite(options);
  let closing: Promise<void> | undefined;
  return {
    db,
    kind,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => (closing ??= db.destroy().finally(() => lock?.release())),
  };
}

async function openPostgres(databaseUrl: string, options: DatabaseOptions): Promise<{ db: Kysely<Database>; kind: DatabaseKind; lock?: DataDirLock }> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it ends the process.
  pool.on('error', (error) => options.logger?.error({ err: error }, 'postgres pool: idle client error'));
  options.logger?.info({ backend: 'postgres', schema: options.schema }, 'database: postgres pool created');
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' };
}

/**
 * PGlite's memory: one embedded session needs far less than Postgres' defaults (128 MB of shared
 * buffers, 100 connections). Its shared buffers are resident from the start (they live in the
 * WebAssembly heap, which never shrinks): 8 MB of them make a 17 MB heap where 16 MB made 27 MB,
 * and a page that misses them is read from the operating system's file cache. A new directory is
 * created by a child process (pglite-initdb.ts): `initdb` leaves some 570 MB of WebAssembly memory
 * behind, which the gateway's own process would keep for a while and partly for good.
 */
const PGLITE_CONF = ['shared_buffers=8MB', 'max_connections=5'];

const MOVED_ASIDE: Record<MovedAside['reason'], string> = {
  'other-major': 'database: the embedded database was written by another PostgreSQL version; moved aside, starting a fresh one',
  incomplete: 'database: the embedded database was left half-created by an earlier start; moved aside, created a new one',
};

async function openPglite(options: DatabaseOptions): Promise<{ db: Kysely<Database>; kind: DatabaseKind; lock?: DataDirLock }> {
  const [embedded, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  let client: PGlite;
  let lock: DataDirLock | undefined;
  if (options.dataDir === IN_MEMORY) {
    client = await embedded.PGlite.create({ postgresqlconf: PGLITE_CONF });
  } else {
    lock = acquireDataDirLock(options.dataDir, options.purpose ?? 'gateway');
    if (lock.replaced) {
      const { pid, purpose, since } = lock.replaced;
      options.logger?.info({ pid, purpose, since }, 'database: took over the lock of a process that stopped without closing the database');
    }
    try {
      const dir = join(options.dataDir, 'pglite');
      const aside = prepareDataDirectory(dir, options.onIncompatibleDirectory ?? 'refuse');
      if (aside) options.logger?.warn?.({ dataDir: options.dataDir, movedTo: aside.path }, MOVED_ASIDE[aside.reason]);
      if (!existsSync(dir)) await initializePgliteDirectory(dir, PGLITE_CONF);
      client = await embedded.PGlite.create(dir, { postgresqlconf: PGLITE_CONF });
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  // PGlite is a single session, so a session setting holds for every later query.
  if (options.schema) await client.exec(`set search_path to "${options.schema}"`);
  options.logger?.info({ backend: 'pglite', dataDir: options.dataDir }, 'database: pglite opened');
  return { db: new Kysely<Database>({ dialect: new PGliteDialect(client) }), kind: 'pglite', lock };
}
