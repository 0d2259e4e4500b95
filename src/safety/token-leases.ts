/**
 * A per-instance front for the shared token buckets: instead of one database statement per
 * request, an instance takes a small lease of tokens at once (a tenth of the smaller of the burst
 * and the per-second rate, at least 1) and spends it locally for up to a second. Requests of one
 * key waiting for a lease share a single statement. Limits stay shared and are never exceeded:
 * tokens are taken from the database before they are spent; what an expired lease left unspent is
 * lost (at most one lease per key, instance and second), so a caller near its limit may be
 * refused slightly early, never late. Buckets of 19 or fewer tokens (or rates under 20/s) lease
 * one token at a time, exactly as without this front.
 *
 * A refusal is remembered for its `Retry-After` (at most REFUSAL_MEMORY_MS): the bucket cannot
 * refill sooner, so a caller flooding past its limit is answered 429 without a statement per
 * request. Requests costing several tokens spend them from the lease when it holds enough, and
 * otherwise take them directly.
 */
import type { RateLimit } from '../config.js';
import type { TakeTokensInput, TakeTokensResult } from '../store/rate-limit.repository.js';

export const LEASE_MS = 1_000;
/** How long a refusal is answered from memory at most (a bucket reset by hand shows within this). */
export const REFUSAL_MEMORY_MS = 1_000;
const MAX_KEYS = 10_000;

export type TakeTokens = (input: TakeTokensInput) => Promise<TakeTokensResult>;
export type LeaseResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const leaseSize = (limit: RateLimit) => Math.max(1, Math.floor(Math.min(limit.burst, limit.perSecond) / 10));

interface Lease {
  tokens: number;
  until: number;
  /** Set when the bucket refused: refused until `until`. */
  refused?: boolean;
}

export class TokenLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly refills = new Map<string, Promise<LeaseResult>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** `cost` tokens (default 1; capped at the burst) for one request of `key`. */
  async take(key: string, limit: RateLimit, takeTokens: TakeTokens, cost = 1): Promise<LeaseResult> {
    const remembered = this.refusal(key);
    if (remembered) return remembered;
    if (cost > 1) {
      const lease = this.leases.get(key);
      if (lease && !lease.refused && lease.tokens >= cost && lease.until > this.now()) {
        lease.tokens -= cost;
        return { allowed: true };
      }
      return this.direct(key, limit, takeTokens, Math.min(cost, limit.burst));
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const lease = this.leases.get(key);
      const refused = lease?.refused ? this.refusal(key) : undefined;
      if (refused) return refused;
      if (lease && lease.tokens >= 1 && lease.until > this.now()) {
        lease.tokens--;
        return { allowed: true };
      }
      let refill = this.refills.get(key);
      if (!refill) {
        refill = this.refill(key, limit, takeTokens).finally(() => this.refills.delete(key));
        this.refills.set(key, refill);
      }
      const result = await refill;
      if (!result.allowed) return result;
    }
    // Many requests raced for small leases: take this one's token directly.
    return this.direct(key, limit, takeTokens, 1);
  }

  private async direct(key: string, limit: RateLimit, takeTokens: TakeTokens, cost: number): Promise<LeaseResult> {
    const taken = await takeTokens({ key, capacity: limit.burst, refillPerSecond: limit.perSecond, cost });
    if (taken.allowed) return { allowed: true };
    // Only a refusal of one token says the bucket is empty; a dearer request may fail where one would not.
    if (cost === 1) this.remember(key, taken.retryAfterSeconds);
    return { allowed: false, retryAfterSeconds: taken.retryAfterSeconds };
  }

  /** A refusal still remembered for `key`, with the seconds left. */
  private refusal(key: string): LeaseResult | undefined {
    const lease = this.leases.get(key);
    if (!lease?.refused) return undefined;
    const left = lease.until - this.now();
    if (left <= 0) {
      this.leases.delete(key);
      return undefined;
    }
    return { allowed: false, retryAfterSeconds: left / 1000 };
  }

  private remember(key: string, retryAfterSeconds: number): void {
    const ms = Math.min(REFUSAL_MEMORY_MS, retryAfterSeconds * 1000);
    if (ms <= 0) return;
    if (this.leases.size >= MAX_KEYS) this.prune();
    this.leases.set(key, { tokens: 0, until: this.now() + ms, refused: true });
  }

  private async refill(key: string, limit: RateLimit, takeTokens: TakeTokens): Promise<LeaseResult> {
    const input = { key, capacity: limit.burst, refillPerSecond: limit.perSecond };
    const size = leaseSize(limit);
    let taken = await takeTokens({ ...input, cost: size });
    let got = size;
    if (!taken.allowed && size > 1) {
      taken = await takeTokens(input);
      got = 1;
    }
    if (!taken.allowed) {
      this.leases.delete(key);
      this.remember(key, taken.retryAfterSeconds);
      return { allowed: false, retryAfterSeconds: taken.retryAfterSeconds };
    }
    if (this.leases.size >= MAX_KEYS) this.prune();
    this.leases.set(key, { tokens: got, until: this.now() + LEASE_MS });
    return { allowed: true };
  }

  private prune(): void {
    const now = this.now();
    for (const [key, lease] of this.leases) if (lease.until <= now || lease.tokens < 1) this.leases.delete(key);
    if (this.leases.size >= MAX_KEYS) this.leases.clear();
  }
}
