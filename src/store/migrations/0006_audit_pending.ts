/**
 * Fail-closed auditing: a mutation's row is written as PENDING before anything is sent upstream,
 * then completed with its outcome. A row left PENDING records an attempt whose outcome the gateway
 * could not write (it crashed, or the database went away in between). Also indexes target ids for
 * the `auditEvents(filter: { target })` lookup.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_events drop constraint if exists audit_events_outcome_check`.execute(db);
  await sql`alter table audit_events add constraint audit_events_outcome_check
    check (outcome in ('PENDING', 'SUCCESS', 'PARTIAL', 'FAILURE', 'DENIED'))`.execute(db);
  await sql`create index audit_events_targets_idx on audit_events using gin (targets jsonb_path_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists audit_events_targets_idx`.execute(db);
  await sql`update audit_events set outcome = 'FAILURE' where outcome = 'PENDING'`.execute(db);
  await sql`alter table audit_events drop constraint if exists audit_events_outcome_check`.execute(db);
  await sql`alter table audit_events add constraint audit_events_outcome_check
    check (outcome in ('SUCCESS', 'PARTIAL', 'FAILURE', 'DENIED'))`.execute(db);
}
