/**
 * Lookups over Harmony's whole lists for the resolvers. Every lookup reads only the lists it needs
 * through the request's loaders (one upstream read per list per request at most, none while the
 * cross-request cache is fresh), and the indexes over a list are built once per list instance: the
 * loaders hand out the same array while it is cached, so a WeakMap keyed by it shares the index
 * across the requests that see that copy, and drops it with the copy.
 */
import { ACCESS_LEVELS, type AccessLevel, type EnvironmentRef } from '../../auth/principal.js';
import type {
  HarmonyApi,
  HarmonyApiGrant,
  HarmonyApiGroup,
  HarmonyEnvironment,
  HarmonyEnvironmentAccess,
  HarmonyExternalUser,
  HarmonyRole,
  HarmonyUser,
} from '../../datasources/harmony/harmony.schemas.js';
import type { HarmonyLoaders } from '../../loaders/harmony.loaders.js';

function indexed<L extends object, V>(build: (list: L) => V): (list: L) => V {
  const memo = new WeakMap<L, V>();
  return (list) => {
    let value = memo.get(list);
    if (value === undefined) {
      value = build(list);
      memo.set(list, value);
    }
    return value;
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const rolesById = indexed((roles: readonly HarmonyRole[]) => new Map(roles.map((r) => [r.roleId, r])));
const environmentsById = indexed((envs: readonly HarmonyEnvironment[]) => new Map(envs.map((e) => [e.envId, e])));
const accessByRole = indexed((cells: readonly HarmonyEnvironmentAccess[]) => groupBy(cells, (c) => c.roleId));
const accessByEnvironment = indexed((cells: readonly HarmonyEnvironmentAccess[]) => groupBy(cells, (c) => c.envId));
const usersByRole = indexed((users: readonly HarmonyUser[]) => {
  const byRole = new Map<string, { user: HarmonyUser; active: boolean }[]>();
  for (const user of users) {
    for (const a of user.roles) {
      const list = byRole.get(a.roleId) ?? [];
      list.push({ user, active: a.active });
      byRole.set(a.roleId, list);
    }
  }
  return byRole;
});
const externalByEmail = indexed(
  (users: readonly HarmonyExternalUser[]) => new Map(users.map((u) => [u.email.toLowerCase(), u])),
);
const apiGroupsById = indexed((groups: readonly HarmonyApiGroup[]) => new Map(groups.map((g) => [g.apiGroupId, g])));
const apisById = indexed((apis: readonly HarmonyApi[]) => new Map(apis.map((a) => [a.apiId, a])));

export const toEnvironmentRef = (e: HarmonyEnvironment): EnvironmentRef => ({ id: e.envId, name: e.envName });

/** Levels in the fixed order of the enum, whatever order Harmony sent them in. */
export const orderedLevels = (levels: readonly string[]): AccessLevel[] => ACCESS_LEVELS.filter((l) => levels.includes(l));

export async function roleById(harmony: HarmonyLoaders, id: string): Promise<HarmonyRole | null> {
  return rolesById(await harmony.roles()).get(id) ?? null;
}

export async function environmentById(harmony: HarmonyLoaders, id: string): Promise<HarmonyEnvironment | null> {
  return environmentsById(await harmony.environments()).get(id) ?? null;
}

/** Environment refs by id: for API groups and access cells (an unknown id keeps its id as name). */
export async function environmentRef(harmony: HarmonyLoaders, id: string): Promise<EnvironmentRef> {
  const env = await environmentById(harmony, id);
  return env ? toEnvironmentRef(env) : { id, name: id };
}

/** A role's levels in every environment of the organization, in Harmony's environment order. */
export async function roleAccess(harmony: HarmonyLoaders, roleId: string) {
  const [environments, cells] = await Promise.all([harmony.environments(), harmony.environmentAccess()]);
  const byEnv = new Map((accessByRole(cells).get(roleId) ?? []).map((c) => [c.envId, c.levels]));
  return environments.map((e) => ({ environment: toEnvironmentRef(e), levels: orderedLevels(byEnv.get(e.envId) ?? []) }));
}

/** Every role with some level in an environment, in Harmony's role order. */
export async function environmentRoleAccess(harmony: HarmonyLoaders, envId: string) {
  const [roles, cells] = await Promise.all([harmony.roles(), harmony.environmentAccess()]);
  const byRole = new Map((accessByEnvironment(cells).get(envId) ?? []).map((c) => [c.roleId, c.levels]));
  return roles
    .map((role) => ({ role, levels: orderedLevels(byRole.get(role.roleId) ?? []) }))
    .filter((a) => a.levels.length > 0);
}

/** A user's assignments joined with their roles (assignments of unknown roles are left out). */
export async function assignmentsOf(harmony: HarmonyLoaders, user: HarmonyUser) {
  const byId = rolesById(await harmony.roles());
  return user.roles.flatMap((a) => {
    const role = byId.get(a.roleId);
    return role ? [{ user, role, active: a.active }] : [];
  });
}

/** A role's assignments, in Harmony's user order. */
export async function assignmentsTo(harmony: HarmonyLoaders, role: HarmonyRole) {
  const members = usersByRole(await harmony.users()).get(role.roleId) ?? [];
  return members.map(({ user, active }) => ({ user, role, active }));
}

export async function externalUserByEmail(harmony: HarmonyLoaders, email: string): Promise<HarmonyExternalUser | null> {
  return externalByEmail(await harmony.externalUsers()).get(email.toLowerCase()) ?? null;
}

/** API groups by id, in the order asked (unknown ids are left out). */
export async function apiGroupsByIds(harmony: HarmonyLoaders, ids: readonly string[]): Promise<HarmonyApiGroup[]> {
  const byId = apiGroupsById(await harmony.apiGroups());
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * The published APIs of individual grants, in the order granted: a grant names the API and the
 * environment it is published in; one Harmony no longer lists there is left out.
 */
export async function apisOfGrants(harmony: HarmonyLoaders, grants: readonly HarmonyApiGrant[]): Promise<HarmonyApi[]> {
  const byId = apisById(await harmony.apis());
  return grants.flatMap((g) => {
    const api = byId.get(g.apiId);
    return api && api.envId === g.envId ? [api] : [];
  });
}
