/**
 * Persisted (trusted) documents, the allow-list partners run from, and the APQ cache. A persisted
 * document is registered once per hash: registering it again with the same body updates its
 * metadata (idempotent manifest uploads); with another body it is a conflict. APQ entries are keyed
 * by the sha256 of their body, checked here, so nobody can plant a body under someone else's hash.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { normalizeEmail } from './columns.js';
import type { Database, OperationType, PersistedDocumentsTable } from './database.types.js';

export interface PersistedDocument {
  hash: string;
  body: string;
  operationName: string | null;
  operationType: OperationType;
  clientName: string | null;
  apiGroup: string | null;
  /** The API it is registered under; a document has an API group or an API, not both. */
  api: string | null;
  createdBy: string;
  createdAt: Date;
}

/** A document to store; `api` may be left out for a document of an API group or of no scope. */
export type UpsertDocumentInput = Omit<PersistedDocument, 'createdAt' | 'api'> & { api?: string | null };

export type UpsertDocumentResult =
  | { status: 'created' | 'updated'; document: PersistedDocument }
  | { status: 'conflict'; document: PersistedDocument };

export interface ListDocumentsFilter {
  apiGroup?: string;
  api?: string;
  clientName?: string;
}

/** Hex sha256 of a document body, the key of APQ entries and of most manifests. */
export const sha256Hex = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

const normalizeHash = (hash: string): string => hash.replace(/^sha256:/i, '').toLowerCase();

function toDocument(row: Selectable<PersistedDocumentsTable>): PersistedDocument {
  return {
    hash: row.hash,
    body: row.body,
    operationName: row.operation_name,
    operationType: row.operation_type,
    clientName: row.client_name,
    apiGroup: row.api_group,
    api: row.api,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function upsertDocument(db: Kysely<Database>, input: UpsertDocumentInput): Promise<UpsertDocumentResult> {
  const hash = normalizeHash(input.hash);
  const row = await db
    .insertInto('persisted_documents')
    .values({
      hash,
      body: input.body,
      operation_name: input.operationName,
      operation_type: input.operationType,
      client_name: input.clientName,
      api_group: input.apiGroup,
      api: input.api ?? null,
      created_by: normalizeEmail(input.createdBy),
    })
    .onConflict((oc) =>
      oc
        .column('hash')
        .doUpdateSet((eb) => ({
          operation_name: eb.ref('excluded.operation_name'),
          operation_type: eb.ref('excluded.operation_type'),
          client_name: eb.ref('excluded.client_name'),
          api_group: eb.ref('excluded.api_group'),
          api: eb.ref('excluded.api'),
        }))
        .where('persisted_documents.body', '=', (eb) => eb.ref('excluded.body')),
    )
    // xmax is 0 for a row this statement inserted, set for one it updated.
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirst();
  if (row) return { status: row.inserted ? 'created' : 'updated', document: toDocument(row) };
  const existing = await getDocumentByHash(db, hash);
  if (!existing) return upsertDocument(db, input); // removed in between: register afresh
  return { status: 'conflict', document: existing };
}

/** Accepts the hash with or without a `sha256:` prefix, in any case. */
export async function getDocumentByHash(db: Kysely<Database>, hash: string): Promise<PersistedDocument | undefined> {
  const row = await db.selectFrom('persisted_documents').selectAll().where('hash', '=', normalizeHash(hash)).executeTakeFirst();
  return row && toDocument(row);
}

/** Documents ordered by operation name then hash, optionally one API group's, one API's or one client's. */
export async function listDocuments(db: Kysely<Database>, filter: ListDocumentsFilter = {}): Promise<PersistedDocument[]> {
  let query = db.selectFrom('persisted_documents').selectAll().orderBy('operation_name').orderBy('hash');
  if (filter.apiGroup !== undefined) query = query.where('api_group', '=', filter.apiGroup);
  if (filter.api !== undefined) query = query.where('api', '=', filter.api);
  if (filter.clientName !== undefined) query = query.where('client_name', '=', filter.clientName);
  return (await query.execute()).map(toDocument);
}

/** False when there was no such document. */
export async function removeDocument(db: Kysely<Database>, hash: string): Promise<boolean> {
  const result = await db.deleteFrom('persisted_documents').where('hash', '=', normalizeHash(hash)).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The APQ body for a hash, marking it used (at most once per `touchIntervalSeconds`). */
export async function getApqDocument(db: Kysely<Database>, hash: string, touchIntervalSeconds = 3600): Promise<string | undefined> {
  const key = normalizeHash(hash);
  const row = await db
    .selectFrom('apq_documents')
    .select(['body', sql<boolean>`last_used_at <= now() - make_interval(secs => ${touchIntervalSeconds})`.as('stale')])
    .where('hash', '=', key)
    .executeTakeFirst();
  if (row?.stale) await db.updateTable('apq_documents').set({ last_used_at: sql<Date>`now()` }).where('hash', '=', key).execute();
  return row?.body;
}

/** How large the APQ store may grow: entries, bytes of bodies, days without use. */
export interface ApqBounds {
  maxEntries: number;
  maxBytes: number;
  maxIdleDays: number;
}

/**
 * Stores an APQ body under its hash (throws when the hash is not the body's sha256), then evicts
 * to the bounds: entries unused for `maxIdleDays`, and the least recently used ones past
 * `maxEntries` or `maxBytes`. Returns how many were evicted.
 */
export async function putApqDocument(db: Kysely<Database>, hash: string, body: string, bounds?: ApqBounds): Promise<number> {
  const key = normalizeHash(hash);
  if (sha256Hex(body) !== key) throw new RangeError('APQ hash does not match the sha256 of the document');
  await db
    .insertInto('apq_documents')
    .values({ hash: key, body, bytes: Buffer.byteLength(body, 'utf8') })
    .onConflict((oc) => oc.column('hash').doUpdateSet({ last_used_at: sql<Date>`now()` }))
    .execute();
  return bounds ? evictApqDocuments(db, bounds) : 0;
}

/**
 * Least-recently-used eviction in one statement: a running total of entries and bytes from the
 * most recently used down; what lies past either bound, or is older than `maxIdleDays`, goes.
 * The sum reads the `bytes` column (and the `last_used_at` index), never the bodies.
 */
export async function evictApqDocuments(db: Kysely<Database>, bounds: ApqBounds): Promise<number> {
  const result = await sql<{ hash: string }>`
    delete from apq_documents where hash in (
      select hash from (
        select hash, last_used_at,
          row_number() over (order by last_used_at desc, hash) as position,
          sum(bytes) over (order by last_used_at desc, hash rows between unbounded preceding and current row) as running_bytes
        from apq_documents
      ) as ranked
      where position > ${bounds.maxEntries}
        or running_bytes > ${bounds.maxBytes}
        or last_used_at < now() - make_interval(days => ${bounds.maxIdleDays})
    )
    returning hash`.execute(db);
  return result.rows.length;
}

/** The APQ store's size: entries and bytes of bodies. */
export async function apqStoreSize(db: Kysely<Database>): Promise<{ entries: number; bytes: number }> {
  const row = await db
    .selectFrom('apq_documents')
    .select((eb) => [eb.fn.countAll<string>().as('entries'), eb.fn.coalesce(eb.fn.sum<string>('bytes'), sql<string>`0`).as('bytes')])
    .executeTakeFirstOrThrow();
  return { entries: Number(row.entries), bytes: Number(row.bytes) };
}
