import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteIdleBuckets, takeTokens } from '../../../src/store/rate-limit.repository.js';
import { backends, uniqueEmail, type TestStore } from './backends.js';

describe.each(backends)('rate limit repository on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  // A refill slow enough that a test never sees a token come back on its own.
  const slow = { capacity: 3, refillPerSecond: 0.001 };

  it('allows up to the capacity, then refuses with a retry delay', async () => {
    const key = uniqueEmail('bucket');
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await takeTokens(store.db, { key, ...slow }));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[0]).toMatchObject({ remaining: 2 });
    const refused = results[3]!;
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterSeconds).toBeGreaterThan(900);
  });

  it('refills with time, never above the capacity', async () => {
    const key = uniqueEmail('refill');
    await takeTokens(store.db, { key, ...slow, cost: 3 });
    await store.db.updateTable('rate_limit_buckets').set({ updated_at: new Date(Date.now() - 3600_000) }).where('key', '=', key).execute();
    const after = await takeTokens(store.db, { key, capacity: 3, refillPerSecond: 1 });
    expect(after).toEqual({ allowed: true, remaining: 2 });
  });

  it('grants exactly the capacity to concurrent takers', async () => {
    const key = uniqueEmail('race');
    const results = await Promise.all(Array.from({ length: 8 }, () => takeTokens(store.db, { key, capacity: 5, refillPerSecond: 0.001 })));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });

  it('validates its parameters and drops idle buckets', async () => {
    await expect(takeTokens(store.db, { key: 'k', capacity: 1, refillPerSecond: 1, cost: 2 })).rejects.toThrow(RangeError);
    const key = uniqueEmail('idle');
    await takeTokens(store.db, { key, ...slow });
    await store.db.updateTable('rate_limit_buckets').set({ updated_at: new Date(Date.now() - 3600_000) }).where('key', '=', key).execute();
    expect(await deleteIdleBuckets(store.db, new Date(Date.now() - 60_000))).toBeGreaterThanOrEqual(1);
    expect(await store.db.selectFrom('rate_limit_buckets').select('key').where('key', '=', key).execute()).toEqual([]);
  });
});
