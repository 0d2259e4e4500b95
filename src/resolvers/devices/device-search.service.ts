/**
 * The `devices` connection and the device list behind `deviceSummary`, for any DeviceFilter
 * (see device-filter-plan.ts). Paging by plan:
 *
 * - UEM-native filters only: one search page per window (two when the window straddles pages).
 * - a tag alone: the window of the tag's member ids, read in one batch (`POST /devices/id`).
 * - anything else the gateway filters (including a non-admin's row scope over several groups):
 *   the snapshot, else every device matching the UEM part, over its region or over the groups
 *   that can pass one by one, whichever takes fewer pages (device-scan-plan.ts; one request per
 *   500, cached briefly), filtered, then windowed in memory. A scope of one group is pushed into
 *   UEM (`lgid`) and pages natively.
 */
import type { DeviceFilter } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { checkFirst, pagedWindow, toConnection, type Connection } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import { needsPostFilter, planDeviceFilter, postFilter, type DevicePlan } from './device-filter-plan.js';
import { snapshotConnection, snapshotFilter, snapshotMatch } from './device-snapshot.service.js';
import type { IndexedDevice, SummaryColumn } from '../../tenant/device-index.js';
import { devicesOfIds } from './device-window.js';
import { planDeviceScan } from './device-scan-plan.js';

export interface DevicePageArgs {
  filter?: DeviceFilter | null;
  first?: number | null;
  after?: string | null;
}

export async function deviceConnection(ctx: GraphQLContext, { filter, first, after }: DevicePageArgs): Promise<Connection<UemDevice>> {
  const size = checkFirst(first, ctx.services.config.maxPageSize);
  const offset = ctx.services.cursors.startAfter(after, filter);
  const plan = await planDeviceFilter(ctx, filter);
  if (plan.empty) return sliceConnection([], size, offset, filter, ctx.services.cursors);
  if (!needsPostFilter(plan)) {
    const page = await pagedWindow(offset, size, async (p, s) => {
      const result = await ctx.uem.searchDevices(plan.uem, p, s);
      ctx.loaders.uem.primeDevices(result.items);
      // An unfiltered search tells the tenant's size at no cost.
      if (Object.keys(plan.uem).length === 0) ctx.services.snapshots.observeTotal('devices', result.total);
      return result;
    });
    return toConnection(page, offset, filter, ctx.services.cursors);
  }
  if (plan.members && plan.groupAccept === undefined && Object.keys(plan.uem).length === 0) {
    return devicesOfIds(ctx, plan.members, { first: size, after }, filter);
  }
  const match = await snapshotMatch(ctx, plan);
  if (match) return snapshotConnection(ctx, match, size, offset, filter);
  return sliceConnection(await filteredScan(ctx, plan), size, offset, filter, ctx.services.cursors);
}

/**
 * The devices matching the filter as distinct combinations of the `columns` `deviceSummary` groups
 * by, each with its count: from the device snapshot when it serves (its index counts without an
 * upstream request), else one scan (cached briefly), a device at a time.
 */
export async function matchingGroups(
  ctx: GraphQLContext,
  filter: DeviceFilter | null | undefined,
  columns: readonly SummaryColumn[],
): Promise<readonly { device: IndexedDevice; count: number }[]> {
  const plan = await planDeviceFilter(ctx, filter);
  if (plan.empty) return [];
  const snapshot = await snapshotFilter(ctx, plan);
  if (snapshot) return snapshot.index.summary(snapshot.filter, columns);
  return (await filteredScan(ctx, plan)).map((device) => ({ device, count: 1 }));
}

async function filteredScan(ctx: GraphQLContext, plan: DevicePlan): Promise<UemDevice[]> {
  const { groups } = await planDeviceScan(ctx, plan);
  const devices = await ctx.loaders.uem.deviceScan(plan.uem, groups);
  return needsPostFilter(plan) ? devices.filter(postFilter(plan)) : devices;
}
