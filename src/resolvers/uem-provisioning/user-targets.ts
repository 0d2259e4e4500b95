/**
 * Who may change which enrollment user (docs/design.md §4 as issue 11 extends it): ADMIN, or WRITE
 * access in the environment of the user's organization group (`provisionUemUsers`), checked per
 * user. A move between groups needs the capability on both sides. A group the caller may not read
 * is answered like one UEM does not have (`seenGroup`, issue 18 cell 11): no message names it or
 * its environment. Organization groups and environments are cached reference data: no request per user.
 */
import { capabilities, holds } from '../../auth/capabilities.js';
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, forbidden } from '../../errors.js';
import { deviceScope, seenGroup } from '../devices/device-scope.service.js';
import { environmentRefs } from '../uem-groups/group-environment.js';

export interface UserPlaces {
  /** The organization group of an id, or null when UEM has none or the caller may not read it. */
  group(id: number): UemOrganizationGroup | null;
  /** Why the caller may not change users of these groups, or null when they may. */
  refusal(groupIds: readonly (number | null)[]): string | null;
}

/** Reads the group list and the environments once for many checks. */
export async function userPlaces(ctx: GraphQLContext): Promise<UserPlaces> {
  const [groups, envs, scope] = await Promise.all([ctx.loaders.uem.organizationGroups(), environmentRefs(ctx), deviceScope(ctx)]);
  const byId = new Map(groups.map((g) => [g.id, g]));
  const map = ctx.services.environmentMap;
  const seen = (id: number | null) => (id === null ? null : seenGroup(scope, byId.get(id)));
  return {
    group: seen,
    refusal(groupIds) {
      for (const id of new Set(groupIds)) {
        const env = map.environmentOf((id === null ? undefined : byId.get(id))?.name ?? null, envs);
        if (!holds(ctx.principal, 'provisionUemUsers', env?.id)) {
          // Named only when the caller reads it (then its environment too); otherwise as if unknown.
          const group = seen(id);
          const where = group ? `organization group ${group.name ?? group.id}${env ? ` (${env.name})` : ''}` : 'an unknown organization group';
          return `Needs "provisionUemUsers" in the environment of ${where}: ${capabilities.provisionUemUsers.who}.`;
        }
      }
      return null;
    },
  };
}

/** The organization group id, known to UEM; BAD_USER_INPUT otherwise. */
export function knownGroup(places: UserPlaces, id: number, argument: string): UemOrganizationGroup {
  const group = places.group(id);
  if (!group) throw badInput(`${id} is not a UEM organization group.`, { argument, reason: 'UNKNOWN_ORGANIZATION_GROUP' });
  return group;
}

/** Throws FORBIDDEN unless the caller may change users of these groups. */
export function requireProvision(places: UserPlaces, groupIds: readonly (number | null)[]): void {
  const refusal = places.refusal(groupIds);
  if (refusal) throw forbidden(refusal, { capability: 'provisionUemUsers' });
}

/** A UEM user id argument. */
export function userIdArgument(value: string, argument = 'id'): number {
  if (!/^\d{1,12}$/.test(value.trim()) || Number(value) <= 0) throw badInput(`"${value.slice(0, 40)}" is not a UEM user id.`, { argument });
  return Number(value);
}
