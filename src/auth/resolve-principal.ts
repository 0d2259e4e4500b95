/**
 * Resolves a Harmony user's principal through the request's loaders: users, roles and environment
 * access (cached across requests for PRINCIPAL_CACHE_TTL_SECONDS, and served stale for up to
 * PRINCIPAL_STALE_IF_ERROR_SECONDS while Harmony is unreachable), plus environments and the
 * organization (reference data). The same lists then serve the request's own Harmony fields.
 */
import type { HarmonyLoaders } from '../loaders/harmony.loaders.js';
import { accessHasEnded } from '../domain/external-expiry.js';
import { harmonyPrincipal, type ApiRef, type Principal } from './principal.js';

const uniqueApis = (apis: readonly ApiRef[]): ApiRef[] => [...new Map(apis.map((a) => [`${a.envId}\u0000${a.apiId}`, a])).values()];

export async function resolveHarmonyPrincipal(harmony: HarmonyLoaders, email: string): Promise<Principal | undefined> {
  const [users, roles, access, environments, organization] = await Promise.all([
    harmony.users(),
    harmony.roles(),
    harmony.environmentAccess(),
    harmony.environments(),
    harmony.organization(),
  ]);
  return harmonyPrincipal(
    {
      users,
      roles,
      access,
      environments: environments.map((e) => ({ id: e.envId, name: e.envName })),
      subscriptionExpired: organization.subscriptionExpired,
    },
    email,
  );
}

/**
 * An external user's principal: only while the user is ACTIVE and before the expiry instant
 * (23:59 of the expiry day in the user's time zone); otherwise the reason it is refused. The APIs it
 * may call are those granted on their own and those of its granted API groups.
 */
export async function resolveExternalPrincipal(
  harmony: HarmonyLoaders,
  email: string,
  now: number,
): Promise<Principal | { refused: string }> {
  const wanted = email.toLowerCase();
  const [externalUsers, environments, organization, apiGroups] = await Promise.all([
    harmony.externalUsers(),
    harmony.environments(),
    harmony.organization(),
    harmony.apiGroups(),
  ]);
  const user = externalUsers.find((u) => u.email.toLowerCase() === wanted);
  if (!user) return { refused: 'unknown_user' };
  if (user.status !== 'ACTIVE') return { refused: user.status === 'EXPIRED' ? 'access_expired' : 'user_not_active' };
  if (accessHasEnded(user.accessExpiresOn, user.timeZone, now)) return { refused: 'access_expired' };
  const groups = apiGroups.filter((g) => user.apiGroupIds.includes(g.apiGroupId));
  const apis = uniqueApis([...user.apis, ...groups.flatMap((g) => g.apis.map((apiId) => ({ envId: g.envId, apiId })))]);
  return {
    kind: 'EXTERNAL_USER',
    email: wanted,
    isAdmin: false,
    permissions: new Set(),
    access: new Map(),
    environments: environments.map((e) => ({ id: e.envId, name: e.envName })),
    apiGroupIds: user.apiGroupIds,
    apis,
    partnerEnvironmentIds: [...new Set([...groups.map((g) => g.envId), ...user.apis.map((a) => a.envId)])],
    subscriptionExpired: organization.subscriptionExpired,
  };
}
