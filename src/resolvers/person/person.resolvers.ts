/**
 * `person`: one email across both systems, each side looked up only when asked for.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { externalUserByEmail } from '../harmony/harmony.directory.js';
import { devicesOfEmail, findPerson, scopedUemUserByEmail } from '../harmony/people.js';

export const personResolvers: Resolvers = {
  Query: {
    person: (_root, { email }, ctx) => findPerson(ctx, email),
  },
  Person: {
    uemUser: (p, _args, ctx) => scopedUemUserByEmail(ctx, p.email),
    harmonyUser: (p, _args, ctx) => ctx.loaders.harmony.userByEmail(p.email),
    externalUser: (p, _args, ctx) => externalUserByEmail(ctx.loaders.harmony, p.email),
    devices: (p, args, ctx) => devicesOfEmail(ctx, p.email, args),
  },
};
