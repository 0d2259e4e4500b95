/**
 * UEM reads for one request, batched so that upstream requests grow with the depth of a query,
 * not with the length of its lists (README, "Batching strategy"), and planned by cost for this
 * tenant (plans.ts: the same functions the pre-execution estimate calls):
 *
 * - devices by id: one `POST /mdm/devices/id` per batch (chunked at the id cap); every device a
 *   list fetched primes this loader, so a device seen in a search is never fetched again. Always
 *   live: a device's detail and a command's targets are never read from a snapshot.
 * - enrollment users by id, and by email: the users snapshot, the cached directory, one call per
 *   key (GET by id, `users/search?email=`), or the whole directory (pages in parallel), whichever
 *   takes fewest requests.
 * - `userScan(filter, groups?)`: every user matching a search, or of several groups searched one by
 *   one (paged, cached like the directory; planned by `plans.userScan`).
 * - devices of users, apps and compliance of devices: `uem-device.loaders.ts`.
 * - organization groups, the app catalog, tags and smart groups with members: `uem-reference.loaders.ts`.
 * - custom user groups and their members: `uem-user-groups.loaders.ts`.
 * - commands sent to devices (UEM's command history): `uem-command.loaders.ts`.
 */
import DataLoader from 'dataloader';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemUserFilter } from '../datasources/uem/uem.directory.js';
import { fetchAllPages } from '../datasources/uem/uem.paging.js';
import type { UemDevice, UemUser } from '../datasources/uem/uem.schemas.js';
import { mapConcurrent } from '../datasources/concurrency.js';
import { observed, type BatchObserver } from './observed.js';
import { inKeyOrder } from './ordered.js';
import { PrimedCache } from './primed-cache.js';
import * as plans from './plans.js';
import type { RequestReference } from './reference.js';
import type { RequestTenant } from './request-tenant.js';
import { createUemCommandLoaders } from './uem-command.loaders.js';
import { createUemDeviceLoaders } from './uem-device.loaders.js';
import { createUemReferenceLoaders } from './uem-reference.loaders.js';
import { createUemUserGroupLoaders } from './uem-user-groups.loaders.js';

export interface UemLoaderSettings {
  /** TTL of the enrollment-user directory read from users/search. */
  directoryTtlMs: number;
  /** Provisioning: from this many user names, one directory read instead of a search per name. */
  userScanThreshold: number;
  /** Per-key calls (and member lists) in flight at once. */
  perIdConcurrency: number;
  /** Batching on (production) or off (the benchmark's comparison mode). */
  batching: boolean;
  /** TTL of device scans; default the smaller of `directoryTtlMs` and 30 s (device state moves faster). */
  deviceScanTtlMs?: number;
  /** Told the size of every batch (metrics). */
  onBatch?: BatchObserver;
}

export const UEM_KEYS = { userDirectory: plans.WHOLE_READS.userDirectory, userScans: 'uem:user-scan:*' } as const;

/** The cross-request cache key of a user search read whole (the directory's without a filter): what its plan checks. */
export function userScanKey(filter: UemUserFilter): string {
  const entries = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? UEM_KEYS.userDirectory : `uem:user-scan:${JSON.stringify(entries)}`;
}

export interface UserDirectory {
  byId: Map<string, UemUser>;
  byEmail: Map<string, UemUser>;
  byUserName: Map<string, UemUser>;
}

export function createUemLoaders(uem: UemDatasource, ref: RequestReference, tenant: RequestTenant, settings: UemLoaderSettings) {
  const { snapshots } = tenant;
  const directory = (): Promise<UserDirectory> =>
    ref.get(
      UEM_KEYS.userDirectory,
      async () => {
        const { items, total } = await fetchAllPages((page, size) => uem.searchUsers({}, page, size), { concurrency: settings.perIdConcurrency });
        snapshots.observeTotal('users', total);
        return indexUsers(items);
      },
      { ttlMs: settings.directoryTtlMs },
    );

  /** Every user matching one search (pages in parallel), cached like the directory under `userScanKey`. */
  const searchAll = (filter: UemUserFilter): Promise<UemUser[]> => {
    const key = userScanKey(filter);
    if (key === UEM_KEYS.userDirectory) return directory().then((dir) => [...dir.byId.values()]);
    return ref.get(
      key,
      async () => {
        const { items, total } = await fetchAllPages((page, size) => uem.searchUsers(filter, page, size), { concurrency: settings.perIdConcurrency });
        // A search of one group alone counts that group's users (with the groups below it).
        if (filter.organizationGroupId !== undefined && Object.keys(filter).every((k) => k === 'organizationGroupId')) snapshots.observeGroupUsers(filter.organizationGroupId, total);
        return items;
      },
      { ttlMs: settings.directoryTtlMs },
    );
  };

  /**
   * Every enrollment user matching a search filter (the directory itself without one), cached like
   * the directory: what a non-admin's `uemUsers` over several organization groups is filtered from.
   * With `groups` (the plan's `per-group` strategy), one search per group (each with the groups
   * below it, the filter's text kept) instead of one over the filter's region.
   */
  const userScan = async (filter: UemUserFilter = {}, groups?: readonly number[]): Promise<UemUser[]> => {
    if (!groups) return searchAll(filter);
    return (await Promise.all(groups.map((g) => searchAll({ ...filter, organizationGroupId: g })))).flat();
  };

  // Lists prime it in one step (primed-cache.ts): entries are made only if a lookup needs them.
  const deviceCache = new PrimedCache<UemDevice | null>((d) => String(d.id));
  const deviceById = new DataLoader<string, UemDevice | null>(
    observed('uem.deviceById', settings.onBatch, async (ids) => inKeyOrder(ids, await uem.getDevicesByIds(ids), (d) => String(d.id))),
    { batch: settings.batching, maxBatchSize: 500, cacheMap: deviceCache },
  );

  const perId = (ids: readonly string[]) => mapConcurrent(ids, settings.perIdConcurrency, (id) => uem.getUser(id));

  /** Users this request has seen, by id: what `userNow` answers again (one request, one answer per user). */
  const usersSeen = new Map<string, UemUser | null>();
  const userById = new DataLoader<string, UemUser | null>(
    observed('uem.userById', settings.onBatch, async (ids) => {
      const users = await readUsersById(ids);
      ids.forEach((id, i) => usersSeen.set(id, users[i] ?? null));
      return users;
    }),
    { batch: settings.batching },
  );

  /**
   * The enrollment user of `id` without waiting, when the answer is already at hand: this request
   * loaded it, or the users snapshot (the plan `userById` would use) keeps it in memory. Else
   * undefined, and the caller loads it through `userById`. A page of devices with their users' names
   * then answers those fields at once, not with a promise per field.
   */
  let fromSnapshot: boolean | undefined;
  let noted = false;
  const userNow = (id: string): UemUser | null | undefined => {
    const seen = usersSeen.get(id);
    if (seen !== undefined) return seen;
    fromSnapshot ??= plans.userReads(tenant.knowledge(), 1).strategy === 'snapshot';
    if (!fromSnapshot || !/^\d+$/.test(id)) return undefined;
    const kept = snapshots.peekUser(Number(id));
    if (!kept) return undefined;
    if (!noted) {
      tenant.note('users');
      noted = true;
    }
    usersSeen.set(id, kept);
    userById.prime(id, kept);
    return kept;
  };

  async function readUsersById(ids: readonly string[]): Promise<(UemUser | null)[]> {
    const plan = plans.userReads(tenant.knowledge(), ids.length);
    switch (plan.strategy) {
      case 'snapshot': {
        tenant.note('users');
        const found = inKeyOrder(ids, await snapshots.users({ ids: ids.filter((id) => /^\d+$/.test(id)).map(Number) }), (u) => String(u.id));
        // A user the snapshot does not hold yet (enrolled since) is read live: the id came from UEM.
        const missing = ids.filter((_id, i) => found[i] === null);
        if (missing.length === 0) return found;
        const live = new Map((await perId(missing)).flatMap((u, i) => (u ? [[missing[i] as string, u] as const] : [])));
        return ids.map((id, i) => found[i] ?? live.get(id) ?? null);
      }
      case 'cache':
      case 'scan': {
        const dir = await directory();
        return ids.map((id) => dir.byId.get(id) ?? null);
      }
      default:
        return perId(ids);
    }
  }

  /** Keys are lower-case emails; exact matches only (UEM's email filter matches by "contains"). */
  const userByEmail = new DataLoader<string, UemUser | null>(
    observed('uem.userByEmail', settings.onBatch, async (emails) => {
      const plan = plans.usersByEmail(tenant.knowledge(), emails.length);
      switch (plan.strategy) {
        case 'snapshot': {
          tenant.note('users');
          const users = await snapshots.users({ emails });
          return emails.map((e) => users.find((u) => u.email?.toLowerCase() === e) ?? null);
        }
        case 'cache':
        case 'scan': {
          const dir = await directory();
          return emails.map((e) => dir.byEmail.get(e) ?? null);
        }
        default:
          return mapConcurrent(emails, settings.perIdConcurrency, async (email) => {
            const { items } = await fetchAllPages((page, size) => uem.searchUsers({ email }, page, size), { concurrency: settings.perIdConcurrency });
            return items.find((u) => u.email?.toLowerCase() === email) ?? null;
          });
      }
    }),
    { batch: settings.batching, cacheKeyFn: (email) => email.toLowerCase() },
  );

  const primeDevices = (devices: readonly UemDevice[]): void => deviceCache.add(devices);
  const reference = createUemReferenceLoaders(uem, ref, tenant, { ttlMs: settings.directoryTtlMs, concurrency: settings.perIdConcurrency });
  const relations = createUemDeviceLoaders(
    uem,
    ref,
    tenant,
    {
      batching: settings.batching,
      perIdConcurrency: settings.perIdConcurrency,
      scanTtlMs: settings.deviceScanTtlMs ?? Math.min(settings.directoryTtlMs, 30_000),
      onBatch: settings.onBatch,
    },
    primeDevices,
  );

  const userGroups = createUemUserGroupLoaders(uem, ref, { ttlMs: settings.directoryTtlMs });
  const commands = createUemCommandLoaders(uem, { batching: settings.batching, perIdConcurrency: settings.perIdConcurrency, onBatch: settings.onBatch });

  // Object.assign, not spreads followed by fields: those give each request's loaders a map of their own,
  // which keeps the whole request alive through scavenges (src/object-copy.ts).
  return Object.assign(Object.assign({}, reference, userGroups), commands, relations, {
    deviceById,
    userById,
    userNow,
    /** The enrollment user with this email (any case), or null. */
    userByEmail: (email: string) => userByEmail.load(email.trim().toLowerCase()),
    /** The whole enrollment-user directory (cached briefly across requests). */
    userDirectory: directory,
    userScan,
    /** Remembers devices a list returned, so later lookups by id cost nothing. */
    primeDevices,
    /** The tenant as this request sees it: snapshots, plans' knowledge, snapshots used. */
    tenant,
  });
}

export type UemLoaders = ReturnType<typeof createUemLoaders>;

function indexUsers(users: readonly UemUser[]): UserDirectory {
  const byId = new Map<string, UemUser>();
  const byEmail = new Map<string, UemUser>();
  const byUserName = new Map<string, UemUser>();
  for (const u of users) {
    byId.set(String(u.id), u);
    if (u.email) byEmail.set(u.email.toLowerCase(), u);
    if (u.userName) byUserName.set(u.userName.toLowerCase(), u);
  }
  return { byId, byEmail, byUserName };
}
