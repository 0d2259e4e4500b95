/**
 * The audit trail: who did what to which targets, with what outcome. Listed newest first with a
 * keyset on `id`, so every filter index ends in `id`; retention deletes by `at`.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('request_id', 'text', (col) => col.notNull())
    .addColumn('principal_kind', 'text', (col) =>
      col.notNull().check(sql`principal_kind in ('EXTERNAL_USER', 'HARMONY_USER')`),
    )
    .addColumn('principal_email', 'text', (col) => col.notNull())
    .addColumn('operation_name', 'text')
    .addColumn('document_hash', 'text')
    .addColumn('field', 'text', (col) => col.notNull())
    .addColumn('targets', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    // Already redacted by the caller: the store never sees secrets.
    .addColumn('variables', 'jsonb')
    .addColumn('outcome', 'text', (col) =>
      col.notNull().check(sql`outcome in ('SUCCESS', 'PARTIAL', 'FAILURE', 'DENIED')`),
    )
    .addColumn('error_codes', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('details', 'jsonb')
    .execute();
  await db.schema.createIndex('audit_events_principal_idx').on('audit_events').columns(['principal_email', 'id desc']).execute();
  await db.schema.createIndex('audit_events_operation_idx').on('audit_events').columns(['operation_name', 'id desc']).execute();
  await db.schema.createIndex('audit_events_field_idx').on('audit_events').columns(['field', 'id desc']).execute();
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
}
