/**
 * The device filter planner (src/resolvers/devices/device-filter-plan.ts, with the access
 * service's row filter, src/auth/access/filters.ts): what UEM's search is asked, what the gateway
 * filters after it, and when nothing can match — for each kind of caller.
 */
import { describe, expect, it } from 'vitest';
import { needsPostFilter, planDeviceFilter, postFilter } from '../../../src/resolvers/devices/device-filter-plan.js';
import { ADA, contextOf, DEVICES, LENA, OMAR, RITA } from './resolver-world.js';

const groupsPassing = (_ctx: ReturnType<typeof contextOf>, plan: Awaited<ReturnType<typeof planDeviceFilter>>) =>
  DEVICES.filter(postFilter(plan)).map((d) => d.organizationGroupName);

describe('planDeviceFilter: row scope without an environment filter', () => {
  it('asks UEM for everything for an admin, with nothing left to filter', async () => {
    const plan = await planDeviceFilter(contextOf(ADA), { platform: 'APPLE' });
    expect(plan).toEqual({ uem: { platform: 'Apple' }, empty: false });
    expect(needsPostFilter(plan)).toBe(false);
  });

  it('pushes a one-group scope into UEM as the group id (a reader of Production)', async () => {
    const plan = await planDeviceFilter(contextOf(RITA), null);
    expect(plan.uem).toEqual({ organizationGroupId: 571 });
    expect(plan.empty).toBe(false);
    expect(needsPostFilter(plan)).toBe(false);
  });

  it('filters a scope of several groups in the gateway (Production and Sandbox)', async () => {
    const ctx = contextOf(OMAR);
    const plan = await planDeviceFilter(ctx, null);
    expect(plan.uem.organizationGroupId).toBeUndefined();
    expect(needsPostFilter(plan)).toBe(true);
    expect(groupsPassing(ctx, plan)).toEqual(['Production Devices', 'Production Devices', 'Sandbox Devices']);
  });

  it('plans no request at all for a caller who reads no environment', async () => {
    expect((await planDeviceFilter(contextOf(LENA), null)).empty).toBe(true);
  });

  it('keeps a requested group id that the scope pushes to the same group, and matches nothing outside the scope', async () => {
    expect((await planDeviceFilter(contextOf(RITA), { organizationGroupId: '571' })).uem).toEqual({ organizationGroupId: 571 });
    expect((await planDeviceFilter(contextOf(RITA), { organizationGroupId: '573' })).empty).toBe(true);
  });
});

describe('planDeviceFilter: the environment filter', () => {
  it('pushes an environment that exactly one group maps to, by name in any case or by id', async () => {
    for (const environment of ['sandbox', 'SANDBOX', 'e2']) {
      const plan = await planDeviceFilter(contextOf(ADA), { environment });
      expect(plan, environment).toEqual({ uem: { organizationGroupId: 572 }, empty: false });
    }
  });

  it('filters in the gateway when several groups map to the environment', async () => {
    const ctx = contextOf(ADA, { envMap: { 'Production Devices': 'Production', 'Sandbox Devices': 'Production', 'Lab Devices': 'Development' } });
    const plan = await planDeviceFilter(ctx, { environment: 'Production' });
    expect(plan.uem.organizationGroupId).toBeUndefined();
    expect(plan.groupAccept).toBeDefined();
    expect(groupsPassing(ctx, plan)).toEqual(['Production Devices', 'Production Devices', 'Sandbox Devices']);
  });

  it('matches nothing in an environment the caller may not read, or one no group maps to', async () => {
    expect((await planDeviceFilter(contextOf(OMAR), { environment: 'Development' })).empty).toBe(true);
    const unmapped = contextOf(ADA, { envMap: { 'Production Devices': 'Production' } });
    expect((await planDeviceFilter(unmapped, { environment: 'Sandbox' })).empty).toBe(true);
  });

  it('refuses an unknown environment, naming the known ones', async () => {
    await expect(planDeviceFilter(contextOf(ADA), { environment: 'Staging' })).rejects.toMatchObject({
      message: expect.stringContaining('Production, Sandbox, Development'),
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.environment' },
    });
  });
});

describe('planDeviceFilter: the tag filter', () => {
  const tags = [
    { id: 7, name: 'Field Sales', members: [5721, 5711] },
    { id: 8, name: 'Empty', members: [] },
  ];

  it('keeps the members of a tag named in any case or by id', async () => {
    for (const tag of ['field sales', '7']) {
      const ctx = contextOf(ADA, { tags });
      const plan = await planDeviceFilter(ctx, { tag });
      expect(plan.members, tag).toEqual([5721, 5711]);
      expect(DEVICES.filter(postFilter(plan)).map((d) => d.id).sort()).toEqual([5711, 5721]);
    }
  });

  it('matches nothing for a tag without members, and refuses an unknown tag', async () => {
    expect((await planDeviceFilter(contextOf(ADA, { tags }), { tag: 'Empty' })).empty).toBe(true);
    await expect(planDeviceFilter(contextOf(ADA, { tags }), { tag: 'Nope' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filter.tag' } });
  });

  it('combines the tag with the scope: a member outside it does not pass', async () => {
    const ctx = contextOf(OMAR, { tags: [{ id: 9, name: 'Mixed', members: [5711, 5731] }] });
    const plan = await planDeviceFilter(ctx, { tag: 'Mixed' });
    expect(DEVICES.filter(postFilter(plan)).map((d) => d.id)).toEqual([5711]);
  });
});
