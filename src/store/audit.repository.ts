/**
 * The audit trail. Events are listed newest first with a keyset on `id` (stable under concurrent
 * inserts, unlike offsets) and purged in small batches so retention never holds long locks.
 * `variables` arrive already redacted: the store writes what it is given.
 */
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { normalizeEmail, toJsonText, toNullableJsonText } from './columns.js';
import { decodeIntegerCursor, encodeCursor } from './cursor.js';
import type { AuditEventsTable, AuditOutcome, Database, JsonValue, PrincipalKind } from './database.types.js';

const CURSOR_SCOPE = 'audit';
export const MAX_AUDIT_PAGE = 500;

const auditTarget = z.object({ type: z.string(), id: z.string(), label: z.string().optional() });
export type AuditTarget = z.infer<typeof auditTarget>;

/** The JSON columns are not typed by the database; parse them (STYLE.md §7). */
const auditJson = z.object({
  targets: z.array(auditTarget),
  error_codes: z.array(z.string()),
  variables: z.json().nullable(),
  details: z.record(z.string(), z.json()).nullable(),
});

export interface NewAuditEvent {
  /** Defaults to the database's clock. */
  at?: Date;
  requestId: string;
  principalKind: PrincipalKind;
  principalEmail: string;
  operationName?: string | null;
  documentHash?: string | null;
  /** The root field, e.g. `sendDeviceCommand`. */
  field: string;
  targets?: AuditTarget[];
  /** Already redacted by the caller. */
  variables?: JsonValue | null;
  outcome: AuditOutcome;
  errorCodes?: string[];
  details?: { [key: string]: JsonValue } | null;
}

export interface AuditEvent extends Required<Omit<NewAuditEvent, 'variables' | 'details'>> {
  id: string;
  variables: JsonValue | null;
  details: { [key: string]: JsonValue } | null;
}

export interface AuditFilter {
  principalEmail?: string;
  operationName?: string;
  field?: string;
  outcome?: AuditOutcome;
  /** Inclusive lower bound on `at`. */
  from?: Date;
  /** Exclusive upper bound on `at`. */
  to?: Date;
}

export interface AuditPage {
  events: AuditEvent[];
  hasNextPage: boolean;
  endCursor: string | null;
}

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  const json = auditJson.parse(row);
  return {
    id: String(row.id),
    at: row.at,
    requestId: row.request_id,
    principalKind: row.principal_kind,
    principalEmail: row.principal_email,
    operationName: row.operation_name,
    documentHash: row.document_hash,
    field: row.field,
    targets: json.targets,
    variables: json.variables,
    outcome: row.outcome,
    errorCodes: json.error_codes,
    details: json.details,
  };
}

export async function insertAuditEvent(db: Kysely<Database>, event: NewAuditEvent): Promise<AuditEvent> {
  const row = await db
    .insertInto('audit_events')
    .values({
      at: event.at,
      request_id: event.requestId,
      principal_kind: event.principalKind,
      principal_email: normalizeEmail(event.principalEmail),
      operation_name: event.operationName ?? null,
      document_hash: event.documentHash ?? null,
      field: event.field,
      targets: toJsonText(event.targets ?? []),
      variables: toNullableJsonText(event.variables),
      outcome: event.outcome,
      error_codes: toJsonText(event.errorCodes ?? []),
      details: toNullableJsonText(event.details),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAuditEvent(row);
}

/** Newest first; `after` is the `endCursor` of the previous page. Throws InvalidCursorError. */
export async function listAuditEvents(db: Kysely<Database>, filter: AuditFilter, first: number, after?: string | null): Promise<AuditPage> {
  if (!Number.isInteger(first) || first < 0 || first > MAX_AUDIT_PAGE) {
    throw new RangeError(`first must be an integer from 0 to ${MAX_AUDIT_PAGE}`);
  }
  let query = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(first + 1);
  if (after) query = query.where('id', '<', decodeIntegerCursor(CURSOR_SCOPE, after));
  if (filter.principalEmail !== undefined) query = query.where('principal_email', '=', normalizeEmail(filter.principalEmail));
  if (filter.operationName !== undefined) query = query.where('operation_name', '=', filter.operationName);
  if (filter.field !== undefined) query = query.where('field', '=', filter.field);
  if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('at', '<', filter.to);
  const rows = await query.execute();
  const events = rows.slice(0, first).map(toAuditEvent);
  const last = events.at(-1);
  return { events, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(CURSOR_SCOPE, last.id) : null };
}

export interface RetentionResult {
  deleted: number;
  /** DELETE statements run, the last one taking fewer than `batchSize` rows. */
  batches: number;
}

/**
 * Deletes events older than `cutoff`, `batchSize` rows per statement (each its own short
 * transaction unless `db` is one), until none are left.
 */
export async function deleteOlderThan(db: Kysely<Database>, cutoff: Date, batchSize = 1000): Promise<RetentionResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  let total = 0;
  for (let batches = 1; ; batches++) {
    const result = await db
      .deleteFrom('audit_events')
      .where('id', 'in', (eb) => eb.selectFrom('audit_events').select('id').where('at', '<', cutoff).orderBy('id').limit(batchSize))
      .executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    total += deleted;
    if (deleted < batchSize) return { deleted: total, batches };
  }
}
