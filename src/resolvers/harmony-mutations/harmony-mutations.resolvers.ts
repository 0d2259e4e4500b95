/**
 * Harmony user management (docs/design.md §3, §5): every mutation is audited, checks Harmony's business
 * rules on the current data before anything is sent, and forgets the cached Harmony data after a
 * successful write. Permission: `writeHarmony` (permissions.ts).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { externalUserMutations } from './external-users.mutations.js';
import { roleMutations } from './roles.mutations.js';
import { userMutations } from './users.mutations.js';

export const harmonyMutationResolvers: Resolvers = {
  Mutation: { ...userMutations, ...roleMutations, ...externalUserMutations },
};
