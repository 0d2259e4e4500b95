/**
 * The tag and smart-group membership indexes cover every device of the tenant, so they are built
 * once per change of the cached lists and shared by the requests that read the same lists (they
 * hold organization-wide data only): a new request reuses the index; an invalidated member list
 * (our own tag mutation) or a refreshed group list gives a new one.
 */
import { describe, expect, it } from 'vitest';
import type { UemDatasource } from '../../../src/datasources/uem/uem.datasource.js';
import { RequestReference } from '../../../src/loaders/reference.js';
import { TtlCache } from '../../../src/loaders/ttl-cache.js';
import { RequestTenant } from '../../../src/loaders/request-tenant.js';
import { createUemReferenceLoaders, UEM_REFERENCE_KEYS } from '../../../src/loaders/uem-reference.loaders.js';
import type { UemSnapshots } from '../../../src/tenant/snapshots.js';

/** No snapshot serves: the live lists are indexed. */
const noSnapshots = { usable: () => false, membership: () => undefined } as unknown as UemSnapshots;

function fakeUem() {
  const calls = { tags: 0, members: 0 };
  const members: Record<number, number[]> = { 1: [10, 11], 2: [11] };
  const uem = {
    async searchTags() {
      calls.tags++;
      return [
        { id: 1, name: 'Kiosk' },
        { id: 2, name: 'Lab' },
      ];
    },
    async tagDevices(id: number) {
      calls.members++;
      return (members[id] ?? []).map((deviceId) => ({ deviceId }));
    },
  } as unknown as UemDatasource;
  return { uem, calls, members };
}

describe('membership indexes', () => {
  it('are shared across requests while the cached lists are the same, and rebuilt when one changes', async () => {
    const cache = new TtlCache(60_000);
    const { uem, members } = fakeUem();
    const request = () => createUemReferenceLoaders(uem, new RequestReference(cache), new RequestTenant(noSnapshots, cache), { ttlMs: 60_000, concurrency: 4 });
    const first = await request().tagIndex();
    expect(first.ofDevice.get('11')?.map((t) => t.name)).toEqual(['Kiosk', 'Lab']);
    expect(await request().tagIndex()).toBe(first);

    members[2] = [12];
    cache.invalidate(UEM_REFERENCE_KEYS.tagMembers(2));
    const afterWrite = await request().tagIndex();
    expect(afterWrite).not.toBe(first);
    expect(afterWrite.ofDevice.get('12')?.map((t) => t.name)).toEqual(['Lab']);
    expect(afterWrite.ofDevice.get('11')?.map((t) => t.name)).toEqual(['Kiosk']);

    cache.invalidate(UEM_REFERENCE_KEYS.tags);
    expect(await request().tagIndex()).not.toBe(afterWrite);
  });

  it('are built per request when caching is off (TTL 0)', async () => {
    const cache = new TtlCache(0);
    const { uem } = fakeUem();
    const request = () => createUemReferenceLoaders(uem, new RequestReference(cache), new RequestTenant(noSnapshots, cache), { ttlMs: 0, concurrency: 4 });
    expect(await request().tagIndex()).not.toBe(await request().tagIndex());
  });
});
