/**
 * The plan of a scoped user read (issue 17): the region's one search or the caller's groups one by
 * one, by the pages their user totals take; snapshot and cache first; unknown totals never make
 * a read look cheap.
 */
import { describe, expect, it } from 'vitest';
import { userScan, WHOLE_READS, type UserScanShape } from '../../../src/loaders/plans.js';
import { knowledgeOf } from '../../helpers/tenant.js';

const k50 = (options: { snapshots?: ('users' | 'devices')[]; cached?: string[] } = {}) => knowledgeOf({ sizes: { devices: 50_000, users: 20_000 }, ...options });
const directory = { key: WHOLE_READS.userDirectory, users: 20_000 };
const group = (groupId: number, users: number | undefined) => ({ groupId, key: `uem:user-scan:g${groupId}`, users });

describe('userScan', () => {
  it('reads the caller\'s small groups one by one rather than the whole directory', () => {
    const shape: UserScanShape = { region: directory, cover: [group(572, 5_000), group(573, 3_001)] };
    expect(userScan(k50(), shape)).toEqual({ relation: 'userScan', strategy: 'per-group', calls: 10 + 7, keys: 8_001, groups: [572, 573] });
  });

  it('reads the region when the groups would take as many pages or more (ties: the shared read)', () => {
    expect(userScan(k50(), { region: directory, cover: [group(571, 12_000), group(572, 8_000)] })).toEqual({ relation: 'userScan', strategy: 'scan', calls: 40, keys: 20_000 });
    expect(userScan(k50(), { region: directory, cover: [group(571, 12_001), group(572, 8_000)] })).toMatchObject({ strategy: 'scan', calls: 40 });
  });

  it('counts groups already cached as free, and a cached region as the whole answer', () => {
    const shape: UserScanShape = { region: directory, cover: [group(572, 5_000), group(573, 3_000)] };
    expect(userScan(k50({ cached: ['uem:user-scan:g572'] }), shape)).toMatchObject({ strategy: 'per-group', calls: 6, keys: 3_000, groups: [572, 573] });
    expect(userScan(k50({ cached: ['uem:user-scan:g572', 'uem:user-scan:g573'] }), shape)).toEqual({ relation: 'userScan', strategy: 'cache', calls: 0, groups: [572, 573] });
    expect(userScan(k50({ cached: [WHOLE_READS.userDirectory] }), shape)).toEqual({ relation: 'userScan', strategy: 'cache', calls: 0 });
  });

  it('an unknown group total never looks cheap: the region is read', () => {
    expect(userScan(k50(), { region: directory, cover: [group(572, undefined), group(573, 10)] })).toMatchObject({ strategy: 'scan', calls: 40 });
    // Nothing known at all: infinite, which the upstream limit refuses.
    expect(userScan(k50(), { region: { key: 'x', users: undefined } }).calls).toBe(Number.POSITIVE_INFINITY);
  });

  it('answers from the users snapshot only when group ids tell the scope', () => {
    const snap = k50({ snapshots: ['users'] });
    expect(userScan(snap, { region: directory, cover: [group(572, 5_000)] })).toEqual({ relation: 'userScan', strategy: 'snapshot', calls: 0 });
    // Unmapped groups readable through `*`: the snapshot's group search cannot tell; the region is read live.
    expect(userScan(snap, { region: directory })).toMatchObject({ strategy: 'scan', calls: 40 });
  });
});
