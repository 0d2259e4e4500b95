/**
 * Token buckets shared by all gateway instances. Taking tokens is one atomic statement: the
 * refill since `updated_at` is computed from the database clock, and a bucket without enough
 * tokens is left untouched (its refill keeps accruing from the old `updated_at`).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.types.js';

export interface TakeTokensInput {
  key: string;
  /** Bucket size, and the tokens a new bucket starts with. */
  capacity: number;
  refillPerSecond: number;
  /** Tokens this request costs; at most `capacity`. */
  cost?: number;
}

export type TakeTokensResult =
  | { allowed: true; remaining: number }
  | { allowed: false; remaining: number; retryAfterSeconds: number };

export async function takeTokens(db: Kysely<Database>, input: TakeTokensInput): Promise<TakeTokensResult> {
  const { key, capacity, refillPerSecond: rate } = input;
  const cost = input.cost ?? 1;
  if (!(capacity > 0 && rate > 0 && cost > 0 && cost <= capacity)) {
    throw new RangeError('capacity and refillPerSecond must be positive, cost within (0, capacity]');
  }
  const available = sql<number>`least(${capacity}::float8,
    b.tokens + greatest(0, extract(epoch from now() - b.updated_at))::float8 * ${rate}::float8)`;
  const taken = await sql<{ tokens: number }>`
    insert into rate_limit_buckets as b (key, tokens, updated_at)
    values (${key}, ${capacity - cost}::float8, now())
    on conflict (key) do update set tokens = ${available} - ${cost}::float8, updated_at = now()
      where ${available} >= ${cost}::float8
    returning tokens`.execute(db);
  const row = taken.rows[0];
  if (row) return { allowed: true, remaining: row.tokens };

  const current = await sql<{ tokens: number }>`
    select ${available} as tokens from rate_limit_buckets as b where b.key = ${key}`.execute(db);
  const remaining = current.rows[0]?.tokens ?? capacity;
  return { allowed: false, remaining, retryAfterSeconds: Math.max(0, (cost - remaining) / rate) };
}

/** Drops buckets untouched since `cutoff` (they would have refilled anyway); returns how many. */
export async function deleteIdleBuckets(db: Kysely<Database>, cutoff: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limit_buckets').where('updated_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
