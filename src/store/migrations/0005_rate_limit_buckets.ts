/**
 * Token buckets shared by every gateway instance: `tokens` as of `updated_at`; the refill since
 * then is computed when a request takes tokens, so idle buckets cost no writes.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('tokens', 'double precision', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // Dropping buckets untouched for long (they would be full again anyway).
  await db.schema.createIndex('rate_limit_buckets_updated_at_idx').on('rate_limit_buckets').column('updated_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limit_buckets').execute();
}
