/**
 * Device filters the gateway applies itself (an environment spanning groups, a row scope over
 * several groups, a summary) answered from the device snapshot when it serves: the in-memory
 * index matches, counts and groups without an upstream request, and only the devices of the page
 * answered are read, from the store. `deviceConnection` and `deviceSummary` come here first and
 * fall back to a live scan (plans.ts `deviceScan`) when no snapshot serves.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { subtreeOf } from '../../domain/group-tree.js';
import { listWindow, windowConnection } from '../../graphql/list-window.js';
import type { Connection } from '../../graphql/connection.js';
import type { DeviceIndex, IndexFilter } from '../../tenant/device-index.js';
import type { DevicePlan } from './device-filter-plan.js';

const epoch = (v: string | Date | undefined) => (v === undefined ? undefined : new Date(v).getTime());

/** The plan as an index filter (UEM's part and the gateway's part together). */
async function indexFilter(ctx: GraphQLContext, plan: DevicePlan): Promise<IndexFilter> {
  const u = plan.uem;
  const filter: IndexFilter = {
    userName: u.userName,
    model: u.model,
    platform: u.platform,
    ownership: u.ownership,
    complianceStatus: u.complianceStatus,
    seenSince: epoch(u.seenSince),
    seenUntil: epoch(u.seenUntil),
  };
  if (u.organizationGroupId !== undefined) {
    // UEM's `lgid` is the group with its descendants.
    filter.groupIds = new Set(subtreeOf(u.organizationGroupId, await ctx.loaders.uem.organizationGroups()));
  }
  if (plan.members) filter.ids = new Set(plan.members);
  if (plan.groupAccept) filter.groupAccept = plan.groupAccept;
  return filter;
}

/** The snapshot's index and the plan as its filter, or undefined when no snapshot serves. */
export async function snapshotFilter(ctx: GraphQLContext, plan: DevicePlan): Promise<{ index: DeviceIndex; filter: IndexFilter } | undefined> {
  const snapshot = ctx.loaders.uem.deviceSnapshot();
  if (!snapshot) return undefined;
  return { index: snapshot.index, filter: await indexFilter(ctx, plan) };
}

/** The positions matching the plan in the snapshot's index, or undefined when no snapshot serves. */
export async function snapshotMatch(ctx: GraphQLContext, plan: DevicePlan): Promise<{ index: DeviceIndex; positions: number[] } | undefined> {
  const snapshot = await snapshotFilter(ctx, plan);
  return snapshot && { index: snapshot.index, positions: snapshot.index.match(snapshot.filter) };
}

/** One page of the matching devices: the window's records read from the store. */
export async function snapshotConnection(
  ctx: GraphQLContext,
  match: { index: DeviceIndex; positions: number[] },
  size: number,
  offset: number,
  scope: unknown,
): Promise<Connection<UemDevice>> {
  const window = listWindow(match.positions.length, size, offset);
  const ids = match.positions.slice(window.offset, window.end).map((i) => match.index.ids[i] as number);
  const records = new Map((await ctx.loaders.uem.snapshotDevices(ids)).map((d) => [d.id, d]));
  return windowConnection(
    window,
    ids.map((id) => records.get(id) ?? null),
    match.positions.length,
    scope,
    ctx.services.cursors,
  );
}
