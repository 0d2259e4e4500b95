/**
 * Custom user groups for one request, read through the cross-request TTL cache like the rest of
 * UEM's reference data: the list once (every page of usergroups/custom/search) and each group's
 * member list once per TTL. Both are organization-wide, read with the integration account; row
 * scope applies on top. Writes of the gateway forget what they change (`UEM_USER_GROUP_KEYS`).
 */
import type { UemUserGroup } from '../datasources/uem/uem.catalog-schemas.js';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemUser } from '../datasources/uem/uem.schemas.js';
import type { RequestReference } from './reference.js';

export const UEM_USER_GROUP_KEYS = {
  userGroups: 'uem:user-groups',
  members: (id: number) => `uem:user-group-members:${id}`,
} as const;

export function createUemUserGroupLoaders(uem: UemDatasource, ref: RequestReference, settings: { ttlMs: number }) {
  const ttl = { ttlMs: settings.ttlMs };
  const userGroups = (): Promise<UemUserGroup[]> =>
    ref.get(UEM_USER_GROUP_KEYS.userGroups, async () => (await uem.searchUserGroups()).sort((a, b) => a.id - b.id), ttl);
  return {
    /** Every custom user group, in id order. */
    userGroups,
    async userGroupById(id: number | string): Promise<UemUserGroup | null> {
      return (await userGroups()).find((g) => String(g.id) === String(id).trim()) ?? null;
    },
    /** The members of one group, in id order (one request per group per TTL). */
    userGroupMembers: (id: number): Promise<UemUser[]> =>
      ref.get(UEM_USER_GROUP_KEYS.members(id), async () => (await uem.userGroupMembers(id)).sort((a, b) => a.id - b.id), ttl),
  };
}
