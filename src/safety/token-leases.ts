/**
 * A per-instance front for the shared token buckets: instead of one database statement per
 * request, an instance takes a small lease of tokens at once (a tenth of the smaller of the burst
 * and the per-second rate, at least 1) and spends it locally for up to a second. Requests of one
 * key waiting for a lease share a single statement. Limits stay shared and are never exceeded:
 * tokens are taken from the database before they are spent; what an expired lease left unspent is
 * lost (at most one lease per key, instance and second), so a caller near its limit may be
 * refused slightly early, never late. Buckets of 19 or fewer tokens (or rates under 20/s) lease
 * one token at a time, exactly as without this front.
 */
import type { RateLimit } from '../config.js';
import type { TakeTokensInput, TakeTokensResult } from '../store/rate-limit.repository.js';

export const LEASE_MS = 1_000;
const MAX_KEYS = 10_000;

export type TakeTokens = (input: TakeTokensInput) => Promise<TakeTokensResult>;
export type LeaseResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const leaseSize = (limit: RateLimit) => Math.max(1, Math.floor(Math.min(limit.burst, limit.perSecond) / 10));

interface Lease {
  tokens: number;
  until: number;
}

export class TokenLeases {
  private readonly leases = new Map<string, Lease>();
  private readonly refills = new Map<string, Promise<LeaseResult>>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(key: string, limit: RateLimit, takeTokens: TakeTokens): Promise<LeaseResult> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const lease = this.leases.get(key);
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
    const direct = await takeTokens({ key, capacity: limit.burst, refillPerSecond: limit.perSecond });
    return direct.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: direct.retryAfterSeconds };
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
