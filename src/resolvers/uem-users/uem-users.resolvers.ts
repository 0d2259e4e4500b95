/**
 * Enrollment users. A device already carries its user's id, name and email; the other fields are
 * loaded through the batched user loader only when a query asks for them. `uemUser(id)` outside the
 * caller's row scope is null, like an unknown one (`ctx.access.user`); the owner of a device the caller may see
 * (`Device.user`) is visible through that device.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemUser as UemUserRecord } from '../../datasources/uem/uem.schemas.js';
import type { UemUser } from '../mappers.js';
import { devicesOfUser, uemUserConnection, userModel } from './uem-users.service.js';

async function record(user: UemUser, ctx: GraphQLContext) {
  return user.record ?? ctx.loaders.uem.userNow(user.id) ?? (await ctx.loaders.uem.userById.load(user.id));
}

/**
 * A field of the user's whole record: at once when the parent carries the record or the request
 * has it at hand (`userNow`: loaded already, or kept in memory with the users snapshot), otherwise
 * from the batched load (one promise per field). A page of devices with their users' names then
 * answers with no promise per user field.
 */
function fromRecord<T>(user: UemUser, ctx: GraphQLContext, pick: (r: UemUserRecord | null | undefined) => T): T | Promise<T> {
  if (user.record) return pick(user.record);
  const now = ctx.loaders.uem.userNow(user.id);
  return now !== undefined ? pick(now) : ctx.loaders.uem.userById.load(user.id).then(pick);
}

/** UEM spells it `Basic` or `Directory` (any case); other kinds (SAML, proxy) have no enum value. */
const securityTypeOf = (value: string | undefined | null) => {
  const type = value?.toUpperCase();
  return type === 'BASIC' || type === 'DIRECTORY' ? type : null;
};

const organizationGroupOf = (user: UemUserRecord | null | undefined) =>
  user?.organizationGroupId == null ? null : { id: user.organizationGroupId, name: user.organizationGroupName || null, uuid: null };

export const uemUsersResolvers: Resolvers = {
  Query: {
    uemUser: async (_root, { id }, ctx) => {
      const user = await ctx.access.user(await ctx.loaders.uem.userById.load(id));
      return user && userModel(user);
    },
    uemUsers: (_root, args, ctx) => uemUserConnection(ctx, args),
  },
  UemUser: {
    // `id`, `userName`, `email`, `firstName` and `lastName` have no resolver: the model carries
    // them (mappers.ts; `deviceUser` loads the record first when a query selects what a device
    // payload does not name).
    status: (u, _args, ctx) => fromRecord(u, ctx, (r) => r?.active ?? null),
    displayName: (u, _args, ctx) => fromRecord(u, ctx, (r) => r?.displayName || null),
    department: (u, _args, ctx) => fromRecord(u, ctx, (r) => r?.department || null),
    contactNumber: (u, _args, ctx) => fromRecord(u, ctx, (r) => r?.contactNumber || null),
    mobileNumber: (u, _args, ctx) => fromRecord(u, ctx, (r) => r?.mobileNumber || null),
    securityType: (u, _args, ctx) => fromRecord(u, ctx, (r) => securityTypeOf(r?.securityType)),
    organizationGroup: (u, _args, ctx) => fromRecord(u, ctx, organizationGroupOf),
    environment: async (u, _args, ctx) => ctx.access.environmentOfGroup((await record(u, ctx))?.organizationGroupName),
    devices: async (u, args, ctx) => devicesOfUser(ctx, u.userName || (await record(u, ctx))?.userName || null, u.id, args),
  },
};
