/**
 * A Harmony user's effective permissions and environment access, computed by the same rules as the
 * gateway's own callers (`harmonyPrincipal`: active assignments of active roles, ADMIN implies
 * every permission), so the graph never disagrees with the permission layer.
 */
import { ACCESS_LEVELS, PERMISSIONS, harmonyPrincipal, type Permission, type Principal } from '../../auth/principal.js';
import type { HarmonyUser } from '../../datasources/harmony/harmony.schemas.js';
import type { HarmonyLoaders } from '../../loaders/harmony.loaders.js';
import { toEnvironmentRef } from './harmony.directory.js';
import type { EnvironmentAccess } from './harmony.mappers.js';

/** The lists a principal is computed from; read once per request through the loaders. */
export async function accessLists(harmony: HarmonyLoaders) {
  const [roles, access, environments] = await Promise.all([harmony.roles(), harmony.environmentAccess(), harmony.environments()]);
  return { roles, access, environments: environments.map(toEnvironmentRef) };
}

export type AccessLists = Awaited<ReturnType<typeof accessLists>>;

/** The user's principal over `lists` (the subscription flag plays no part in what is read here). */
export function effectiveOf(lists: AccessLists, user: HarmonyUser): Principal {
  const principal = harmonyPrincipal({ ...lists, users: [user], subscriptionExpired: false }, user.email);
  if (!principal) throw new Error(`no principal for ${user.userId}`);
  return principal;
}

export async function effectivePrincipal(harmony: HarmonyLoaders, user: HarmonyUser): Promise<Principal> {
  return effectiveOf(await accessLists(harmony), user);
}

export function permissionsOf(principal: Principal): Permission[] {
  return PERMISSIONS.filter((p) => principal.permissions.has(p));
}

/** Environments with some level, in Harmony's environment order. */
export function environmentAccessOf(principal: Principal): EnvironmentAccess[] {
  return principal.environments.flatMap((environment) => {
    const held = principal.access.get(environment.id);
    return held ? [{ environment, levels: ACCESS_LEVELS.filter((l) => held.has(l)) }] : [];
  });
}
