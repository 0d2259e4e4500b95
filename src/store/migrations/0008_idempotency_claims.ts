/**
 * Idempotency keys are claimed before anything reaches an upstream (issue 16). A key row is now
 * written first, IN_FLIGHT, held by one gateway process (`owner`) under a lease it renews while it
 * works; the response is stored when the request completes. A claim whose owner died is marked
 * INTERRUPTED (at start-up, or by the periodic sweep once its lease has expired) and reconciled by
 * the next request with the key.
 *
 * `idempotency_targets` records the progress of each target (a device, for a device command) as it
 * happens: PENDING (claimed, not sent), SENDING (written before the upstream call that carries it:
 * it may have been reached), DONE (its result recorded). After an interruption SENDING targets
 * become UNKNOWN and PENDING ones NOT_SENT, so the record says exactly which targets may have been
 * reached. A completed key keeps only its answer (which holds every target's result): its targets
 * are deleted with the completion. Existing rows are completed answers, as before.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table idempotency_keys
    add column state text not null default 'COMPLETED' check (state in ('IN_FLIGHT', 'COMPLETED', 'INTERRUPTED')),
    add column owner text,
    add column lease_expires_at timestamptz,
    add column audit_event_id bigint,
    add column updated_at timestamptz not null default now()`.execute(db);
  await sql`alter table idempotency_keys alter column response drop not null`.execute(db);
  await sql`alter table idempotency_keys add constraint idempotency_keys_response_check
    check (state <> 'COMPLETED' or response is not null)`.execute(db);
  // The sweep looks for claims whose lease has run out.
  await sql`create index idempotency_keys_in_flight_idx on idempotency_keys (lease_expires_at) where state = 'IN_FLIGHT'`.execute(db);

  await db.schema
    .createTable('idempotency_targets')
    .addColumn('principal_email', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('target', 'text', (col) => col.notNull())
    // The target's place in the request (answers keep the order asked).
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('state', 'text', (col) =>
      col.notNull().defaultTo('PENDING').check(sql`state in ('PENDING', 'SENDING', 'DONE', 'UNKNOWN', 'NOT_SENT')`),
    )
    // Which upstream call carried it (1, 2, …), once SENDING.
    .addColumn('batch', 'integer')
    .addColumn('sent_at', 'timestamptz')
    // The target's result as answered to the caller, once DONE.
    .addColumn('result', 'jsonb')
    .addPrimaryKeyConstraint('idempotency_targets_pkey', ['principal_email', 'key', 'target'])
    .addForeignKeyConstraint('idempotency_targets_key_fkey', ['principal_email', 'key'], 'idempotency_keys', ['principal_email', 'key'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_targets').execute();
  await sql`drop index if exists idempotency_keys_in_flight_idx`.execute(db);
  await sql`delete from idempotency_keys where state <> 'COMPLETED'`.execute(db);
  await sql`alter table idempotency_keys drop constraint if exists idempotency_keys_response_check`.execute(db);
  await sql`alter table idempotency_keys alter column response set not null`.execute(db);
  await sql`alter table idempotency_keys
    drop column state, drop column owner, drop column lease_expires_at, drop column audit_event_id, drop column updated_at`.execute(db);
}
