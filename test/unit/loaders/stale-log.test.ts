/**
 * The response's stale notice (README, "Stale answers"): which cached lists a request was answered
 * from past a failed refresh, under the field that lists them, or `viewer` when the caller's own
 * permissions were read from them; through the request's reference reads.
 */
import { describe, expect, it } from 'vitest';
import { RequestReference } from '../../../src/loaders/reference.js';
import { StaleLog } from '../../../src/loaders/stale.js';
import { TtlCache } from '../../../src/loaders/ttl-cache.js';

const ROLES = { upstream: 'harmony', field: 'roles' } as const;
const USERS = { upstream: 'harmony', field: 'harmonyUsers' } as const;
const failing = async (): Promise<string[]> => {
  throw new Error('Harmony is unreachable');
};

describe('StaleLog', () => {
  it('reports nothing while every list was fresh', () => {
    const log = new StaleLog();
    log.read('harmony:roles', ROLES);
    log.beginExecution();
    log.read('harmony:roles', ROLES);
    expect(log.notices()).toEqual([]);
  });

  it('names the caller (viewer) for lists read before execution, the field for lists read during it', () => {
    const log = new StaleLog();
    log.read('harmony:users', USERS);
    log.read('harmony:roles', ROLES);
    log.read('harmony:environment-access', ROLES);
    log.served('harmony:users', 61_900);
    log.served('harmony:roles', 45_000);
    log.served('harmony:environment-access', 75_500);
    log.beginExecution();
    log.read('harmony:roles', ROLES);
    log.read('harmony:environment-access', ROLES);
    expect(log.notices()).toEqual([
      { upstream: 'harmony', field: 'roles', ageSeconds: 75 },
      { upstream: 'harmony', field: 'viewer', ageSeconds: 75 },
    ]);
  });

  it('ignores a stale copy of a list nobody read under a source', () => {
    const log = new StaleLog();
    log.served('harmony:users', 10_000);
    expect(log.notices()).toEqual([]);
  });
});

describe('RequestReference with a stale log', () => {
  it('logs a copy served past a failed refresh, once per list, and every later read of it', async () => {
    let now = 0;
    const cache = new TtlCache(30_000, () => now);
    await cache.get('harmony:roles', async () => ['Administrator']);
    await cache.get('uem:apps', async () => ['Mail']);
    now = 90_000;
    const log = new StaleLog();
    const ref = new RequestReference(cache, log);
    const options = { staleIfErrorMs: 300_000, stale: ROLES };
    expect(await ref.get('harmony:roles', failing, options)).toEqual(['Administrator']);
    expect(log.notices()).toEqual([{ upstream: 'harmony', field: 'viewer', ageSeconds: 90 }]);
    log.beginExecution();
    expect(await ref.get('harmony:roles', failing, options)).toEqual(['Administrator']);
    expect(log.notices()).toEqual([
      { upstream: 'harmony', field: 'roles', ageSeconds: 90 },
      { upstream: 'harmony', field: 'viewer', ageSeconds: 90 },
    ]);
    // A list without a source is never reported; a list past its bound fails instead.
    await expect(ref.get('uem:apps', failing)).rejects.toThrow('unreachable');
    now = 400_000;
    await expect(new RequestReference(cache, log).get('harmony:roles', failing, options)).rejects.toThrow('unreachable');
    expect(log.notices()).toHaveLength(2);
    expect(cache.stats.staleServed).toBe(1);
  });
});
