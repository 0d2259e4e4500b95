/**
 * The APQ store is bounded (APQ_MAX_ENTRIES, APQ_MAX_BYTES, APQ_MAX_IDLE_DAYS) with least-recently-
 * used eviction in the database: each entry records its size, so the eviction sums a column rather
 * than reading every body.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apq_documents').addColumn('bytes', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  await sql`update apq_documents set bytes = octet_length(body)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apq_documents').dropColumn('bytes').execute();
}
