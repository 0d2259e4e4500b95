/**
 * The audit trail. Events are listed newest first with a keyset on `id` (stable under concurrent
 * inserts, unlike offsets) and purged in small batches so retention never holds long locks.
 * `variables` arrive already redacted: the store writes what it is given.
 */
import { sql, type Kysely, type SelectQueryBuilder, type Selectable } from 'kysely';
import { z } from 'zod';
import { normalizeEmail, toJsonText, toNullableJsonText } from './columns.js';
import { decodeIntegerCursor, encodeCursor } from './cursor.js';
import type { AuditEventsTable, AuditOutcome, Database, JsonValue, PrincipalKind } from './database.types.js';

const CURSOR_SCOPE = 'audit';
export const MAX_AUDIT_PAGE = 500;

const auditTarget = z.object({ type: z.string(), id: z.string(), label: z.string().optional() });
export type AuditTarget = z.infer<typeof auditTarget>;

/** The JSON columns are not typed by the database; parse them (docs/contributing.md habit 7). */
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
  /** The request's `x-request-id` (what the request log line shows). */
  requestId?: string;
  principalEmail?: string;
  operationName?: string;
  field?: string;
  /** Any of these root fields (an empty list matches nothing). */
  fields?: readonly string[];
  outcome?: AuditOutcome;
  /** Events with a target of this id (any type). */
  targetId?: string;
  /** Inclusive lower bound on `at`. */
  from?: Date;
  /** Exclusive upper bound on `at`. */
  to?: Date;
}

export interface AuditPage {
  events: AuditEvent[];
  /** The cursor of each event, in order. */
  cursors: string[];
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
  let query = applyFilter(db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(first + 1), filter);
  if (after) query = query.where('id', '<', decodeIntegerCursor(CURSOR_SCOPE, after));
  const rows = await query.execute();
  const events = rows.slice(0, first).map(toAuditEvent);
  const last = events.at(-1);
  const cursors = events.map((e) => encodeCursor(CURSOR_SCOPE, e.id));
  return { events, cursors, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(CURSOR_SCOPE, last.id) : null };
}

type AuditQuery = SelectQueryBuilder<Database, 'audit_events', Selectable<AuditEventsTable>>;

function applyFilter(query: AuditQuery, filter: AuditFilter): AuditQuery {
  let q = query;
  if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId);
  if (filter.principalEmail !== undefined) q = q.where('principal_email', '=', normalizeEmail(filter.principalEmail));
  if (filter.operationName !== undefined) q = q.where('operation_name', '=', filter.operationName);
  if (filter.field !== undefined) q = q.where('field', '=', filter.field);
  if (filter.fields !== undefined) q = filter.fields.length > 0 ? q.where('field', 'in', [...filter.fields]) : q.where(sql<boolean>`false`);
  if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
  if (filter.targetId !== undefined) q = q.where(sql<boolean>`targets @> ${toJsonText([{ id: filter.targetId }])}::jsonb`);
  if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('at', '<', filter.to);
  return q;
}

/** Oldest first, `batchSize` rows per query (keyset on `id`): for exports of any size. */
export async function* streamAuditEvents(db: Kysely<Database>, filter: AuditFilter, batchSize = 500): AsyncGenerator<AuditEvent> {
  let afterId: string | undefined;
  for (;;) {
    let query = applyFilter(db.selectFrom('audit_events').selectAll().orderBy('id', 'asc').limit(batchSize), filter);
    if (afterId !== undefined) query = query.where('id', '>', afterId);
    const rows = await query.execute();
    for (const row of rows) yield toAuditEvent(row);
    if (rows.length < batchSize) return;
    afterId = String(rows.at(-1)?.id);
  }
}

export interface AuditCompletion {
  outcome: Exclude<AuditOutcome, 'PENDING'>;
  errorCodes?: string[];
  details?: { [key: string]: JsonValue } | null;
}

/** Completes a PENDING event with its outcome; false when there was no pending event of that id. */
export async function completeAuditEvent(db: Kysely<Database>, id: string, completion: AuditCompletion): Promise<boolean> {
  const result = await db
    .updateTable('audit_events')
    .set({
      outcome: completion.outcome,
      error_codes: toJsonText(completion.errorCodes ?? []),
      details: toNullableJsonText(completion.details),
    })
    .where('id', '=', id)
    .where('outcome', '=', 'PENDING')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
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
