/**
 * `loaders.renew(upstream)`: what a write calls after forgetting the cached lists it changed, so the
 * rest of the request (the payload, later mutations of the same document) reads the new state. A
 * request otherwise sees one copy of each list, even after the cache dropped it.
 */
import { describe, expect, it } from 'vitest';
import type { HarmonyDatasource } from '../../../src/datasources/harmony/harmony.datasource.js';
import type { UemDatasource } from '../../../src/datasources/uem/uem.datasource.js';
import { createLoaders, HARMONY_KEYS, TtlCache, type LoaderSettings } from '../../../src/loaders/index.js';
import { UEM_REFERENCE_KEYS } from '../../../src/loaders/uem-reference.loaders.js';
import type { UemSnapshots } from '../../../src/tenant/snapshots.js';

const SETTINGS: LoaderSettings = {
  harmony: { accessTtlMs: 60_000, referenceTtlMs: 60_000, staleIfErrorMs: 0 },
  uem: { directoryTtlMs: 60_000, userScanThreshold: 20, perIdConcurrency: 4, batching: true },
};

/** Two upstreams whose lists a test changes, counting the reads that reach them. */
function world() {
  const state = { roles: ['Admin'], tagMembers: [11] };
  const reads = { roles: 0, tagMembers: 0 };
  const harmony = {
    roles: async () => (reads.roles++, state.roles.map((name) => ({ roleId: name, name }))),
  } as unknown as HarmonyDatasource;
  const uem = {
    tagDevices: async () => (reads.tagMembers++, state.tagMembers.map((deviceId) => ({ deviceId }))),
  } as unknown as UemDatasource;
  // No snapshot serves: tag members are read from UEM (through the cache).
  const snapshots = { usable: () => false, membership: () => undefined } as unknown as UemSnapshots;
  const cache = new TtlCache(60_000);
  return { state, reads, cache, loaders: createLoaders({ uem, harmony }, cache, SETTINGS, snapshots) };
}

const roleNames = async (w: ReturnType<typeof world>) => (await w.loaders.harmony.roles()).map((r) => r.name);

describe('loaders.renew', () => {
  it('a request keeps its copy of a list the cache dropped, until its loaders are renewed', async () => {
    const w = world();
    expect(await roleNames(w)).toEqual(['Admin']);
    w.state.roles.push('Operators');
    w.cache.invalidate(HARMONY_KEYS.roles);
    expect(await roleNames(w)).toEqual(['Admin']);
    expect(w.reads.roles).toBe(1);
    w.loaders.renew('harmony');
    expect(await roleNames(w)).toEqual(['Admin', 'Operators']);
    expect(w.reads.roles).toBe(2);
  });

  it('renews one upstream: the other keeps its loaders, and the UEM loaders keep the request’s tenant view', async () => {
    const w = world();
    const { harmony, uem } = w.loaders;
    expect(await w.loaders.uem.tagMembers(7)).toEqual([11]);
    w.state.tagMembers.push(12);
    w.cache.invalidate(UEM_REFERENCE_KEYS.tagMembers(7));
    w.loaders.renew('uem');
    expect(w.loaders.harmony).toBe(harmony);
    expect(w.loaders.uem).not.toBe(uem);
    expect(w.loaders.uem.tenant).toBe(uem.tenant);
    expect(await w.loaders.uem.tagMembers(7)).toEqual([11, 12]);
    expect(w.reads.tagMembers).toBe(2);
  });

  it('without the cache forgetting the list, a renewed request reads the cached copy (renew is no cache bypass)', async () => {
    const w = world();
    await roleNames(w);
    w.state.roles.push('Operators');
    w.loaders.renew('harmony');
    expect(await roleNames(w)).toEqual(['Admin']);
    expect(w.reads.roles).toBe(1);
  });

  it('renews the object it is called on: a copy (the planner’s) renews itself, not the request’s loaders', async () => {
    const w = world();
    const copy = { ...w.loaders };
    const { harmony } = w.loaders;
    copy.renew('harmony');
    expect(copy.harmony).not.toBe(harmony);
    expect(w.loaders.harmony).toBe(harmony);
  });
});
