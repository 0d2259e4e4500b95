/**
 * `viewer`: the caller as the gateway resolved it (no upstream call of its own).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { ACCESS_LEVELS, PERMISSIONS } from '../../auth/principal.js';

export const viewerResolvers: Resolvers = {
  Query: {
    viewer: (_root, _args, ctx) => ctx.principal,
  },
  Viewer: {
    kind: (p) => p.kind,
    email: (p) => p.email,
    permissions: (p) => PERMISSIONS.filter((perm) => p.permissions.has(perm)),
    environmentAccess: (p) =>
      p.environments
        .filter((env) => p.access.has(env.id))
        .map((env) => ({ environment: env, levels: ACCESS_LEVELS.filter((l) => p.access.get(env.id)?.has(l)) })),
  },
};
