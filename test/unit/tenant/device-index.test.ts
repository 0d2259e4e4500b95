/**
 * The device snapshot's in-memory index: `deviceSummary`'s grouping counts every combination of
 * the chosen columns exactly as grouping the rows themselves would (nulls and group ids included),
 * and filters match as UEM's do (case-insensitive values, a group's ids, last-seen bounds).
 */
import { describe, expect, it } from 'vitest';
import { DeviceIndex, type SummaryColumn } from '../../../src/tenant/device-index.js';
import type { DeviceIndexRow } from '../../../src/store/snapshots.repository.js';

const PLATFORMS = ['Apple', 'Android', 'WinRT', null];
const COMPLIANCE = ['Compliant', 'NonCompliant', null];
const OWNERSHIP = ['C', 'E', 'S'];
const ENROLLMENT = ['Enrolled', 'Unenrolled', 'EnterpriseWipePending'];
const GROUPS = [570, 571, 98_765, null];

/** Deterministic rows: every combination appears, in uneven numbers. */
function rows(n: number): DeviceIndexRow[] {
  return Array.from({ length: n }, (_, i) => {
    const groupId = GROUPS[(i * 7) % GROUPS.length] ?? null;
    return {
      id: 1000 + i,
      generation: 1,
      groupId,
      groupName: groupId === null ? null : `Group ${groupId}`,
      groupUuid: null,
      userName: `user${i % 13}`,
      platform: PLATFORMS[i % PLATFORMS.length] ?? null,
      model: i % 2 ? 'iPhone' : 'Pixel',
      ownership: OWNERSHIP[(i * 3) % OWNERSHIP.length] ?? null,
      complianceStatus: COMPLIANCE[(i * 5) % COMPLIANCE.length] ?? null,
      enrollmentStatus: ENROLLMENT[(i * 11) % ENROLLMENT.length] ?? null,
      lastSeen: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().slice(0, 19),
    };
  });
}

const FIELD: Record<SummaryColumn, (r: DeviceIndexRow) => unknown> = {
  platform: (r) => r.platform,
  ownership: (r) => r.ownership,
  complianceStatus: (r) => r.complianceStatus,
  enrollmentStatus: (r) => r.enrollmentStatus,
  organizationGroup: (r) => r.groupId,
};

describe('DeviceIndex', () => {
  const data = rows(997);
  const index = new DeviceIndex(data, 1);
  const all = index.match({});

  it.each<SummaryColumn[]>([
    ['platform'],
    ['organizationGroup'],
    ['platform', 'complianceStatus'],
    ['organizationGroup', 'enrollmentStatus', 'ownership'],
    ['platform', 'ownership', 'complianceStatus', 'enrollmentStatus', 'organizationGroup'],
  ])('counts each combination of %j as grouping the rows would', (...columns) => {
    const expected = new Map<string, number>();
    for (const r of data) {
      const key = JSON.stringify(columns.map((c) => FIELD[c](r)));
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const named: Record<SummaryColumn, keyof ReturnType<DeviceIndex['device']>> = {
      platform: 'uemPlatform',
      ownership: 'uemOwnership',
      complianceStatus: 'uemComplianceStatus',
      enrollmentStatus: 'uemEnrollmentStatus',
      organizationGroup: 'organizationGroupId',
    };
    const actual = new Map(index.groupCounts(all, columns).map((g) => [JSON.stringify(columns.map((c) => g.device[named[c]])), g.count]));
    expect(actual).toEqual(expected);
  });

  it('keeps the unfiltered summary for the life of the index; a filtered one is counted each time', () => {
    const columns: SummaryColumn[] = ['platform', 'complianceStatus'];
    const first = index.summary({}, columns);
    expect(first).toEqual(index.groupCounts(all, columns));
    expect(index.summary({ platform: undefined }, columns)).toBe(first);
    expect(index.summary({}, ['platform'])).not.toBe(first);
    const apple = index.summary({ platform: 'Apple' }, columns);
    expect(apple).toEqual(index.groupCounts(index.match({ platform: 'Apple' }), columns));
    expect(index.summary({ platform: 'Apple' }, columns)).not.toBe(apple);
    // A merged index (an incremental refresh) counts afresh.
    const changed = { ...data[0]!, platform: 'WinRT', generation: 2 };
    const next = index.merge([changed], 2);
    const key = (g: { device: { uemPlatform: string | null; uemComplianceStatus: string | null }; count: number }) => `${g.device.uemPlatform}/${g.device.uemComplianceStatus}`;
    const before = new Map(first.map((g) => [key(g), g.count]));
    const after = new Map(next.summary({}, columns).map((g) => [key(g), g.count]));
    expect(after.get(`WinRT/${data[0]!.complianceStatus}`)).toBe((before.get(`WinRT/${data[0]!.complianceStatus}`) ?? 0) + 1);
  });

  it('merges changes to devices it holds in place, and a new device by rebuilding: as an index built afresh', () => {
    const changes = [
      { ...data[3]!, platform: 'WinRT', complianceStatus: 'NonCompliant', groupId: 571, groupName: 'Group 571', userName: 'someone.new', model: 'Brand New', generation: 2 },
      { ...data[10]!, lastSeen: null, enrollmentStatus: 'Unenrolled', generation: 2 },
      { ...data[10]!, lastSeen: '2030-01-01T00:00:00', generation: 2 },
    ];
    const added = { ...data[0]!, id: 5, generation: 3 };
    const byId = (rows: readonly DeviceIndexRow[]) => new Map(rows.map((r) => [r.id, r]));
    for (const [merged, rows] of [
      [index.merge(changes, 2), [...byId([...data, ...changes]).values()]],
      [index.merge([...changes, added], 3), [...byId([...data, ...changes, added]).values()]],
    ] as const) {
      const fresh = new DeviceIndex(rows, merged.generation);
      expect(merged.size).toBe(fresh.size);
      const everything = fresh.match({});
      expect(everything.map((i) => merged.device(i))).toEqual(everything.map((i) => fresh.device(i)));
      for (const filter of [{ platform: 'winrt' }, { userName: 'SOMEONE.NEW' }, { model: 'brand new' }, { groupIds: new Set([571]) }, { seenSince: Date.UTC(2029, 0, 1) }]) {
        expect(merged.match(filter), JSON.stringify(filter)).toEqual(fresh.match(filter));
      }
      expect(merged.summary({}, ['platform', 'organizationGroup'])).toEqual(fresh.summary({}, ['platform', 'organizationGroup']));
    }
    // The index merged from is unchanged (requests in flight keep reading it).
    expect(index.match({ userName: 'someone.new' })).toEqual([]);
    expect(index.device(3)).toEqual(new DeviceIndex(data, 1).device(3));
  });

  it('counts only the positions asked for, and matches filters as UEM does', () => {
    const apple = index.match({ platform: 'APPLE' });
    expect(apple.length).toBe(data.filter((r) => r.platform === 'Apple').length);
    expect(index.groupCounts(apple, ['platform'])).toEqual([{ device: expect.objectContaining({ uemPlatform: 'Apple' }), count: apple.length }]);
    const inGroup = index.match({ groupIds: new Set([98_765]), complianceStatus: 'NonCompliant' });
    expect(inGroup.map((i) => index.ids[i])).toEqual(data.filter((r) => r.groupId === 98_765 && r.complianceStatus === 'NonCompliant').map((r) => r.id));
    const since = Date.UTC(2026, 0, 1) + 900 * 60_000;
    expect(index.match({ seenSince: since }).length).toBe(data.length - 900);
    expect(index.match({ platform: 'BlackBerry' })).toEqual([]);
  });
});
