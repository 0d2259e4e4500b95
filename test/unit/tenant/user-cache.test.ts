/**
 * The in-memory cache of snapshot users by id (src/tenant/user-cache.ts): the store is asked only
 * for ids not kept at this generation, ids it does not hold are remembered as missing, a new
 * generation drops everything, a read that straddles a generation change is not kept, and the
 * number kept is bounded.
 */
import { describe, expect, it } from 'vitest';
import type { UemUser } from '../../../src/datasources/uem/uem.schemas.js';
import { SnapshotUserCache } from '../../../src/tenant/user-cache.js';

const user = (id: number, firstName = `First${id}`): UemUser => ({
  id,
  uuid: null,
  userName: `user${id}`,
  firstName,
  lastName: null,
  active: true,
  email: `user${id}@example.com`,
  securityType: 'Basic',
  contactNumber: null,
  mobileNumber: null,
  displayName: null,
  organizationGroupId: 570,
  organizationGroupName: 'Production',
  department: null,
  enrolledDevicesCount: 1,
});

/** A store of users 1..50 whose names carry `label`, counting the ids it is asked for. */
function fakeStore(label: string) {
  const asked: number[][] = [];
  return {
    asked,
    read: async (ids: readonly number[]) => {
      asked.push([...ids]);
      return ids.filter((id) => id >= 1 && id <= 50).map((id) => user(id, `${label}${id}`));
    },
  };
}

describe('SnapshotUserCache', () => {
  it('asks the store only for the ids it does not keep, and answers in id order', async () => {
    const cache = new SnapshotUserCache();
    const store = fakeStore('a');
    const first = await cache.users([3, 1, 2], 7, store.read, () => 7);
    expect(first.map((u) => u.id)).toEqual([1, 2, 3]);
    const second = await cache.users([4, 2, 1, 4], 7, store.read, () => 7);
    expect(second.map((u) => u.id)).toEqual([1, 2, 4]);
    expect(store.asked).toEqual([[3, 1, 2], [4]]);
    // The same objects: nothing read or converted again.
    expect(second[0]).toBe(first[0]);
  });

  it('remembers ids the snapshot does not hold, and leaves them out', async () => {
    const cache = new SnapshotUserCache();
    const store = fakeStore('a');
    expect((await cache.users([1, 99], 1, store.read, () => 1)).map((u) => u.id)).toEqual([1]);
    expect((await cache.users([99, 1], 1, store.read, () => 1)).map((u) => u.id)).toEqual([1]);
    expect(store.asked).toEqual([[1, 99]]);
  });

  it('drops what it kept when the generation moves', async () => {
    const cache = new SnapshotUserCache();
    const old = fakeStore('old');
    await cache.users([1, 2], 1, old.read, () => 1);
    const fresh = fakeStore('new');
    const after = await cache.users([1, 2], 2, fresh.read, () => 2);
    expect(after.map((u) => u.firstName)).toEqual(['new1', 'new2']);
    expect(fresh.asked).toEqual([[1, 2]]);
  });

  it('does not keep a read during which the generation moved', async () => {
    const cache = new SnapshotUserCache();
    let generation = 1;
    const store = fakeStore('a');
    const racing = async (ids: readonly number[]) => {
      const users = await store.read(ids);
      generation = 2;
      return users;
    };
    expect((await cache.users([1], 1, racing, () => generation)).map((u) => u.id)).toEqual([1]);
    // Read again at the generation that is now current: kept this time.
    await cache.users([1], generation, store.read, () => generation);
    await cache.users([1], generation, store.read, () => generation);
    expect(store.asked).toEqual([[1], [1]]);
    expect(cache.size).toBe(1);
  });

  it('keeps nothing without a generation', async () => {
    const cache = new SnapshotUserCache();
    const store = fakeStore('a');
    await cache.users([1], null, store.read, () => null);
    await cache.users([1], null, store.read, () => null);
    expect(store.asked).toEqual([[1], [1]]);
    expect(cache.size).toBe(0);
  });

  it('keeps at most its bound, the least recently used going first', async () => {
    const cache = new SnapshotUserCache(3);
    const store = fakeStore('a');
    await cache.users([1, 2, 3], 1, store.read, () => 1);
    await cache.users([1], 1, store.read, () => 1);
    await cache.users([4], 1, store.read, () => 1);
    expect(cache.size).toBe(3);
    await cache.users([1, 3, 4], 1, store.read, () => 1);
    await cache.users([2], 1, store.read, () => 1);
    expect(store.asked).toEqual([[1, 2, 3], [4], [2]]);
  });

  it('answers a kept user at once for its generation only, and never a user it holds as missing', async () => {
    const cache = new SnapshotUserCache();
    const store = fakeStore('a');
    expect(cache.peek(1, 7)).toBeUndefined();
    await cache.users([1, 99], 7, store.read, () => 7);
    expect(cache.peek(1, 7)).toMatchObject({ id: 1, firstName: 'a1' });
    // 99 is kept as absent from the snapshot: the loader reads such ids live, so no answer here.
    expect(cache.peek(99, 7)).toBeUndefined();
    expect(cache.peek(2, 7)).toBeUndefined();
    expect(cache.peek(1, 8)).toBeUndefined();
    expect(cache.peek(1, null)).toBeUndefined();
    expect(store.asked).toEqual([[1, 99]]);
  });
});
