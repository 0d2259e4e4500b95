/**
 * Idempotency keys, claimed before anything reaches an upstream (migration 0008). A key belongs to
 * one caller; the first request claims it (a unique row, IN_FLIGHT, with the request's fingerprint
 * and the owning process under a lease), records each target's progress as it happens, and
 * completes it with the response. The claim is the primary key: two requests, or two gateway
 * instances on one Postgres, cannot both win it.
 *
 * Every write of the owner is fenced by `owner` and state IN_FLIGHT: a process whose lease ran out
 * and whose claim was taken over can no longer record anything, nor (through `markSending`) start
 * another upstream call. Expired keys count as absent and are taken over by the next claim.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { normalizeEmail, toJsonText } from './columns.js';
import type { Database, IdempotencyKeysTable, IdempotencyState, IdempotencyTargetState, JsonValue } from './database.types.js';
import { pk, settleTargets, type IdempotencyLookup } from './idempotency-progress.repository.js';

export { listTargets, markSending, recordResults, type IdempotencyLookup, type IdempotencyTarget } from './idempotency-progress.repository.js';


export interface IdempotencyRecord extends IdempotencyLookup {
  operation: string;
  requestHash: string;
  state: IdempotencyState;
  /** The process holding an IN_FLIGHT claim. */
  owner: string | null;
  leaseExpiresAt: Date | null;
  /** The stored answer, once COMPLETED. */
  response: JsonValue | null;
  /** The audit row of the request that claimed the key. */
  auditEventId: string | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export interface NewClaim extends IdempotencyLookup {
  /** The mutation field; a key used for another field is a conflict. */
  operation: string;
  /** Fingerprint of the normalised input; the same key with another input is a conflict. */
  requestHash: string;
  /** The request's targets, distinct and in the order asked; all PENDING. */
  targets: readonly string[];
  owner: string;
  leaseSeconds: number;
  /** How long a retry replays the answer. */
  ttlSeconds: number;
  auditEventId?: string | null;
}

/** `claimed`: this call holds the key. `taken`: another request has it (see `record.state`). */
export type ClaimResult = { status: 'claimed'; record: IdempotencyRecord } | { status: 'taken'; record: IdempotencyRecord };

export interface RecoveredClaim extends IdempotencyRecord {
  /** How many targets were in each state once recovered. */
  targetCounts: Partial<Record<IdempotencyTargetState, number>>;
}

const INSERT_CHUNK = 1000;

function toRecord(row: Selectable<IdempotencyKeysTable>): IdempotencyRecord {
  return {
    principalEmail: row.principal_email,
    key: row.key,
    operation: row.operation,
    requestHash: row.request_hash,
    state: row.state,
    owner: row.owner,
    leaseExpiresAt: row.lease_expires_at,
    response: row.response,
    auditEventId: row.audit_event_id === null ? null : String(row.audit_event_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}

const seconds = (n: number) => sql<Date>`now() + make_interval(secs => ${n})`;

/** Claims the key, or tells who has it. The targets are recorded in the same transaction. */
export async function claimKey(db: Kysely<Database>, claim: NewClaim): Promise<ClaimResult> {
  if (!(claim.ttlSeconds > 0) || !(claim.leaseSeconds > 0)) throw new RangeError('ttlSeconds and leaseSeconds must be positive');
  const principalEmail = normalizeEmail(claim.principalEmail);
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({
        principal_email: principalEmail,
        key: claim.key,
        operation: claim.operation,
        request_hash: claim.requestHash,
        state: 'IN_FLIGHT',
        owner: claim.owner,
        lease_expires_at: seconds(claim.leaseSeconds),
        audit_event_id: claim.auditEventId ?? null,
        response: null,
        expires_at: seconds(claim.ttlSeconds),
      })
      .onConflict((oc) =>
        oc
          .columns(['principal_email', 'key'])
          .doUpdateSet((eb) => ({
            operation: eb.ref('excluded.operation'),
            request_hash: eb.ref('excluded.request_hash'),
            state: eb.ref('excluded.state'),
            owner: eb.ref('excluded.owner'),
            lease_expires_at: eb.ref('excluded.lease_expires_at'),
            audit_event_id: eb.ref('excluded.audit_event_id'),
            response: null,
            created_at: sql<Date>`now()`,
            updated_at: sql<Date>`now()`,
            expires_at: eb.ref('excluded.expires_at'),
          }))
          // Only an expired key may be taken over, and never from a live owner.
          .where('idempotency_keys.expires_at', '<=', sql<Date>`now()`)
          .where((eb) => eb.or([eb('idempotency_keys.state', '<>', 'IN_FLIGHT'), eb('idempotency_keys.lease_expires_at', '<=', sql<Date>`now()`)])),
      )
      .returningAll()
      .executeTakeFirst();
    if (!claimed) {
      const existing = await trx.selectFrom('idempotency_keys').selectAll().where('principal_email', '=', principalEmail).where('key', '=', claim.key).executeTakeFirstOrThrow();
      return { status: 'taken', record: toRecord(existing) };
    }
    await trx.deleteFrom('idempotency_targets').where('principal_email', '=', principalEmail).where('key', '=', claim.key).execute();
    for (let start = 0; start < claim.targets.length; start += INSERT_CHUNK) {
      const rows = claim.targets.slice(start, start + INSERT_CHUNK).map((target, i) => ({ principal_email: principalEmail, key: claim.key, target, position: start + i }));
      await trx.insertInto('idempotency_targets').values(rows).execute();
    }
    return { status: 'claimed', record: toRecord(claimed) };
  });
}

/** The key's record, unexpired, in any state. */
export async function findKey(db: Kysely<Database>, lookup: IdempotencyLookup): Promise<IdempotencyRecord | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where((eb) => eb.and(pk(lookup)))
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Extends the owner's lease; false when the claim is no longer this owner's. */
export async function renewLease(db: Kysely<Database>, lookup: IdempotencyLookup, owner: string, leaseSeconds: number): Promise<boolean> {
  const result = await db
    .updateTable('idempotency_keys')
    .set({ lease_expires_at: seconds(leaseSeconds), updated_at: sql<Date>`now()` })
    .where((eb) => eb.and(pk(lookup)))
    .where('owner', '=', owner)
    .where('state', '=', 'IN_FLIGHT')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Stores the answer and ends the claim; false when the claim was no longer this owner's. The
 * targets' progress is dropped with it: the answer holds every target's result.
 */
export async function completeKey(db: Kysely<Database>, lookup: IdempotencyLookup, owner: string, response: JsonValue): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('idempotency_keys')
      .set({ state: 'COMPLETED', response: toJsonText(response), owner: null, lease_expires_at: null, updated_at: sql<Date>`now()` })
      .where((eb) => eb.and(pk(lookup)))
      .where('owner', '=', owner)
      .where('state', '=', 'IN_FLIGHT')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await trx.deleteFrom('idempotency_targets').where((eb) => eb.and(pk(lookup))).execute();
    return true;
  });
}

/** Gives a claim up when nothing was sent under it (the key is free again). */
export async function releaseKey(db: Kysely<Database>, lookup: IdempotencyLookup, owner: string): Promise<boolean> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where((eb) => eb.and(pk(lookup)))
    .where('owner', '=', owner)
    .where('state', '=', 'IN_FLIGHT')
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The owner stops without an answer after something may have been sent: the next request reconciles. */
export async function interruptKey(db: Kysely<Database>, lookup: IdempotencyLookup, owner: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('idempotency_keys')
      .set({ state: 'INTERRUPTED', owner: null, lease_expires_at: null, updated_at: sql<Date>`now()` })
      .where((eb) => eb.and(pk(lookup)))
      .where('owner', '=', owner)
      .where('state', '=', 'IN_FLIGHT')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await settleTargets(trx, lookup);
    return true;
  });
}

/**
 * Takes over an interrupted claim, or one whose owner's lease ran out, to reconcile it. Undefined
 * when the key is live in another owner's hands, completed, or gone.
 */
export async function takeOverKey(db: Kysely<Database>, lookup: IdempotencyLookup, owner: string, leaseSeconds: number): Promise<IdempotencyRecord | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('idempotency_keys')
      .set({ state: 'IN_FLIGHT', owner, lease_expires_at: seconds(leaseSeconds), updated_at: sql<Date>`now()` })
      .where((eb) => eb.and(pk(lookup)))
      .where('expires_at', '>', sql<Date>`now()`)
      .where((eb) => eb.or([eb('state', '=', 'INTERRUPTED'), eb.and([eb('state', '=', 'IN_FLIGHT'), eb('lease_expires_at', '<=', sql<Date>`now()`)])]))
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    await settleTargets(trx, lookup);
    return toRecord(row);
  });
}

/**
 * Marks claims whose owner is gone as INTERRUPTED: those whose lease ran out, or (`all`: the
 * caller knows no other process can hold one, e.g. the owner of an embedded database at start-up)
 * every IN_FLIGHT claim. Their SENDING targets become UNKNOWN and PENDING ones NOT_SENT.
 */
export async function interruptAbandoned(db: Kysely<Database>, options: { all: boolean }): Promise<RecoveredClaim[]> {
  return db.transaction().execute(async (trx) => {
    let query = trx.updateTable('idempotency_keys').set({ state: 'INTERRUPTED', owner: null, lease_expires_at: null, updated_at: sql<Date>`now()` }).where('state', '=', 'IN_FLIGHT');
    if (!options.all) query = query.where('lease_expires_at', '<=', sql<Date>`now()`);
    const rows = await query.returningAll().execute();
    const recovered: RecoveredClaim[] = [];
    for (const row of rows) {
      const record = toRecord(row);
      await settleTargets(trx, record);
      const counts = await trx
        .selectFrom('idempotency_targets')
        .select(['state', (eb) => eb.fn.countAll<string | number>().as('n')])
        .where((eb) => eb.and(pk(record)))
        .groupBy('state')
        .execute();
      recovered.push({ ...record, targetCounts: Object.fromEntries(counts.map((c) => [c.state, Number(c.n)])) });
    }
    return recovered;
  });
}

/** Deletes expired keys that nobody holds (and their targets); returns how many. */
export async function deleteExpiredKeys(db: Kysely<Database>): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<=', sql<Date>`now()`)
    .where((eb) => eb.or([eb('state', '<>', 'IN_FLIGHT'), eb('lease_expires_at', '<=', sql<Date>`now()`)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
