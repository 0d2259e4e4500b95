/** Indexes audit rows by request id: `auditEvents(filter: { requestId })`, from a request's log line to what it did. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index audit_events_request_id_idx on audit_events (request_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists audit_events_request_id_idx`.execute(db);
}
