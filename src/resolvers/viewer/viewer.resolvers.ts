/**
 * `viewer`: the caller as the gateway resolved it (no upstream call of its own).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { ACCESS_LEVELS, PERMISSIONS } from '../../auth/principal.js';
import { capabilities, holds, type CapabilityName } from '../../auth/capabilities.js';

/** READ_INVENTORY → readInventory. */
const capabilityName = (value: string) =>
  value.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) as CapabilityName;

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
    can: (p, { capability, environment }) => {
      const name = capabilityName(capability);
      if (capabilities[name].scope === 'global') return holds(p, name);
      if (environment) {
        const wanted = environment.toLowerCase();
        const env = p.environments.find((e) => e.id === environment || e.name.toLowerCase() === wanted);
        return env !== undefined && holds(p, name, env.id);
      }
      return p.isAdmin ? holds(p, name) : p.environments.some((e) => holds(p, name, e.id));
    },
  },
};
