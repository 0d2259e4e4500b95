/**
 * Reads of custom user groups: the list (cached reference data, filtered in memory) and a group's
 * members, row-scoped like `uemUsers`. A user group is open to the users of the organization group
 * it is defined at and of the groups below, so "the groups of organization group X" are those
 * defined at X or above it, closest first; provisioning looks group names up the same way.
 */
import type { UserGroupFilter } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup, UemUserGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput } from '../../errors.js';
import { checkFirst, type Connection } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import type { UemUser } from '../mappers.js';
import { userModel } from '../uem-users/uem-users.service.js';

/** The group and the groups above it, closest first; empty for an unknown group. */
export function ancestry(groups: readonly UemOrganizationGroup[], id: number): number[] {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const chain: number[] = [];
  for (let g = byId.get(id); g && !chain.includes(g.id); g = g.parentId === null ? undefined : byId.get(g.parentId)) chain.push(g.id);
  return chain;
}

/** User groups open to users of the organization group, closest first (then by id). */
export async function userGroupsOpenTo(ctx: GraphQLContext, organizationGroupId: number): Promise<UemUserGroup[]> {
  const [groups, orgGroups] = await Promise.all([ctx.loaders.uem.userGroups(), ctx.loaders.uem.organizationGroups()]);
  const chain = ancestry(orgGroups, organizationGroupId);
  const rank = (g: UemUserGroup) => (g.organizationGroupId === null ? -1 : chain.indexOf(g.organizationGroupId));
  return groups.filter((g) => rank(g) >= 0).sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}

/** The user groups `userId` is a member of, in id order (every group's members, cached per TTL). */
export async function userGroupsOfUser(ctx: GraphQLContext, userId: string): Promise<UemUserGroup[]> {
  const groups = await ctx.loaders.uem.userGroups();
  const members = await Promise.all(groups.map((g) => ctx.loaders.uem.userGroupMembers(g.id)));
  return groups.filter((_, i) => members[i]!.some((m) => String(m.id) === userId));
}

export function groupIdArgument(value: string, argument: string): number {
  const id = Number(value);
  if (!/^\d{1,12}$/.test(value.trim()) || id <= 0) throw badInput(`"${argument}" must be a UEM id.`, { argument });
  return id;
}

export async function userGroupConnection(
  ctx: GraphQLContext,
  args: { filter?: UserGroupFilter | null; first?: number | null; after?: string | null },
): Promise<Connection<UemUserGroup>> {
  const size = checkFirst(args.first, ctx.services.config.maxPageSize);
  const offset = ctx.services.cursors.startAfter(args.after, args.filter);
  const filter = args.filter ?? {};
  let groups = filter.organizationGroupId
    ? (await userGroupsOpenTo(ctx, groupIdArgument(filter.organizationGroupId, 'filter.organizationGroupId'))).sort((a, b) => a.id - b.id)
    : await ctx.loaders.uem.userGroups();
  if (filter.name) {
    const name = filter.name.toLowerCase();
    groups = groups.filter((g) => (g.name ?? '').toLowerCase().includes(name));
  }
  return sliceConnection(groups, size, offset, args.filter, ctx.services.cursors);
}

export async function userGroupMemberConnection(
  ctx: GraphQLContext,
  group: UemUserGroup,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<UemUser>> {
  const size = checkFirst(args.first, ctx.services.config.maxPageSize);
  const scope = { userGroup: group.id };
  const offset = ctx.services.cursors.startAfter(args.after, scope);
  const [members, inScope] = await Promise.all([ctx.loaders.uem.userGroupMembers(group.id), ctx.access.userPredicate()]);
  return sliceConnection(members.filter(inScope).map(userModel), size, offset, scope, ctx.services.cursors);
}
