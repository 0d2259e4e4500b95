/**
 * Enrollment users. A device already carries its user's id, name and email; the other fields are
 * loaded through the batched user loader only when a query asks for them. `uemUser(id)` outside the
 * caller's row scope is null with FORBIDDEN; the owner of a device the caller may see
 * (`Device.user`) is visible through that device.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import { scopedUserRecord } from '../devices/device-scope.service.js';
import type { UemUser } from '../mappers.js';
import { devicesOfUser, uemUserConnection, userModel } from './uem-users.service.js';

async function record(user: UemUser, ctx: GraphQLContext) {
  return user.record ?? (await ctx.loaders.uem.userById.load(user.id));
}

export const uemUsersResolvers: Resolvers = {
  Query: {
    uemUser: async (_root, { id }, ctx) => {
      const user = await scopedUserRecord(ctx, await ctx.loaders.uem.userById.load(id));
      return user && userModel(user);
    },
    uemUsers: (_root, args, ctx) => uemUserConnection(ctx, args),
  },
  UemUser: {
    id: (u) => u.id,
    // The parent always carries the name when UEM has one (see `deviceUser`): no request here; what
    // the device already carries is answered synchronously (no promise per device in a list).
    userName: (u) => u.userName ?? u.record?.userName ?? '',
    email: (u, _args, ctx) => u.email ?? record(u, ctx).then((r) => r?.email ?? null),
    firstName: async (u, _args, ctx) => (await record(u, ctx))?.firstName ?? null,
    lastName: async (u, _args, ctx) => (await record(u, ctx))?.lastName ?? null,
    status: async (u, _args, ctx) => (await record(u, ctx))?.active ?? null,
    devices: async (u, args, ctx) => devicesOfUser(ctx, u.userName ?? (await record(u, ctx))?.userName ?? null, u.id, args),
  },
};
