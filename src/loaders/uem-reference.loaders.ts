/**
 * UEM reference data for one request, read through the cross-request TTL cache (docs/design.md §2):
 * organization groups, the app catalog, tags and smart groups with their member lists. Every list
 * here is organization-wide and read with the integration account, so sharing it between callers
 * carries nobody's own data.
 *
 * Tags and smart groups are few (docs/upstreams/uem.md, "Batching consequences"): membership of
 * every device is answered from an index, from the snapshot in the store when it serves, otherwise
 * from the list and each one's member list read once per TTL (1 + n requests for n groups). Checks
 * before a write (`smartGroupMembersLive`) never use the snapshot.
 */
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemApp, UemOrganizationGroup, UemSmartGroup, UemTag } from '../datasources/uem/uem.catalog-schemas.js';
import { mapConcurrent } from '../datasources/concurrency.js';
import { fetchAllPages } from '../datasources/uem/uem.paging.js';
import { indexMembership, sortedIds, type MembershipIndex } from '../tenant/membership.js';
import type { RequestReference } from './reference.js';
import type { RequestTenant } from './request-tenant.js';

export type { MembershipIndex } from '../tenant/membership.js';

export const UEM_REFERENCE_KEYS = {
  organizationGroups: 'uem:organization-groups',
  apps: 'uem:apps',
  tags: 'uem:tags',
  tagMembers: (id: number) => `uem:tag-members:${id}`,
  smartGroups: 'uem:smart-groups',
  smartGroupMembers: (id: number) => `uem:smart-group-members:${id}`,
} as const;

export interface UemReferenceSettings {
  ttlMs: number;
  /** Member-list reads in flight at once. */
  concurrency: number;
}

export function createUemReferenceLoaders(uem: UemDatasource, ref: RequestReference, tenant: RequestTenant, settings: UemReferenceSettings) {
  const ttl = { ttlMs: settings.ttlMs };
  const organizationGroups = () =>
    ref.get(
      UEM_REFERENCE_KEYS.organizationGroups,
      async () => {
        const groups = await uem.searchOrganizationGroups();
        tenant.snapshots.observeGroups(groups); // the tenant's per-group totals, refreshed with the list
        return groups;
      },
      ttl,
    );
  const apps = () => ref.get(UEM_REFERENCE_KEYS.apps, async () => (await fetchAllPages((page, size) => uem.searchApps({}, page, size))).items, ttl);
  const liveTags = () => ref.get(UEM_REFERENCE_KEYS.tags, () => uem.searchTags(), ttl);
  const liveSmartGroups = () => ref.get(UEM_REFERENCE_KEYS.smartGroups, () => uem.searchSmartGroups(), ttl);

  const liveTagMembers = (id: number): Promise<number[]> =>
    ref.get(UEM_REFERENCE_KEYS.tagMembers(id), async () => sortedIds((await uem.tagDevices(id)).map((d) => d.deviceId)), ttl);
  const liveSmartGroupMembers = (id: number): Promise<number[]> =>
    ref.get(UEM_REFERENCE_KEYS.smartGroupMembers(id), async () => sortedIds((await uem.smartGroupDevices(id)).map((d) => d.id)), ttl);

  /** The snapshot's index of this kind when it serves (noted for `extensions`), else undefined. */
  const fromSnapshot = <G extends UemTag | UemSmartGroup>(kind: 'tags' | 'smartGroups'): Promise<MembershipIndex<G>> | undefined => {
    const index = tenant.snapshots.membership<G>(kind);
    if (index) tenant.note(kind);
    return index;
  };

  let tagIndex: Promise<MembershipIndex<UemTag>> | undefined;
  let smartGroupIndex: Promise<MembershipIndex<UemSmartGroup>> | undefined;
  const liveIndex = async <G extends { id: number }>(list: () => Promise<G[]>, membersOf: (id: number) => Promise<number[]>) => {
    const groups = await list();
    return sharedIndex(groups, await mapConcurrent(groups, settings.concurrency, (g) => membersOf(g.id)));
  };
  const tagIndexOf = () => (tagIndex ??= fromSnapshot<UemTag>('tags') ?? liveIndex(liveTags, liveTagMembers));
  const smartGroupIndexOf = () => (smartGroupIndex ??= fromSnapshot<UemSmartGroup>('smartGroups') ?? liveIndex(liveSmartGroups, liveSmartGroupMembers));
  /** Members of one group: from the snapshot's index when it serves, else the member list alone. */
  const membersOf = async (kind: 'tags' | 'smartGroups', id: number, live: (id: number) => Promise<number[]>): Promise<number[]> => {
    if (tenant.snapshots.usable(kind)) {
      const index = await (kind === 'tags' ? tagIndexOf() : smartGroupIndexOf());
      return [...(index.members.get(String(id)) ?? [])];
    }
    return live(id);
  };

  return {
    organizationGroups,
    async organizationGroupById(id: number | string): Promise<UemOrganizationGroup | null> {
      return (await organizationGroups()).find((g) => String(g.id) === String(id)) ?? null;
    },
    /** The whole app catalog (every page of apps/search). */
    apps,
    async appById(id: number | string): Promise<UemApp | null> {
      return (await apps()).find((a) => String(a.id) === String(id)) ?? null;
    },
    async appByUuid(uuid: string): Promise<UemApp | null> {
      const wanted = uuid.toLowerCase();
      return (await apps()).find((a) => a.uuid?.toLowerCase() === wanted) ?? null;
    },
    /** Every tag (the snapshot's list when it serves). */
    tags: async (): Promise<readonly UemTag[]> => (tenant.snapshots.usable('tags') ? (await tagIndexOf()).groups : liveTags()),
    /** Device ids of one tag, ascending. */
    tagMembers: (id: number) => membersOf('tags', id, liveTagMembers),
    smartGroups: async (): Promise<readonly UemSmartGroup[]> => (tenant.snapshots.usable('smartGroups') ? (await smartGroupIndexOf()).groups : liveSmartGroups()),
    smartGroupMembers: (id: number) => membersOf('smartGroups', id, liveSmartGroupMembers),
    /** The members of a smart group as UEM has them now (briefly cached): what a write's checks read. */
    smartGroupMembersLive: liveSmartGroupMembers,
    /** Every tag with its members; a device's tags without a call per device. */
    tagIndex: tagIndexOf,
    smartGroupIndex: smartGroupIndexOf,
  };
}

/**
 * The last index built from a given (cached) group list, with the member lists it was built from.
 * The index covers every device of the tenant (tens of MB at 50,000 devices): built once per
 * change of the cached lists and shared by the requests that read the same lists, instead of once
 * per request. Keyed weakly by the list, so it goes when the cache drops the list.
 */
const builtIndexes = new WeakMap<readonly object[], { memberLists: readonly (readonly number[])[]; index: MembershipIndex<{ id: number }> }>();

/** The index of these groups and member lists: the one built last from the same lists, or a new one. */
function sharedIndex<G extends { id: number }>(groups: readonly G[], memberLists: readonly (readonly number[])[]): MembershipIndex<G> {
  const built = builtIndexes.get(groups);
  if (built && built.memberLists.length === memberLists.length && built.memberLists.every((m, i) => m === memberLists[i])) {
    return built.index as MembershipIndex<G>;
  }
  const index = indexMembership(groups, memberLists);
  builtIndexes.set(groups, { memberLists, index });
  return index;
}
