/**
 * Enrollment users as connections: `uemUsers` pages UEM's users/search; `UemUser.devices` windows
 * the user's devices from the batching `devicesByUserName` loader (many users in one query share
 * one device scan).
 *
 * Row scope (issue 6, decided by `ctx.access`): a user is in the environment of their organization group. A non-admin's
 * scope of one group (with its descendants) is pushed into the search (`locationgroupId`: one
 * request per page, UEM's `Total` is the right count); over several groups, the users snapshot,
 * or every matching user read live and filtered here: the region's search (the cached directory
 * without a filter) or one search per group the caller reads, whichever takes fewer pages for the
 * groups' user totals (user-scan-plan.ts, the plan the estimate counts). A user's devices are filtered by the devices' own groups, at no extra request.
 */
import type { UemUserFilter } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemUserFilter as UemSearchFilter } from '../../datasources/uem/uem.directory.js';
import type { UemDevice, UemUser as UemUserRecord } from '../../datasources/uem/uem.schemas.js';
import { badInput } from '../../errors.js';
import { checkFirst, pagedWindow, toConnection, type Connection } from '../../graphql/connection.js';
import { listWindow, sliceConnection, windowConnection } from '../../graphql/list-window.js';
import { subtreeOf } from '../../domain/group-tree.js';
import type { UemUser } from '../mappers.js';
import { planUserScan } from './user-scan-plan.js';

export const userModel = (u: UemUserRecord): UemUser => ({
  id: String(u.id),
  userName: u.userName ?? '',
  email: u.email,
  firstName: u.firstName,
  lastName: u.lastName,
  record: u,
});

export function toSearchFilter(filter: UemUserFilter | null | undefined): UemSearchFilter {
  if (!filter) return {};
  const out: UemSearchFilter = {};
  if (filter.userName) out.userName = filter.userName;
  if (filter.firstName) out.firstName = filter.firstName;
  if (filter.lastName) out.lastName = filter.lastName;
  if (filter.email) out.email = filter.email;
  if (filter.active !== null && filter.active !== undefined) out.active = filter.active;
  if (filter.organizationGroupId) {
    const id = Number(filter.organizationGroupId);
    if (!Number.isInteger(id) || id <= 0) throw badInput('"organizationGroupId" must be a UEM group id.', { argument: 'filter.organizationGroupId' });
    out.organizationGroupId = id;
  }
  return out;
}

export async function uemUserConnection(
  ctx: GraphQLContext,
  args: { filter?: UemUserFilter | null; first?: number | null; after?: string | null },
): Promise<Connection<UemUser>> {
  const size = checkFirst(args.first, ctx.services.config.maxPageSize);
  const offset = ctx.services.cursors.startAfter(args.after, args.filter);
  const search = toSearchFilter(args.filter);
  const decision = await ctx.access.rowPlan(search.organizationGroupId);
  if (decision.kind === 'empty') return sliceConnection([], size, offset, args.filter, ctx.services.cursors);
  if (decision.kind === 'filter') {
    const plan = await planUserScan(ctx, search);
    // The users snapshot searches the scope's groups itself when group ids tell the scope.
    if (plan.strategy === 'snapshot') {
      ctx.loaders.uem.tenant.note('users');
      const { organizationGroupId, ...text } = search;
      // UEM's `locationgroupId` is the group with the groups below it.
      const region = organizationGroupId === undefined ? undefined : new Set(subtreeOf(organizationGroupId, await ctx.loaders.uem.organizationGroups()));
      const groupIds = await ctx.access.scopeGroupIds(region);
      const { total, users } = await ctx.services.snapshots.searchUsers({ ...text, groupIds }, { offset, limit: size });
      return windowConnection(listWindow(total, size, offset), users.map(userModel), total, args.filter, ctx.services.cursors);
    }
    // Otherwise every matching user of the region, or of the caller's groups one by one, checked
    // here; in id order whichever read it was (as the snapshot), so cursors hold across plans.
    const [users, inScope] = await Promise.all([ctx.loaders.uem.userScan(search, plan.groups), ctx.access.userPredicate()]);
    const visible = users.filter(inScope).sort((a, b) => a.id - b.id);
    return sliceConnection(visible.map(userModel), size, offset, args.filter, ctx.services.cursors);
  }
  if (decision.kind === 'push') search.organizationGroupId = decision.groupId;
  const page = await pagedWindow(offset, size, (p, s) => ctx.uem.searchUsers(search, p, s));
  return toConnection({ items: page.items.map(userModel), total: page.total }, offset, args.filter, ctx.services.cursors);
}

export async function devicesOfUser(
  ctx: GraphQLContext,
  userName: string | null,
  userId: string,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<UemDevice>> {
  const size = checkFirst(args.first, ctx.services.config.maxPageSize);
  const scope = { user: userId };
  const offset = ctx.services.cursors.startAfter(args.after, scope);
  const devices = userName ? await ctx.access.visibleDevices(await ctx.loaders.uem.devicesByUserName.load(userName)) : [];
  return sliceConnection(devices, size, offset, scope, ctx.services.cursors);
}
