/**
 * The UEM snapshot tables (migration 0010) on PGlite and Postgres: a replace is whole, a merge
 * bumps the generation and only its rows carry it, lookups are case-insensitive, user search
 * matches UEM's "contains", and the advisory lock lets exactly one of two instances refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as snapshots from '../../../src/store/snapshots.repository.js';
import { backends, openPostgresSchema, postgresUrl, type TestStore } from './backends.js';

const device = (id: number, userName: string | null, groupId = 571): snapshots.DeviceRow => ({
  id,
  groupId,
  groupName: groupId === 571 ? 'Production Devices' : 'Sandbox Devices',
  groupUuid: `g-${groupId}`,
  userName,
  platform: 'Apple',
  model: 'iPhone 15',
  ownership: 'C',
  complianceStatus: 'Compliant',
  enrollmentStatus: 'Enrolled',
  lastSeen: '2026-11-20T08:00:00.000',
  wire: { Id: { Value: id }, UserName: userName },
});

const user = (id: number, userName: string, email: string, groupId: number, extra: Record<string, unknown> = {}): snapshots.UserRow => ({
  id,
  groupId,
  userName,
  email,
  wire: { Id: { Value: id }, UserName: userName, Email: email, FirstName: `First${id}`, Status: true, ...extra },
});

const devicesGeneration = async (db: TestStore['db']) => (await snapshots.snapshotMetas(db)).find((m) => m.name === 'devices')?.generation ?? 0;

const write = (mode: 'replace' | 'merge', calls = 4): snapshots.SnapshotWrite => ({ mode, refreshedAt: new Date(), upstreamTotal: null, calls });

describe.each(backends)('UEM snapshots on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  it('replaces devices whole, then merges an incremental refresh under a new generation', async () => {
    const first = await snapshots.writeDevices(store.db, [device(1, 'ada'), device(2, 'Omar'), device(3, null, 572)], write('replace', 7));
    const second = await snapshots.writeDevices(store.db, [device(2, 'omar.new'), device(4, 'rita')], write('merge', 1));
    expect(second).toBe(first + 1);
    const all = await snapshots.deviceIndexRows(store.db);
    expect(all.map((r) => r.id).sort()).toEqual([1, 2, 3, 4]);
    expect(all.find((r) => r.id === 2)).toMatchObject({ userName: 'omar.new', generation: second, groupName: 'Production Devices' });
    // A reader at the first generation reads only what changed since.
    expect((await snapshots.deviceIndexRows(store.db, first)).map((r) => r.id).sort()).toEqual([2, 4]);
    const meta = (await snapshots.snapshotMetas(store.db)).find((m) => m.name === 'devices');
    // A merge keeps the full refresh's cost and time.
    expect(meta).toMatchObject({ generation: second, itemCount: 4, fullRefreshCalls: 7 });
    await snapshots.writeDevices(store.db, [device(9, 'x')], write('replace'));
    expect((await snapshots.deviceIndexRows(store.db)).map((r) => r.id)).toEqual([9]);
  });

  it('writes a full refresh page by page, invisible until it finishes; devices gone from UEM go, devices changed meanwhile stay', async () => {
    await snapshots.writeDevices(store.db, [device(21, 'a'), device(22, 'b'), device(23, 'c')], write('replace'));
    const before = await devicesGeneration(store.db);
    await snapshots.stageDevices(store.db, [device(21, 'a.new')]);
    await snapshots.stageDevices(store.db, [device(24, 'd')]);
    // A reader following changes sees none until it finishes; a whole read (an instance starting
    // meanwhile) sees every device once, the staged ones in their newer version.
    expect(await snapshots.deviceIndexRows(store.db, before)).toEqual([]);
    expect((await snapshots.deviceIndexRows(store.db)).map((r) => [r.id, r.userName])).toEqual([[21, 'a.new'], [22, 'b'], [23, 'c'], [24, 'd']]);
    // Our own write patches 23 while the refresh runs (its page was read before the change).
    const patched = await snapshots.writeDevices(store.db, [device(23, 'c.patched')], write('merge'));
    const done = await snapshots.finishStagedDevices(store.db, { ...write('replace', 9), mode: 'replace' }, before);
    expect(done).toBe(patched + 1);
    // 22 was not in UEM's answer: gone. 23 was changed after the refresh began: kept.
    expect((await snapshots.deviceIndexRows(store.db)).map((r) => [r.id, r.userName, r.generation])).toEqual([
      [21, 'a.new', done],
      [23, 'c.patched', patched],
      [24, 'd', done],
    ]);
    expect((await snapshots.snapshotMetas(store.db)).find((m) => m.name === 'devices')).toMatchObject({ generation: done, itemCount: 3, fullRefreshCalls: 9 });
  });

  it('discards what an interrupted full refresh staged', async () => {
    await snapshots.writeDevices(store.db, [device(31, 'a')], write('replace'));
    await snapshots.stageDevices(store.db, [device(32, 'half-way')]);
    await snapshots.discardStagedDevices(store.db);
    const before = await devicesGeneration(store.db);
    await snapshots.stageDevices(store.db, [device(31, 'a')]);
    await snapshots.finishStagedDevices(store.db, { ...write('replace'), mode: 'replace' }, before);
    expect((await snapshots.deviceIndexRows(store.db)).map((r) => r.id)).toEqual([31]);
  });

  it('reads the index in windows by id: every row once, in id order, whatever the window', async () => {
    const ids = [5, 17, 3, 40, 8, 11, 2];
    const first = await snapshots.writeDevices(store.db, ids.map((id) => device(id, `u${id}`)), write('replace'));
    await snapshots.writeDevices(store.db, [device(8, 'changed'), device(41, 'new')], write('merge'));
    const sorted = [...ids, 41].sort((a, b) => a - b);
    for (const window of [1, 2, 3, 8, 5_000]) {
      expect((await snapshots.deviceIndexRows(store.db, 0, window)).map((r) => r.id), `window ${window}`).toEqual(sorted);
      expect((await snapshots.deviceIndexRows(store.db, first, window)).map((r) => [r.id, r.userName]), `window ${window}`).toEqual([
        [8, 'changed'],
        [41, 'new'],
      ]);
    }
  });

  it('reads wire records by id and by user name in any case', async () => {
    await snapshots.writeDevices(store.db, [device(10, 'Ada.Admin'), device(11, 'ada.admin'), device(12, 'omar')], write('replace'));
    expect((await snapshots.deviceWires(store.db, [12, 10, 99])).map((w) => (w.Id as { Value: number }).Value).sort()).toEqual([10, 12]);
    expect((await snapshots.deviceWiresByUserNames(store.db, ['ADA.admin'])).map((w) => (w.Id as { Value: number }).Value)).toEqual([10, 11]);
    expect(await snapshots.deviceWires(store.db, [])).toEqual([]);
  });

  it('finds users by id, email and user name, and searches them like UEM', async () => {
    await snapshots.writeUsers(
      store.db,
      [user(1, 'ada.admin', 'Ada.Admin@demo.example', 571), user(2, 'omar', 'omar@demo.example', 572), user(3, 'rita', 'rita@demo.example', 571, { Status: false })],
      write('replace', 2),
    );
    expect((await snapshots.userWires(store.db, { emails: ['ada.admin@DEMO.example'] })).map((w) => w.UserName)).toEqual(['ada.admin']);
    expect((await snapshots.userWires(store.db, { ids: [3, 2] })).map((w) => w.UserName)).toEqual(['omar', 'rita']);
    expect((await snapshots.userWires(store.db, { userNames: ['OMAR'] })).map((w) => w.UserName)).toEqual(['omar']);
    const page = await snapshots.searchUserWires(store.db, { groupIds: [571], firstName: 'first' }, { offset: 1, limit: 1 });
    expect(page).toMatchObject({ total: 2, wires: [{ UserName: 'rita' }] });
    expect((await snapshots.searchUserWires(store.db, { active: false }, { offset: 0, limit: 10 })).wires.map((w) => w.UserName)).toEqual(['rita']);
    expect((await snapshots.searchUserWires(store.db, { email: "'%" }, { offset: 0, limit: 10 })).total).toBe(0);
  });

  it('keeps tag and smart group membership per kind', async () => {
    await snapshots.writeGroups(store.db, 'tags', [{ id: 5, record: { id: 5, name: 'VIP' }, members: [3, 1] }], write('replace'));
    await snapshots.writeGroups(store.db, 'smartGroups', [{ id: 5, record: { id: 5, name: 'All' }, members: [] }], write('replace'));
    expect(await snapshots.groupRows(store.db, 'tags')).toEqual([{ id: 5, record: { id: 5, name: 'VIP' }, members: [3, 1] }]);
    expect((await snapshots.groupRows(store.db, 'smartGroups'))[0]?.record).toEqual({ id: 5, name: 'All' });
  });

  it("writes a large tenant's membership whole, in order, however many statements it takes", async () => {
    // 25,001 members: more than two of the repository's statements carry (it writes them in pieces).
    const large = Array.from({ length: 25_001 }, (_, i) => 2 * i + 1);
    const groups = [
      { id: 7, record: { id: 7, name: 'Fleet' }, members: large },
      { id: 8, record: { id: 8, name: 'Empty' }, members: [] },
      { id: 9, record: { id: 9, name: 'Small' }, members: [4, 2] },
    ];
    await snapshots.writeGroups(store.db, 'tags', groups, write('replace'));
    expect(await snapshots.groupRows(store.db, 'tags')).toEqual(groups);
    // A replace is whole: the groups of the previous write are gone, the other kind is untouched.
    await snapshots.writeGroups(store.db, 'tags', [groups[2]!], write('replace'));
    expect(await snapshots.groupRows(store.db, 'tags')).toEqual([groups[2]]);
    expect((await snapshots.groupRows(store.db, 'smartGroups')).map((g) => g.id)).toEqual([5]);
  });

  it('lets one holder of the refresh lock run at a time', async () => {
    if (backend.name === 'pglite') {
      // One process, one session: its one instance is the leader (and `fn` needs the session).
      expect(await snapshots.withSnapshotLock(store.db, 'devices', async () => (await snapshots.snapshotMetas(store.db)).length > 0, true)).toBe(true);
      return;
    }
    const other = await openPostgresSchema(postgresUrl as string, store.schema as string);
    try {
      let inner: string | undefined = 'not asked';
      const outer = await snapshots.withSnapshotLock(store.db, 'devices', async () => {
        inner = await snapshots.withSnapshotLock(other.db, 'devices', async () => 'ran twice');
        // Another snapshot's lock is free.
        expect(await snapshots.withSnapshotLock(other.db, 'users', async () => 'users')).toBe('users');
        return 'ran';
      });
      expect(outer).toBe('ran');
      expect(inner).toBeUndefined();
      expect(await snapshots.withSnapshotLock(other.db, 'devices', async () => 'after')).toBe('after');
    } finally {
      await other.close();
    }
  });
});
