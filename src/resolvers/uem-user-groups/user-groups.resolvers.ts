/**
 * Custom user groups: `userGroup`, `userGroups`, the UserGroup type (members and their count
 * row-scoped), and the groups of an enrollment user (`UemUser.userGroups`).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { userGroupConnection, userGroupMemberConnection, userGroupsOfUser } from './user-groups.service.js';

export const userGroupsResolvers: Resolvers = {
  Query: {
    userGroup: (_root, { id }, ctx) => ctx.loaders.uem.userGroupById(id),
    userGroups: (_root, args, ctx) => userGroupConnection(ctx, args),
  },
  UserGroup: {
    id: (g) => String(g.id),
    uuid: (g) => g.uuid,
    name: (g) => g.name,
    organizationGroup: (g) => (g.organizationGroupId === null ? null : { id: g.organizationGroupId, name: g.organizationGroupName, uuid: null }),
    userCount: (g, _args, ctx) => ctx.access.userCount(() => ctx.loaders.uem.userGroupMembers(g.id), g.userCount),
    members: (g, args, ctx) => userGroupMemberConnection(ctx, g, args),
  },
  UemUser: {
    userGroups: (u, _args, ctx) => userGroupsOfUser(ctx, u.id),
  },
};
