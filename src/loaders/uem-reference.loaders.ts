/**
 * UEM reference data for one request, read through the cross-request TTL cache (docs/design.md §2):
 * organization groups, the app catalog, tags and smart groups with their member lists. Every list
 * here is organization-wide and read with the integration account, so sharing it between callers
 * carries nobody's own data.
 *
 * Tags and smart groups are few (docs/upstreams/uem.md, "Batching consequences"): the list is read once
 * and each one's member list once per TTL, which answers "tags of every device" from an index
 * instead of a call per device (1 + n requests per TTL for n tags; 11 on the demo tenant).
 */
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemApp, UemOrganizationGroup, UemSmartGroup, UemTag } from '../datasources/uem/uem.catalog-schemas.js';
import { mapConcurrent } from '../datasources/concurrency.js';
import { fetchAllPages } from '../datasources/uem/uem.paging.js';
import type { RequestReference } from './reference.js';

export const UEM_REFERENCE_KEYS = {
  organizationGroups: 'uem:organization-groups',
  apps: 'uem:apps',
  tags: 'uem:tags',
  tagMembers: (id: number) => `uem:tag-members:${id}`,
  smartGroups: 'uem:smart-groups',
  smartGroupMembers: (id: number) => `uem:smart-group-members:${id}`,
} as const;

/** Groups (tags or smart groups) with their members, indexed both ways. */
export interface MembershipIndex<G extends { id: number }> {
  groups: readonly G[];
  byId: ReadonlyMap<string, G>;
  /** Group id → member device ids, ascending. */
  members: ReadonlyMap<string, readonly number[]>;
  /** Device id → the groups it belongs to, in list order. */
  ofDevice: ReadonlyMap<string, readonly G[]>;
}

export interface UemReferenceSettings {
  ttlMs: number;
  /** Member-list reads in flight at once. */
  concurrency: number;
}

export function createUemReferenceLoaders(uem: UemDatasource, ref: RequestReference, settings: UemReferenceSettings) {
  const ttl = { ttlMs: settings.ttlMs };
  const organizationGroups = () => ref.get(UEM_REFERENCE_KEYS.organizationGroups, () => uem.searchOrganizationGroups(), ttl);
  const apps = () => ref.get(UEM_REFERENCE_KEYS.apps, async () => (await fetchAllPages((page, size) => uem.searchApps({}, page, size))).items, ttl);
  const tags = () => ref.get(UEM_REFERENCE_KEYS.tags, () => uem.searchTags(), ttl);
  const smartGroups = () => ref.get(UEM_REFERENCE_KEYS.smartGroups, () => uem.searchSmartGroups(), ttl);

  const tagMembers = (id: number): Promise<number[]> =>
    ref.get(UEM_REFERENCE_KEYS.tagMembers(id), async () => sortedIds((await uem.tagDevices(id)).map((d) => d.deviceId)), ttl);
  const smartGroupMembers = (id: number): Promise<number[]> =>
    ref.get(UEM_REFERENCE_KEYS.smartGroupMembers(id), async () => sortedIds((await uem.smartGroupDevices(id)).map((d) => d.id)), ttl);

  let tagIndex: Promise<MembershipIndex<UemTag>> | undefined;
  let smartGroupIndex: Promise<MembershipIndex<UemSmartGroup>> | undefined;

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
    tags,
    /** Device ids of one tag, ascending (one request per tag per TTL). */
    tagMembers,
    smartGroups,
    smartGroupMembers,
    /** Every tag with its members; a device's tags without a call per device. */
    tagIndex: () => (tagIndex ??= indexMembership(tags, tagMembers, settings.concurrency)),
    smartGroupIndex: () => (smartGroupIndex ??= indexMembership(smartGroups, smartGroupMembers, settings.concurrency)),
  };
}

export type UemReferenceLoaders = ReturnType<typeof createUemReferenceLoaders>;

function sortedIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * The last index built from a given (cached) group list, with the member lists it was built from.
 * The index covers every device of the tenant (tens of MB at 50,000 devices): built once per
 * change of the cached lists and shared by the requests that read the same lists, instead of once
 * per request. Keyed weakly by the list, so it goes when the cache drops the list.
 */
const builtIndexes = new WeakMap<readonly object[], { memberLists: readonly (readonly number[])[]; index: MembershipIndex<{ id: number }> }>();

async function indexMembership<G extends { id: number }>(
  list: () => Promise<G[]>,
  membersOf: (id: number) => Promise<number[]>,
  concurrency: number,
): Promise<MembershipIndex<G>> {
  const groups = await list();
  const memberLists = await mapConcurrent(groups, concurrency, (g) => membersOf(g.id));
  const built = builtIndexes.get(groups);
  if (built && built.memberLists.length === memberLists.length && built.memberLists.every((m, i) => m === memberLists[i])) {
    return built.index as MembershipIndex<G>;
  }
  const index = buildIndex(groups, memberLists);
  builtIndexes.set(groups, { memberLists, index });
  return index;
}

function buildIndex<G extends { id: number }>(groups: readonly G[], memberLists: readonly (readonly number[])[]): MembershipIndex<G> {
  const byId = new Map<string, G>();
  const members = new Map<string, readonly number[]>();
  const ofDevice = new Map<string, G[]>();
  groups.forEach((g, i) => {
    const ids = memberLists[i] ?? [];
    byId.set(String(g.id), g);
    members.set(String(g.id), ids);
    for (const id of ids) {
      const key = String(id);
      const of = ofDevice.get(key);
      if (of) of.push(g);
      else ofDevice.set(key, [g]);
    }
  });
  return { groups, byId, members, ofDevice };
}
