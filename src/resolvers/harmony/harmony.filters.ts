/**
 * The Harmony list filters. Harmony answers its lists whole, so the gateway filters in memory;
 * lists come ordered by email (case-insensitive) so that paging is stable.
 */
import type {
  ExternalUserFilter,
  HarmonyUserFilter,
} from '../../__generated__/resolvers-types.js';
import type { HarmonyExternalUser, HarmonyUser } from '../../datasources/harmony/harmony.schemas.js';
import { externalStatus } from '../../domain/external-status.js';
import type { HarmonyLoaders } from '../../loaders/harmony.loaders.js';
import { accessLists, effectiveOf } from './harmony.effective.js';

const byEmail = <T extends { email: string }>(a: T, b: T) =>
  a.email.toLowerCase().localeCompare(b.email.toLowerCase());

const contains = (text: string, part: string | null | undefined) =>
  !part || text.toLowerCase().includes(part.toLowerCase());

export async function filterHarmonyUsers(harmony: HarmonyLoaders, filter: HarmonyUserFilter | null | undefined): Promise<HarmonyUser[]> {
  const users = (await harmony.users()).filter(
    (u) => contains(u.email, filter?.emailContains) && (!filter?.roleId || u.roles.some((a) => a.roleId === filter.roleId)),
  );
  const { permission, environment, accessLevel } = filter ?? {};
  if (!permission && !environment && !accessLevel) return users.sort(byEmail);

  const lists = await accessLists(harmony);
  const wanted = environment?.toLowerCase();
  const envIds = wanted ? lists.environments.filter((e) => e.id === environment || e.name.toLowerCase() === wanted).map((e) => e.id) : undefined;
  const holdsAccess = (held: ReadonlyMap<string, ReadonlySet<string>>) => {
    if (!environment && !accessLevel) return true;
    return (envIds ?? [...held.keys()]).some((id) => {
      const levels = held.get(id);
      return levels !== undefined && (!accessLevel || levels.has(accessLevel));
    });
  };
  return users
    .filter((u) => {
      const p = effectiveOf(lists, u);
      return (!permission || p.permissions.has(permission)) && holdsAccess(p.access);
    })
    .sort(byEmail);
}

export async function filterExternalUsers(
  harmony: HarmonyLoaders,
  filter: ExternalUserFilter | null | undefined,
  now: number,
): Promise<HarmonyExternalUser[]> {
  const company = filter?.company?.toLowerCase();
  return (await harmony.externalUsers())
    .filter(
      (u) =>
        contains(u.email, filter?.emailContains) &&
        (!company || u.company.toLowerCase() === company) &&
        (!filter?.apiGroupId || u.apiGroupIds.includes(filter.apiGroupId)) &&
        (!filter?.apiId || u.apis.some((a) => a.apiId === filter.apiId)) &&
        (!filter?.status || externalStatus(u, now) === filter.status),
    )
    .sort(byEmail);
}
