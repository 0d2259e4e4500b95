/**
 * Results of mutations sent with an idempotency key, one row per (caller, key): a retry with the
 * same key replays the stored response instead of running the mutation again.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('principal_email', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull().check(sql`length(key) between 1 and 255`))
    // The mutation field the key was used for; a key reused for another field is a conflict.
    .addColumn('operation', 'text', (col) => col.notNull())
    // Hash of the normalised arguments; the same key with other arguments is a conflict.
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('response', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['principal_email', 'key'])
    .execute();
  // Purging expired keys scans by expiry.
  await db.schema.createIndex('idempotency_keys_expires_at_idx').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
