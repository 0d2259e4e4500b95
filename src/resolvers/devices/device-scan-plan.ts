/**
 * How a device filter the gateway applies itself (a row scope over several groups, an environment
 * spanning groups, a summary) reads when no snapshot serves (issue 17): one scan of UEM's part of
 * the filter over its region, or one scan per group that can pass (each with the groups below it,
 * UEM's `lgid`), whichever takes fewer pages for the groups' device totals (the group list's
 * rolled-up counts; upper bounds under UEM's other filters). The live read (device-search.service.ts)
 * runs the plan this returns and the pre-execution estimate (planner.ts) counts the same plan.
 */
import type { GraphQLContext } from '../../context.js';
import { coverRoots, subtreeOf } from '../../domain/group-tree.js';
import * as plans from '../../loaders/plans.js';
import { deviceScanKey } from '../../loaders/uem-device.loaders.js';
import type { DevicePlan } from './device-filter-plan.js';

export async function planDeviceScan(ctx: GraphQLContext, plan: DevicePlan): Promise<plans.ScanPlan> {
  const tenant = ctx.loaders.uem.tenant;
  // The snapshot needs no group list (an admin's summary reads none).
  if (tenant.knowledge().snapshot('devices')) return { relation: 'deviceScan', strategy: 'snapshot', calls: 0 };
  const k = tenant.knowledge();
  const regionId = plan.uem.organizationGroupId;
  // A region's scan reads at most the tenant (a group UEM does not list: its total is not known).
  const tenantDevices = k.sizes.source === 'unknown' ? undefined : k.sizes.devices;
  const key = deviceScanKey(plan.uem);
  // The gateway's group check, when group ids can tell what passes (no `*` default environment).
  const accept = plan.acceptsUnlisted ? undefined : plan.groupAccept;
  if (regionId === undefined && !accept) return plans.scopedDeviceScan(k, { region: { key, items: tenantDevices } });
  // The group list (cached reference data, which the row scope has read already).
  const groups = await ctx.loaders.uem.organizationGroups();
  const devicesOf = (id: number) => tenant.knowledge().sizes.groups.get(id)?.devices ?? undefined;
  const region = { key, items: (regionId === undefined ? undefined : devicesOf(regionId)) ?? tenantDevices };
  if (!accept || (regionId !== undefined && !groups.some((g) => g.id === regionId))) return plans.scopedDeviceScan(k, { region });
  const regionIds = regionId === undefined ? undefined : new Set(subtreeOf(regionId, groups));
  const passing = groups.filter((g) => (regionIds === undefined || regionIds.has(g.id)) && accept(g.name));
  const roots = coverRoots(passing.map((g) => g.id), groups);
  return plans.scopedDeviceScan(k, {
    region,
    cover: roots.map((groupId) => ({ groupId, key: deviceScanKey({ ...plan.uem, organizationGroupId: groupId }), items: devicesOf(groupId) })),
  });
}
