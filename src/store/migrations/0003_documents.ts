/**
 * Trusted (persisted) documents registered by admins, the partner allow-list; and the APQ cache,
 * which only saves front-end bandwidth and is never a security boundary (docs/design.md §6).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('persisted_documents')
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('operation_name', 'text')
    .addColumn('operation_type', 'text', (col) =>
      col.notNull().check(sql`operation_type in ('query', 'mutation', 'subscription')`),
    )
    .addColumn('client_name', 'text')
    .addColumn('api_group', 'text')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // Partner checks and listings filter by API group and by client.
  await db.schema.createIndex('persisted_documents_api_group_idx').on('persisted_documents').column('api_group').execute();
  await db.schema.createIndex('persisted_documents_client_name_idx').on('persisted_documents').column('client_name').execute();

  await db.schema
    .createTable('apq_documents')
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // Evicting documents nobody used for a while.
  await db.schema.createIndex('apq_documents_last_used_at_idx').on('apq_documents').column('last_used_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('apq_documents').execute();
  await db.schema.dropTable('persisted_documents').execute();
}
