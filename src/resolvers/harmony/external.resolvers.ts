/**
 * External users (API Manager portal consumers), API groups and published APIs. An external user's
 * status is computed at the time of the request with the expiry rule, not taken from the cached list.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { externalAccessEndsAt, externalStatus } from '../../domain/external-status.js';
import { apiGroupsByIds, apisOfGrants, environmentRef, externalUserByEmail } from './harmony.directory.js';
import { filterExternalUsers } from './harmony.filters.js';
import { listConnection } from './list-connection.js';

export const externalResolvers: Resolvers = {
  Query: {
    externalUser: (_root, { email }, ctx) => externalUserByEmail(ctx.loaders.harmony, email),
    externalUsers: async (_root, args, ctx) =>
      listConnection(ctx, 'externalUsers', await filterExternalUsers(ctx.loaders.harmony, args.filter, Date.now()), args),
    apiGroups: (_root, _args, ctx) => ctx.loaders.harmony.apiGroups(),
    apis: async (_root, { environmentId }, ctx) =>
      (await ctx.loaders.harmony.apis()).filter((a) => !environmentId || a.envId === environmentId),
  },
  ExternalUser: {
    id: (u) => u.externalUserId,
    name: (u) => u.name || null,
    company: (u) => u.company || null,
    status: (u) => externalStatus(u, Date.now()),
    accessEndsAt: (u) => externalAccessEndsAt(u),
    apiGroups: (u, _args, ctx) => apiGroupsByIds(ctx.loaders.harmony, u.apiGroupIds),
    apis: (u, _args, ctx) => apisOfGrants(ctx.loaders.harmony, u.apis),
  },
  Api: {
    id: (a) => a.apiId,
    environment: (a, _args, ctx) => environmentRef(ctx.loaders.harmony, a.envId),
  },
  ApiGroup: {
    id: (g) => g.apiGroupId,
    environment: (g, _args, ctx) => environmentRef(ctx.loaders.harmony, g.envId),
    apiIds: (g) => [...g.apis],
    externalUsers: async (g, _args, ctx) =>
      (await ctx.loaders.harmony.externalUsers()).filter((u) => u.apiGroupIds.includes(g.apiGroupId)),
  },
};
