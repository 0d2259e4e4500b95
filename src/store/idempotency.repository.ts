/**
 * Stored results of mutations sent with an idempotency key. A key belongs to one caller; reusing it
 * for another mutation or other arguments is a conflict, never a silent replay. Expired rows count
 * as absent and are taken over by the next save.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { normalizeEmail, toJsonText } from './columns.js';
import type { Database, IdempotencyKeysTable, JsonValue } from './database.types.js';

export interface IdempotencyRecord {
  principalEmail: string;
  key: string;
  operation: string;
  requestHash: string;
  response: JsonValue;
  createdAt: Date;
  expiresAt: Date;
}

export interface IdempotencyLookup {
  principalEmail: string;
  key: string;
}

export interface SaveIdempotentInput extends IdempotencyLookup {
  operation: string;
  requestHash: string;
  response: JsonValue;
  /** How long a retry replays this response. */
  ttlSeconds: number;
}

/**
 * `saved`: this call stored the response. `replay`: the same request was already stored (a
 * concurrent retry won the race); answer with `record.response`. `conflict`: the key is in use for
 * another operation or other arguments.
 */
export type SaveIdempotentResult =
  | { status: 'saved'; record: IdempotencyRecord }
  | { status: 'replay'; record: IdempotencyRecord }
  | { status: 'conflict'; record: IdempotencyRecord };

function toRecord(row: Selectable<IdempotencyKeysTable>): IdempotencyRecord {
  return {
    principalEmail: row.principal_email,
    key: row.key,
    operation: row.operation,
    requestHash: row.request_hash,
    response: row.response,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** The unexpired record for this caller's key, if any. */
export async function findIdempotent(db: Kysely<Database>, lookup: IdempotencyLookup): Promise<IdempotencyRecord | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('principal_email', '=', normalizeEmail(lookup.principalEmail))
    .where('key', '=', lookup.key)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function saveIdempotent(db: Kysely<Database>, input: SaveIdempotentInput): Promise<SaveIdempotentResult> {
  if (!(input.ttlSeconds > 0)) throw new RangeError('ttlSeconds must be positive');
  const principalEmail = normalizeEmail(input.principalEmail);
  const expiresAt = sql<Date>`now() + make_interval(secs => ${input.ttlSeconds})`;
  const saved = await db
    .insertInto('idempotency_keys')
    .values({
      principal_email: principalEmail,
      key: input.key,
      operation: input.operation,
      request_hash: input.requestHash,
      response: toJsonText(input.response),
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['principal_email', 'key'])
        .doUpdateSet((eb) => ({
          operation: eb.ref('excluded.operation'),
          request_hash: eb.ref('excluded.request_hash'),
          response: eb.ref('excluded.response'),
          created_at: sql<Date>`now()`,
          expires_at: eb.ref('excluded.expires_at'),
        }))
        // Only an expired key may be taken over.
        .where('idempotency_keys.expires_at', '<=', sql<Date>`now()`),
    )
    .returningAll()
    .executeTakeFirst();
  if (saved) return { status: 'saved', record: toRecord(saved) };

  const existing = await findIdempotent(db, { principalEmail, key: input.key });
  // Gone between the two statements means it expired just now: try once more.
  if (!existing) return saveIdempotent(db, input);
  const same = existing.operation === input.operation && existing.requestHash === input.requestHash;
  return { status: same ? 'replay' : 'conflict', record: existing };
}

/** Deletes expired keys; returns how many. */
export async function deleteExpiredIdempotencyKeys(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
