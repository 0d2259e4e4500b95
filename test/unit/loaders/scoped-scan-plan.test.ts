/**
 * The plan of a scoped user or device read (issue 17): the region's one search or the caller's groups one by
 * one, by the pages their user totals take; snapshot and cache first; unknown totals never make
 * a read look cheap.
 */
import { describe, expect, it } from 'vitest';
import { coverRoots } from '../../../src/domain/group-tree.js';
import { scopedDeviceScan, userScan, WHOLE_READS, type ScanShape } from '../../../src/loaders/plans.js';
import { knowledgeOf } from '../../helpers/tenant.js';

const k50 = (options: { snapshots?: ('users' | 'devices')[]; cached?: string[] } = {}) => knowledgeOf({ sizes: { devices: 50_000, users: 20_000 }, ...options });
const directory = { key: WHOLE_READS.userDirectory, items: 20_000 };
const group = (groupId: number, users: number | undefined) => ({ groupId, key: `uem:user-scan:g${groupId}`, items: users });

describe('userScan', () => {
  it('reads the caller\'s small groups one by one rather than the whole directory', () => {
    const shape: ScanShape = { region: directory, cover: [group(572, 5_000), group(573, 3_001)] };
    expect(userScan(k50(), shape)).toEqual({ relation: 'userScan', strategy: 'per-group', calls: 10 + 7, keys: 8_001, groups: [572, 573] });
  });

  it('reads the region when the groups would take as many pages or more (ties: the shared read)', () => {
    expect(userScan(k50(), { region: directory, cover: [group(571, 12_000), group(572, 8_000)] })).toEqual({ relation: 'userScan', strategy: 'scan', calls: 40, keys: 20_000 });
    expect(userScan(k50(), { region: directory, cover: [group(571, 12_001), group(572, 8_000)] })).toMatchObject({ strategy: 'scan', calls: 40 });
  });

  it('counts groups already cached as free, and a cached region as the whole answer', () => {
    const shape: ScanShape = { region: directory, cover: [group(572, 5_000), group(573, 3_000)] };
    expect(userScan(k50({ cached: ['uem:user-scan:g572'] }), shape)).toMatchObject({ strategy: 'per-group', calls: 6, keys: 3_000, groups: [572, 573] });
    expect(userScan(k50({ cached: ['uem:user-scan:g572', 'uem:user-scan:g573'] }), shape)).toEqual({ relation: 'userScan', strategy: 'cache', calls: 0, groups: [572, 573] });
    expect(userScan(k50({ cached: [WHOLE_READS.userDirectory] }), shape)).toEqual({ relation: 'userScan', strategy: 'cache', calls: 0 });
  });

  it('an unknown group total never looks cheap: the region is read', () => {
    expect(userScan(k50(), { region: directory, cover: [group(572, undefined), group(573, 10)] })).toMatchObject({ strategy: 'scan', calls: 40 });
    // Nothing known at all: infinite, which the upstream limit refuses.
    expect(userScan(k50(), { region: { key: 'x', items: undefined } }).calls).toBe(Number.POSITIVE_INFINITY);
  });

  it('answers from the users snapshot only when group ids tell the scope', () => {
    const snap = k50({ snapshots: ['users'] });
    expect(userScan(snap, { region: directory, cover: [group(572, 5_000)] })).toEqual({ relation: 'userScan', strategy: 'snapshot', calls: 0 });
    // Unmapped groups readable through `*`: the snapshot's group search cannot tell; the region is read live.
    expect(userScan(snap, { region: directory })).toMatchObject({ strategy: 'scan', calls: 40 });
  });
});

describe('scopedDeviceScan', () => {
  const tenant = { key: 'uem:device-scan:[]', items: 50_000 };
  it('the device snapshot answers whatever the cover; live, the cheaper of the tenant and the groups', () => {
    const shape: ScanShape = { region: tenant, cover: [group(572, 13_034), group(573, 8_943)] };
    expect(scopedDeviceScan(k50({ snapshots: ['devices'] }), { region: tenant })).toEqual({ relation: 'deviceScan', strategy: 'snapshot', calls: 0 });
    expect(scopedDeviceScan(k50(), shape)).toEqual({ relation: 'deviceScan', strategy: 'per-group', calls: 27 + 18, keys: 21_977, groups: [572, 573] });
    expect(scopedDeviceScan(k50(), { region: tenant, cover: [group(570, 50_000)] })).toMatchObject({ strategy: 'scan', calls: 100 });
  });
});

describe('coverRoots', () => {
  const tree = [
    { id: 1, parentId: null },
    { id: 2, parentId: 1 },
    { id: 3, parentId: 2 },
    { id: 4, parentId: 1 },
    { id: 5, parentId: 4 },
  ];
  it('keeps the groups whose parent is not among them', () => {
    expect(coverRoots([5, 3, 2], tree)).toEqual([2, 5]);
    expect(coverRoots([1, 2, 3, 4, 5], tree)).toEqual([1]);
    expect(coverRoots([], tree)).toEqual([]);
    expect(coverRoots([9], tree)).toEqual([9]);
  });
});
