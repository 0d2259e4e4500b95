/**
 * Environment access per role (defined here, docs/upstreams/harmony.md): four independent switches per role and
 * environment. Every role has an entry for every environment, with empty levels where nothing is
 * granted, so lists come back whole. The built-in roles are immutable, their access included
 * (ROLE_IMMUTABLE, as for any other edit of them): a change to the User role's access would reach
 * every member of the organization at once.
 */
import type { Router } from '../common/router.js';
import { authenticate, authenticateWriter, findRole, type HarmonyContext } from './harmony.context.js';
import { fail, ok, optionalStringList, readBody } from './harmony.envelope.js';
import { HarmonyPaths } from './harmony.paths.js';
import { ALL_LEVELS, type AccessLevel, type RoleEnvironmentAccess } from './harmony.types.js';

/** Levels in their canonical order, without duplicates. */
const canonical = (levels: readonly AccessLevel[]): AccessLevel[] => ALL_LEVELS.filter((l) => levels.includes(l));

export function registerAccessRoutes(router: Router, ctx: HarmonyContext): void {
  const { state } = ctx;

  const cell = (roleId: string, envId: string): RoleEnvironmentAccess => {
    let entry = state.access.find((a) => a.roleId === roleId && a.envId === envId);
    if (!entry) {
      entry = { roleId, envId, levels: [] };
      state.access.push(entry);
    }
    return entry;
  };

  router.get(HarmonyPaths.roleAccess, (req) => {
    authenticate(ctx, req);
    const role = findRole(ctx, req.params.roleId);
    return ok({ access: state.environments.map((env) => ({ envId: env.envId, levels: [...cell(role.roleId, env.envId).levels] })) });
  });

  router.put(HarmonyPaths.roleEnvAccess, (req) => {
    authenticateWriter(ctx, req);
    const role = findRole(ctx, req.params.roleId);
    if (role.builtIn) fail('ROLE_IMMUTABLE', `The built-in ${role.name} role's environment access cannot be changed.`);
    const env = state.environments.find((e) => e.envId === req.params.envId);
    if (!env) fail('NOT_FOUND', `No environment ${req.params.envId ?? ''} in this organization.`);
    const levels = optionalStringList(readBody(req), 'levels', ALL_LEVELS);
    if (levels === undefined) fail('INVALID_REQUEST', 'levels must be a list of access levels (may be empty).', 400);
    const entry = cell(role.roleId, env.envId);
    entry.levels = canonical(levels);
    return ok({ access: { roleId: role.roleId, envId: env.envId, levels: [...entry.levels] } });
  });

  router.get(HarmonyPaths.allAccess, (req) => {
    authenticate(ctx, req);
    return ok({
      access: state.roles.flatMap((role) =>
        state.environments.map((env) => ({ roleId: role.roleId, envId: env.envId, levels: [...cell(role.roleId, env.envId).levels] })),
      ),
    });
  });
}
