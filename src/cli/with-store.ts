/**
 * What every store CLI (keys, documents, audit) does around its command: read the configuration
 * (a problem is a usage failure, exit 2), open the configured database (DATABASE_URL, or the
 * embedded PGlite in DATA_DIR), bring its migrations up to date, run, and close it.
 */
import type { Kysely } from 'kysely';
import { ConfigError, loadConfig } from '../config.js';
import type { Database } from '../store/database.types.js';
import { createDatabase, migrateToLatest } from '../store/index.js';

export async function withStore(fail: (message: string) => never, run: (db: Kysely<Database>) => Promise<void>): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const store = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(store.db);
    await run(store.db);
  } finally {
    await store.close();
  }
}
