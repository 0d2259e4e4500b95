/**
 * The progress of an idempotent request's targets (migration 0008): PENDING when claimed, SENDING
 * written before the upstream call that carries them, DONE with their result after; an
 * interruption makes SENDING targets UNKNOWN (they may have been reached) and PENDING ones
 * NOT_SENT. Writes are fenced by the claim's owner (see idempotency.repository.ts).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { normalizeEmail, toJsonText } from './columns.js';
import type { Database, IdempotencyTargetState, JsonValue } from './database.types.js';

const CHUNK = 1000;

export interface IdempotencyLookup {
  principalEmail: string;
  key: string;
}

/** The primary key of a caller's key, as a where clause (`where((eb) => eb.and(pk(lookup)))`). */
export const pk = (lookup: IdempotencyLookup) => ({ principal_email: normalizeEmail(lookup.principalEmail), key: lookup.key });

export interface IdempotencyTarget {
  target: string;
  state: IdempotencyTargetState;
  /** Which upstream call carried it (1, 2, …). */
  batch: number | null;
  sentAt: Date | null;
  result: JsonValue | null;
}

/** The key's targets in the order asked. */
export async function listTargets(db: Kysely<Database>, lookup: IdempotencyLookup): Promise<IdempotencyTarget[]> {
  const rows = await db
    .selectFrom('idempotency_targets')
    .select(['target', 'state', 'batch', 'sent_at', 'result'])
    .where((eb) => eb.and(pk(lookup)))
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ target: r.target, state: r.state, batch: r.batch, sentAt: r.sent_at, result: r.result }));
}

/** Locks the owner's claim row for this transaction; false when the claim is no longer this owner's. */
async function holds(trx: Transaction<Database>, lookup: IdempotencyLookup, owner: string): Promise<boolean> {
  const row = await trx
    .selectFrom('idempotency_keys')
    .select('owner')
    .where((eb) => eb.and(pk(lookup)))
    .where('owner', '=', owner)
    .where('state', '=', 'IN_FLIGHT')
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Written before the upstream call that carries these targets (from here on they may have been
 * reached). False, and nothing written, when the claim is no longer this owner's: the call must
 * not be made.
 */
export async function markSending(db: Kysely<Database>, lookup: IdempotencyLookup, owner: string, targets: readonly string[], batch: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await holds(trx, lookup, owner))) return false;
    for (let start = 0; start < targets.length; start += CHUNK) {
      await trx
        .updateTable('idempotency_targets')
        .set({ state: 'SENDING', batch, sent_at: sql<Date>`now()` })
        .where((eb) => eb.and(pk(lookup)))
        .where('target', 'in', targets.slice(start, start + CHUNK))
        .where('state', '<>', 'DONE')
        .execute();
    }
    return true;
  });
}

/** Records targets' results (DONE); false, and nothing written, when the claim is no longer this owner's. */
export async function recordResults(
  db: Kysely<Database>,
  lookup: IdempotencyLookup,
  owner: string,
  results: readonly { target: string; result: JsonValue }[],
): Promise<boolean> {
  if (results.length === 0) return true;
  const email = normalizeEmail(lookup.principalEmail);
  return db.transaction().execute(async (trx) => {
    if (!(await holds(trx, lookup, owner))) return false;
    for (let start = 0; start < results.length; start += CHUNK) {
      const slice = results.slice(start, start + CHUNK);
      const json = toJsonText(slice.map((r) => ({ target: r.target, result: r.result })));
      // The explicit target list lets the planner use the primary key instead of scanning every target.
      await sql`update idempotency_targets t set state = 'DONE', result = r.result
        from jsonb_to_recordset(${json}::jsonb) as r(target text, result jsonb)
        where t.principal_email = ${email} and t.key = ${lookup.key} and t.target = r.target
          and t.target in (${sql.join(slice.map((r) => r.target))})`.execute(trx);
    }
    return true;
  });
}

/** What an interruption makes of the targets: those being sent may have been reached, the others were not. */
export async function settleTargets(trx: Transaction<Database>, lookup: IdempotencyLookup): Promise<void> {
  await trx
    .updateTable('idempotency_targets')
    .set({ state: 'UNKNOWN' })
    .where((eb) => eb.and(pk(lookup)))
    .where('state', '=', 'SENDING')
    .execute();
  await trx
    .updateTable('idempotency_targets')
    .set({ state: 'NOT_SENT' })
    .where((eb) => eb.and(pk(lookup)))
    .where('state', '=', 'PENDING')
    .execute();
}

