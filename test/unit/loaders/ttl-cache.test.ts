import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../../src/loaders/ttl-cache.js';
import { inKeyOrder } from '../../../src/loaders/ordered.js';

describe('TtlCache', () => {
  it('loads once for concurrent callers and serves the value until the TTL passes', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache(1_000, () => now);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual([1, 1, 1]);
    now = 999;
    expect(await cache.get('k', load)).toBe(1);
    now = 1_000;
    expect(await cache.get('k', load)).toBe(2);
    expect(cache.stats).toMatchObject({ misses: 2 });
  });

  it('serves a stale value while a refresh fails, within the bound, then fails closed', async () => {
    let now = 0;
    const cache = new TtlCache(100, () => now);
    await cache.get('k', async () => 'fresh');
    const failing = async (): Promise<string> => {
      throw new Error('upstream down');
    };
    const ages: number[] = [];
    now = 150;
    expect(await cache.get('k', failing, { staleIfErrorMs: 100, onStale: (age) => ages.push(age) })).toBe('fresh');
    expect(ages).toEqual([150]);
    now = 250;
    await expect(cache.get('k', failing, { staleIfErrorMs: 100, onStale: (age) => ages.push(age) })).rejects.toThrow('upstream down');
    expect(ages).toEqual([150]);
  });

  it('does not keep failures, and forgets keys on invalidation', async () => {
    const cache = new TtlCache(10_000);
    await expect(cache.get('a', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await cache.get('a', async () => 'ok')).toBe('ok');
    await cache.get('harmony:roles', async () => 1);
    await cache.get('harmony:users', async () => 1);
    cache.invalidate('harmony:*');
    expect(cache.fresh('harmony:roles')).toBe(false);
    expect(cache.fresh('a')).toBe(true);
    cache.invalidate();
    expect(cache.fresh('a')).toBe(false);
  });

  it('with a TTL of 0 loads every time but still shares loads in flight', async () => {
    const cache = new TtlCache(0);
    let loads = 0;
    const load = async () => {
      await new Promise((r) => setTimeout(r, 5));
      return ++loads;
    };
    expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual([1, 1]);
    expect(await cache.get('k', load)).toBe(2);
  });
});

describe('inKeyOrder', () => {
  it('answers one value per key, in key order, null for misses', () => {
    const items = [{ id: 3 }, { id: 1 }];
    expect(inKeyOrder(['1', '2', '3', '1'], items, (i) => String(i.id))).toEqual([{ id: 1 }, null, { id: 3 }, { id: 1 }]);
  });
});
