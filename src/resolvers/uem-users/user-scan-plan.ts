/**
 * How a non-admin's `uemUsers` over several organization groups reads (issue 17): the shape of
 * the read from the caller's scope, the region they filtered on and the tenant's per-group user
 * totals, costed by `plans.userScan`. The resolver runs the plan this returns, and the
 * pre-execution estimate (planner.ts) counts the same plan, so the estimate is the read.
 *
 * The cover is the groups the caller reads whose parent they do not read (each searched with the
 * groups below it, as UEM's `locationgroupId` does); groups below a cover group that the caller
 * does not read are filtered out after the read, as with the region's search.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemUserFilter } from '../../datasources/uem/uem.directory.js';
import { coverRoots, subtreeOf } from '../../domain/group-tree.js';
import * as plans from '../../loaders/plans.js';
import { userScanKey } from '../../loaders/uem.loaders.js';

export async function planUserScan(ctx: GraphQLContext, search: UemUserFilter): Promise<plans.ScanPlan> {
  const tenant = ctx.loaders.uem.tenant;
  const { organizationGroupId: regionId, ...text } = search;
  const [groups, fallback] = await Promise.all([ctx.loaders.uem.organizationGroups(), ctx.access.readsUnmappedGroups()]);
  const known = regionId === undefined || groups.some((g) => g.id === regionId);
  let roots: number[] | undefined;
  if (known && !fallback) {
    const region = regionId === undefined ? undefined : new Set(subtreeOf(regionId, groups));
    roots = coverRoots(await ctx.access.scopeGroupIds(region), groups);
    // Totals the group list did not give: one-row probes, unless the snapshot answers anyway.
    if (!tenant.snapshots.usable('users')) await tenant.snapshots.probeGroupUsers(regionId === undefined ? roots : [regionId, ...roots]);
  }
  const k = tenant.knowledge();
  const usersOf = (id: number) => k.sizes.groups.get(id)?.users ?? undefined;
  // A region's search reads at most the tenant (a group UEM does not list: its total is not known).
  const tenantUsers = k.sizes.source === 'unknown' ? undefined : k.sizes.users;
  const regionUsers = (regionId === undefined ? undefined : usersOf(regionId)) ?? tenantUsers;
  return plans.userScan(k, {
    region: { key: userScanKey(search), items: regionUsers },
    ...(roots ? { cover: roots.map((groupId) => ({ groupId, key: userScanKey({ ...text, organizationGroupId: groupId }), items: usersOf(groupId) })) } : {}),
  });
}
