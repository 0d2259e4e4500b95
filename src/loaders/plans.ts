/**
 * The plans of UEM's expensive relations, and what each costs in upstream requests for this
 * tenant and this request (issue 17): the loaders call these to choose how to read, and the
 * pre-execution estimate (src/safety/upstream-budget.ts) calls the same functions, so the
 * estimate is the plan the loaders will run and the thresholds live here only.
 *
 * Per relation, the cheapest of what applies: a usable snapshot in the store (0), a fresh
 * cross-request cache entry (0), one call per key (deduplicated, bounded parallelism), or one
 * read of the whole list (pages of 500, fetched in parallel within the concurrency limit).
 */
import type { SnapshotName, TenantSizes } from '../tenant/snapshots.js';
import { pagesOf } from '../tenant/quota-plan.js';

/** What a plan knows about the tenant and the caches, at the moment it is made. */
export interface TenantKnowledge {
  sizes: TenantSizes;
  /** A snapshot in the store serves this read. */
  snapshot(name: SnapshotName): boolean;
  /** A fresh cross-request cache entry answers this key (no upstream request). */
  cached(key: string): boolean;
}

export type Strategy = 'none' | 'snapshot' | 'cache' | 'per-key' | 'per-group' | 'batch' | 'scan' | 'list';

export interface Plan {
  /** The relation planned (`userById`, `devicesOfUsers`, …, or a schema field). */
  relation: string;
  strategy: Strategy;
  /** UEM (or Harmony) requests the plan takes. */
  calls: number;
  /** The keys (or items) planned for, when it is a count. */
  keys?: number;
  /** Default UEM. */
  upstream?: 'uem' | 'harmony';
}

/** Keys of the cross-request cache that whole reads are kept under (loaders own them). */
export const WHOLE_READS = {
  userDirectory: 'uem:user-directory',
  deviceScan: 'uem:device-scan:[]',
} as const;

/** Unknown sizes (before the first probe) never make a whole read look cheap. */
const unknownPages = (items: number, source: TenantSizes['source']) => (source === 'unknown' ? Number.POSITIVE_INFINITY : pagesOf(items));

/** One call per key, or the whole list, whichever takes fewer requests; ties go to the list (it is cached for others). */
function cheaper(relation: string, keys: number, wholePages: number): Plan {
  if (keys === 0) return { relation, strategy: 'none', calls: 0, keys };
  return keys < wholePages ? { relation, strategy: 'per-key', calls: keys, keys } : { relation, strategy: 'scan', calls: wholePages, keys };
}

/** Enrollment users by id (UEM has no batch read): the snapshot, the cached directory, per-id GETs, or the directory. */
export function userReads(k: TenantKnowledge, ids: number): Plan {
  if (ids === 0) return { relation: 'userById', strategy: 'none', calls: 0, keys: 0 };
  if (k.snapshot('users')) return { relation: 'userById', strategy: 'snapshot', calls: 0, keys: ids };
  if (k.cached(WHOLE_READS.userDirectory)) return { relation: 'userById', strategy: 'cache', calls: 0, keys: ids };
  return cheaper('userById', ids, unknownPages(k.sizes.users, k.sizes.source));
}

/** Enrollment users by email: the snapshot, the cached directory, `users/search?email=` each, or the directory. */
export function usersByEmail(k: TenantKnowledge, emails: number): Plan {
  if (emails === 0) return { relation: 'userByEmail', strategy: 'none', calls: 0, keys: 0 };
  if (k.snapshot('users')) return { relation: 'userByEmail', strategy: 'snapshot', calls: 0, keys: emails };
  if (k.cached(WHOLE_READS.userDirectory)) return { relation: 'userByEmail', strategy: 'cache', calls: 0, keys: emails };
  return cheaper('userByEmail', emails, unknownPages(k.sizes.users, k.sizes.source));
}

/** Every device of some users: the snapshot, a cached scan, one search per user, or one scan. */
export function devicesOfUsers(k: TenantKnowledge, users: number): Plan {
  if (users === 0) return { relation: 'devicesOfUsers', strategy: 'none', calls: 0, keys: 0 };
  if (k.snapshot('devices')) return { relation: 'devicesOfUsers', strategy: 'snapshot', calls: 0, keys: users };
  if (k.cached(WHOLE_READS.deviceScan)) return { relation: 'devicesOfUsers', strategy: 'cache', calls: 0, keys: users };
  return cheaper('devicesOfUsers', users, unknownPages(k.sizes.devices, k.sizes.source));
}

/**
 * Every device matching a filter the gateway applies itself (a summary, an environment spanning
 * groups, a row scope over several groups): the snapshot, a cached scan, or a scan of the
 * `matching` devices (UEM's own part of the filter; the tenant when not known).
 */
export function deviceScan(k: TenantKnowledge, scanKey: string, matching?: number): Plan {
  if (k.snapshot('devices')) return { relation: 'deviceScan', strategy: 'snapshot', calls: 0 };
  if (k.cached(scanKey)) return { relation: 'deviceScan', strategy: 'cache', calls: 0 };
  const items = matching ?? k.sizes.devices;
  return { relation: 'deviceScan', strategy: 'scan', calls: matching === undefined ? unknownPages(items, k.sizes.source) : pagesOf(items), keys: items };
}

/** One whole read of a scoped scan: its cache key and the items UEM counts for it (unknown: undefined). */
export interface ScanPart {
  key: string;
  items: number | undefined;
}

/**
 * A list the gateway filters by groups (a row scope over several groups, an environment spanning
 * groups): the one read of the region (the filter's group, else the tenant), and the reads by
 * group (UEM's one-group filter, each with the groups below it) that cover what can pass; `cover`
 * is undefined when group ids cannot tell what passes (unmapped groups fall to a readable
 * environment, or the region is not a known group): only the region's read can answer then.
 */
export interface ScanShape {
  region: ScanPart;
  cover?: readonly (ScanPart & { groupId: number })[];
}

/** The chosen plan of a scoped scan; `groups`: read one by one (the `per-group` strategy). */
export type ScanPlan = Plan & { groups?: readonly number[] };

const pagesOrUnknown = (s: ScanPart) => (s.items === undefined ? Number.POSITIVE_INFINITY : pagesOf(s.items));

/**
 * A scoped scan read live: the cached region, or the cheaper of the region's read and the cover's
 * reads by group (each cached one free), by their pages of 500 from the groups' totals (upper
 * bounds under other filters); ties go to the region (one cached read others share).
 */
export function scopedScan(k: TenantKnowledge, relation: 'userScan' | 'deviceScan', shape: ScanShape): ScanPlan {
  if (k.cached(shape.region.key)) return { relation, strategy: 'cache', calls: 0 };
  const region: ScanPlan = { relation, strategy: 'scan', calls: pagesOrUnknown(shape.region), ...(shape.region.items === undefined ? {} : { keys: shape.region.items }) };
  if (!shape.cover) return region;
  const pending = shape.cover.filter((g) => !k.cached(g.key));
  const calls = pending.reduce((sum, g) => sum + pagesOrUnknown(g), 0);
  if (calls >= region.calls) return region;
  const groups = shape.cover.map((g) => g.groupId);
  if (calls === 0) return { relation, strategy: 'cache', calls: 0, groups };
  return { relation, strategy: 'per-group', calls, keys: pending.reduce((sum, g) => sum + (g.items ?? 0), 0), groups };
}

/** Every enrollment user of a scoped read: the users snapshot when group ids tell the scope (it searches by group), else `scopedScan`. */
export function userScan(k: TenantKnowledge, shape: ScanShape): ScanPlan {
  if (k.snapshot('users') && shape.cover) return { relation: 'userScan', strategy: 'snapshot', calls: 0 };
  return scopedScan(k, 'userScan', shape);
}

/** Every device a scoped or spanning device filter reads: the device snapshot (its index checks group names itself), else `scopedScan`. */
export function scopedDeviceScan(k: TenantKnowledge, shape: ScanShape): ScanPlan {
  if (k.snapshot('devices')) return { relation: 'deviceScan', strategy: 'snapshot', calls: 0 };
  return scopedScan(k, 'deviceScan', shape);
}

/** Tags or smart groups assumed when their number is not known yet. */
export const ASSUMED_GROUPS = 20;

/** Tag or smart-group membership of every device: the snapshot, the cached lists, or the list and each member list. */
export function membership(k: TenantKnowledge, kind: 'tags' | 'smartGroups', listKey: string, memberKeys: readonly string[] | undefined): Plan {
  const relation = kind === 'tags' ? 'tagIndex' : 'smartGroupIndex';
  if (k.snapshot(kind)) return { relation, strategy: 'snapshot', calls: 0 };
  const groups = memberKeys?.length ?? (k.sizes[kind] > 0 ? k.sizes[kind] : ASSUMED_GROUPS);
  const missing = memberKeys ? memberKeys.filter((key) => !k.cached(key)).length : groups;
  const calls = (k.cached(listKey) ? 0 : 1) + missing;
  return { relation, strategy: calls === 0 ? 'cache' : 'list', calls, keys: groups };
}

/** Devices by id: `POST /mdm/devices/id`, up to 500 ids a call. */
export function devicesById(ids: number): Plan {
  return { relation: 'deviceById', strategy: ids === 0 ? 'none' : 'batch', calls: Math.ceil(ids / 500), keys: ids };
}

/** Devices by serial number: `POST /mdm/devices/serialnumber`, up to 500 a call (a federation `_entities` key). */
export function devicesBySerial(serials: number): Plan {
  return { relation: 'deviceBySerial', strategy: serials === 0 ? 'none' : 'batch', calls: Math.ceil(serials / 500), keys: serials };
}

/** Relations UEM answers only one key at a time (a device's apps, its compliance, a group's members). */
export function perKey(relation: string, keys: number): Plan {
  return { relation, strategy: keys === 0 ? 'none' : 'per-key', calls: keys, keys };
}

/** A list read once per request and cached across requests (catalog, groups, Harmony's lists). */
export function cachedList(k: TenantKnowledge, relation: string, key: string, upstream: 'uem' | 'harmony' = 'uem'): Plan {
  return k.cached(key) ? { relation, strategy: 'cache', calls: 0, upstream } : { relation, strategy: 'list', calls: 1, upstream };
}
