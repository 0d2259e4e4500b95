/** Per-group totals (issue 17): from the group list, corrected by searches and probes, probes forgotten after their TTL. */
import { describe, expect, it } from 'vitest';
import { GROUP_PROBE_RETRY_MS, GROUP_PROBE_TTL_MS, GroupSizes } from '../../../src/tenant/group-sizes.js';

const listed = (id: number, userCount: number | null, parentId: number | null = 570) => ({ id, parentId, deviceCount: 10, userCount });

describe('GroupSizes', () => {
  it('keeps the list\'s totals, a search\'s total over them, and probes only what is unknown', () => {
    let now = 1_000;
    const sizes = new GroupSizes(() => now);
    sizes.observeList([listed(570, 100, null), listed(571, 60), listed(572, null)]);
    expect(sizes.snapshot().get(571)).toEqual({ parentId: 570, devices: 10, users: 60 });
    expect(sizes.unknownUsers([571, 572, 999, 572])).toEqual([572, 999]);

    sizes.observeUsers(572, 25);
    sizes.observeUsers(571, 61);
    expect(sizes.snapshot().get(572)?.users).toBe(25);
    expect(sizes.snapshot().get(571)?.users).toBe(61);
    expect(sizes.unknownUsers([571, 572])).toEqual([]);

    // A probed total is kept for its TTL only; the list's own counts have none.
    now += GROUP_PROBE_TTL_MS;
    expect(sizes.unknownUsers([571, 572])).toEqual([572]);
    // A new list replaces the counts.
    sizes.observeList([listed(571, 70), listed(572, 30)]);
    expect([...sizes.snapshot()].map(([id, g]) => [id, g.users])).toEqual([
      [571, 70],
      [572, 30],
    ]);
  });

  it('hands a group out to probe once per retry delay, whether or not its probe answered', () => {
    let now = 0;
    const sizes = new GroupSizes(() => now);
    sizes.observeList([listed(571, null), listed(572, null)]);
    expect(sizes.toProbe([571, 572])).toEqual([571, 572]);
    expect(sizes.toProbe([571, 572])).toEqual([]); // 571's probe failed, 572's is in flight
    now += GROUP_PROBE_RETRY_MS;
    sizes.observeUsers(572, 5);
    expect(sizes.toProbe([571, 572])).toEqual([571]);
  });
});
