/**
 * Trusted documents registered under an API (issue 18, job 8): beside `api_group`, the API (id or
 * name, as registered) a partner must be granted, on its own or through a group, to run the
 * document. A document is scoped to an API group or to an API, never both; existing rows keep their
 * group and get no API.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('persisted_documents').addColumn('api', 'text').execute();
  await db.schema
    .alterTable('persisted_documents')
    .addCheckConstraint('persisted_documents_one_scope', sql`api_group is null or api is null`)
    .execute();
  // Listings filter by API, as they do by API group.
  await db.schema.createIndex('persisted_documents_api_idx').on('persisted_documents').column('api').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('persisted_documents_api_idx').ifExists().execute();
  await db.schema.alterTable('persisted_documents').dropConstraint('persisted_documents_one_scope').execute();
  await db.schema.alterTable('persisted_documents').dropColumn('api').execute();
}
