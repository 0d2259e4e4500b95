/**
 * The store's errors, in one module that does no I/O, so callers outside the store (resolvers, the
 * CLIs, the server's startup) recognise them with `instanceof` rather than by their `name`. Every
 * one extends `StoreError`.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Any error the store raises on purpose (as opposed to a driver's or the database's own). */
export abstract class StoreError extends Error {}

/**
 * A keyset cursor that this list did not issue (another list's, or not a cursor at all). Callers map
 * it to BAD_USER_INPUT.
 */
export class InvalidCursorError extends StoreError {
  override readonly name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super('invalid pagination cursor');
  }
}

/**
 * A migration failed. Pending migrations run in one transaction, so the whole run was rolled
 * back and the schema is as it was before the call.
 */
export class MigrationError extends StoreError {
  override readonly name = 'MigrationError';
  constructor(
    readonly migrationName: string | undefined,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(migrationName ? `database migration ${migrationName} failed: ${reason}` : `database migrations failed: ${reason}`, { cause });
  }
}

/** Who holds an embedded data directory: the content of its lock file (src/store/data-dir-lock.ts). */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** What holds it: `gateway`, `npm run keys`, … */
  purpose: string;
  /** ISO instant the lock was taken. */
  since: string;
  /** Linux: the process start time (clock ticks since boot), to tell a reused pid apart. */
  processStart?: string;
  token: string;
}

/** Another live process holds the embedded data directory (PGlite is opened by one process at a time). */
export class DataDirInUseError extends StoreError {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.hostname === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on host ${holder.hostname}`;
    super(
      `The embedded database in ${join(dataDir, 'pglite')} is in use by ${who} (${holder.purpose}, since ${holder.since}). ` +
        'PGlite is opened by one process at a time: stop that process first, or set DATABASE_URL to use PostgreSQL, which several gateways and tools can share.',
    );
  }
}

/** The embedded data directory was written by another PostgreSQL major than the one PGlite embeds. */
export class IncompatibleDatabaseError extends StoreError {
  override readonly name = 'IncompatibleDatabaseError';
  constructor(
    readonly dir: string,
    readonly found: string,
    readonly embedded: string,
  ) {
    super(
      `The embedded database in ${dir} was written by PostgreSQL ${found} (an earlier version of the gateway); ` +
        `this version embeds PostgreSQL ${embedded}, which cannot open it. It holds the API keys, persisted ` +
        `documents and the audit trail: export what you need with the previous version (npm run audit -- export, ` +
        `npm run documents -- list), then move the directory aside (mv ${dir} ${dir}-pg${found}) and start again, ` +
        `or set DATABASE_URL to use PostgreSQL.`,
    );
  }
}
