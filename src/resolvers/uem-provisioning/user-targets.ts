/**
 * The arguments of provisioning writes, checked against where the caller may change enrollment
 * users. Who may change which user (ADMIN, or WRITE access in the environment of the user's
 * organization group, on both sides of a move) is the access service's (`ctx.access.provisioning()`,
 * src/auth/access/access.ts): a group the caller may not read is answered like one UEM does not have.
 */
import type { UserPlaces } from '../../auth/access/access.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, forbidden } from '../../errors.js';

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
