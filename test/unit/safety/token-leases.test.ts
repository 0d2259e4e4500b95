import { describe, expect, it } from 'vitest';
import type { TakeTokensInput, TakeTokensResult } from '../../../src/store/rate-limit.repository.js';
import { LEASE_MS, leaseSize, REFUSAL_MEMORY_MS, TokenLeases } from '../../../src/safety/token-leases.js';

/** The shared bucket's semantics (rate-limit.repository.ts) on a clock the test moves. */
function bucket(clock: { now: number }) {
  const state = new Map<string, { tokens: number; at: number }>();
  const calls: number[] = [];
  const take = async (input: TakeTokensInput): Promise<TakeTokensResult> => {
    const cost = input.cost ?? 1;
    calls.push(cost);
    await new Promise((r) => setImmediate(r));
    const b = state.get(input.key) ?? { tokens: input.capacity, at: clock.now };
    const available = Math.min(input.capacity, b.tokens + ((clock.now - b.at) / 1000) * input.refillPerSecond);
    if (available < cost) return { allowed: false, remaining: available, retryAfterSeconds: (cost - available) / input.refillPerSecond };
    state.set(input.key, { tokens: available - cost, at: clock.now });
    return { allowed: true, remaining: available - cost };
  };
  return { take, calls };
}

describe('token leases in front of the shared buckets', () => {
  const busy = { burst: 600, perSecond: 100 };

  it('lease a tenth of the smaller of burst and rate, at least one', () => {
    expect(leaseSize(busy)).toBe(10);
    expect(leaseSize({ burst: 4, perSecond: 1 })).toBe(1);
    expect(leaseSize({ burst: 19, perSecond: 500 })).toBe(1);
  });

  it('answer 25 concurrent requests of one caller with three statements', async () => {
    const clock = { now: 0 };
    const { take, calls } = bucket(clock);
    const leases = new TokenLeases(() => clock.now);
    const results = await Promise.all(Array.from({ length: 25 }, () => leases.take('k', busy, take)));
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(calls).toEqual([10, 10, 10]);
  });

  it('never let more through than the bucket holds, and use it to the last token', async () => {
    const clock = { now: 0 };
    const { take } = bucket(clock);
    const leases = new TokenLeases(() => clock.now);
    const limit = { burst: 105, perSecond: 100 };
    let allowed = 0;
    for (let i = 0; i < 150; i++) if ((await leases.take('k', limit, take)).allowed) allowed++;
    expect(allowed).toBe(105);
    const refused = await leases.take('k', limit, take);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 0.01 });
  });

  it('share the bucket between instances', async () => {
    const clock = { now: 0 };
    const { take } = bucket(clock);
    const [a, b] = [new TokenLeases(() => clock.now), new TokenLeases(() => clock.now)];
    const limit = { burst: 40, perSecond: 30 };
    let allowed = 0;
    for (let i = 0; i < 30; i++) for (const instance of [a, b]) if ((await instance.take('k', limit, take)).allowed) allowed++;
    expect(allowed).toBe(40);
  });

  it('drop what an expired lease left unspent and take a new one', async () => {
    const clock = { now: 0 };
    const { take, calls } = bucket(clock);
    const leases = new TokenLeases(() => clock.now);
    await leases.take('k', busy, take);
    clock.now += LEASE_MS;
    await leases.take('k', busy, take);
    expect(calls).toEqual([10, 10]);
  });

  it('remember a refusal for its Retry-After (at most a second): a flood past the limit costs no statements', async () => {
    const clock = { now: 0 };
    const { take, calls } = bucket(clock);
    const leases = new TokenLeases(() => clock.now);
    const slow = { burst: 2, perSecond: 0.5 };
    expect((await leases.take('k', slow, take)).allowed).toBe(true);
    expect((await leases.take('k', slow, take)).allowed).toBe(true);
    const statements = calls.length;
    for (let i = 0; i < 100; i++) expect((await leases.take('k', slow, take)).allowed).toBe(false);
    expect(calls.length).toBe(statements + 1);
    // Past the memory (here shorter than Retry-After, 2 s), the bucket is asked again.
    clock.now += REFUSAL_MEMORY_MS;
    expect(await leases.take('k', slow, take)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(calls.length).toBe(statements + 2);
    clock.now += 1_000;
    expect((await leases.take('k', slow, take)).allowed).toBe(true);
  });

  it('spend a dearer request from the lease when it holds enough', async () => {
    const clock = { now: 0 };
    const { take, calls } = bucket(clock);
    const leases = new TokenLeases(() => clock.now);
    expect((await leases.take('k', busy, take)).allowed).toBe(true); // a lease of 10, one spent
    expect((await leases.take('k', busy, take, 6)).allowed).toBe(true);
    expect((await leases.take('k', busy, take, 6)).allowed).toBe(true); // 3 left: taken directly
    expect(calls).toEqual([10, 6]);
  });

  it('take a dearer request in one statement, capped at the burst', async () => {
    const clock = { now: 0 };
    const { take, calls } = bucket(clock);
    const leases = new TokenLeases(() => clock.now);
    const limit = { burst: 30, perSecond: 10 };
    expect((await leases.take('k', limit, take, 25)).allowed).toBe(true);
    expect(calls).toEqual([25]);
    expect((await leases.take('k', limit, take, 100)).allowed).toBe(false);
    expect(calls).toEqual([25, 30]);
    // A dear refusal does not say the bucket is empty: a one-token request still goes through.
    expect((await leases.take('k', limit, take)).allowed).toBe(true);
  });
});
