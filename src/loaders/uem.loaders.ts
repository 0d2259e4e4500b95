/**
 * UEM reads for one request, batched so that upstream requests grow with the depth of a query,
 * not with the length of its lists (README, "Batching strategy"):
 *
 * - devices by id: one `POST /mdm/devices/id` per batch (chunked at the id cap); every device a
 *   list fetched primes this loader, so a device seen in a search is never fetched again.
 * - enrollment users by id: UEM has no batch read. Small batches use per-id GETs with bounded
 *   concurrency; from `userScanThreshold` ids on (or whenever the directory is cached), the whole
 *   directory is read with paged `users/search` (2 requests for 800 users) into a short-TTL cache.
 * - `userScan(filter)`: every user matching a search (paged, cached like the directory).
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
import type { RequestReference } from './reference.js';
import type { TtlCache } from './ttl-cache.js';
import { createUemCommandLoaders } from './uem-command.loaders.js';
import { createUemDeviceLoaders } from './uem-device.loaders.js';
import { createUemReferenceLoaders } from './uem-reference.loaders.js';
import { createUemUserGroupLoaders } from './uem-user-groups.loaders.js';

export interface UemLoaderSettings {
  /** TTL of the enrollment-user directory read from users/search. */
  directoryTtlMs: number;
  /** From this many ids in one batch, read the whole directory instead of one GET per id. */
  userScanThreshold: number;
  /** Per-id GETs in flight at once. */
  perIdConcurrency: number;
  /** Batching on (production) or off (the benchmark's comparison mode). */
  batching: boolean;
  /** TTL of device scans; default the smaller of `directoryTtlMs` and 30 s (device state moves faster). */
  deviceScanTtlMs?: number;
  /**
   * From this many user names in one batch, `devicesByUserName` reads every device once instead of
   * one search per name. Default 8: a scan of the 2,000-device demo tenant is 4 requests.
   */
  deviceScanThreshold?: number;
  /** Told the size of every batch (metrics). */
  onBatch?: BatchObserver;
}

export const UEM_KEYS = { userDirectory: 'uem:user-directory', userScans: 'uem:user-scan:*' } as const;

export interface UserDirectory {
  byId: Map<string, UemUser>;
  byEmail: Map<string, UemUser>;
  byUserName: Map<string, UemUser>;
}

export function createUemLoaders(uem: UemDatasource, ref: RequestReference, cache: TtlCache, settings: UemLoaderSettings) {
  const directory = (): Promise<UserDirectory> =>
    ref.get(
      UEM_KEYS.userDirectory,
      async () => {
        const users: UemUser[] = [];
        for (let page = 0; ; page++) {
          const result = await uem.searchUsers({}, page, 500);
          users.push(...result.items);
          if (result.items.length === 0 || users.length >= result.total) break;
        }
        return indexUsers(users);
      },
      { ttlMs: settings.directoryTtlMs },
    );

  /**
   * Every enrollment user matching a search filter (the directory itself without one), cached like
   * the directory: what a non-admin's `uemUsers` over several organization groups is filtered from.
   */
  const userScan = async (filter: UemUserFilter = {}): Promise<UemUser[]> => {
    const entries = Object.entries(filter).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) return [...(await directory()).byId.values()];
    return ref.get(
      `uem:user-scan:${JSON.stringify(entries)}`,
      async () => (await fetchAllPages((page, size) => uem.searchUsers(filter, page, size))).items,
      { ttlMs: settings.directoryTtlMs },
    );
  };

  const deviceById = new DataLoader<string, UemDevice | null>(
    observed('uem.deviceById', settings.onBatch, async (ids) => inKeyOrder(ids, await uem.getDevicesByIds(ids), (d) => String(d.id))),
    { batch: settings.batching, maxBatchSize: 500 },
  );

  const userById = new DataLoader<string, UemUser | null>(
    observed('uem.userById', settings.onBatch, async (ids) => {
      if (ids.length >= settings.userScanThreshold || cache.fresh(UEM_KEYS.userDirectory, settings.directoryTtlMs)) {
        const dir = await directory();
        return ids.map((id) => dir.byId.get(id) ?? null);
      }
      return mapConcurrent(ids, settings.perIdConcurrency, (id) => uem.getUser(id));
    }),
    { batch: settings.batching },
  );

  const primeDevices = (devices: readonly UemDevice[]): void => {
    for (const d of devices) deviceById.prime(String(d.id), d);
  };
  const reference = createUemReferenceLoaders(uem, ref, { ttlMs: settings.directoryTtlMs, concurrency: settings.perIdConcurrency });
  const relations = createUemDeviceLoaders(
    uem,
    ref,
    cache,
    {
      batching: settings.batching,
      perIdConcurrency: settings.perIdConcurrency,
      scanTtlMs: settings.deviceScanTtlMs ?? Math.min(settings.directoryTtlMs, 30_000),
      deviceScanThreshold: settings.deviceScanThreshold ?? 8,
      onBatch: settings.onBatch,
    },
    primeDevices,
  );

  const userGroups = createUemUserGroupLoaders(uem, ref, { ttlMs: settings.directoryTtlMs });
  const commands = createUemCommandLoaders(uem, { batching: settings.batching, perIdConcurrency: settings.perIdConcurrency, onBatch: settings.onBatch });

  return {
    ...reference,
    ...userGroups,
    ...commands,
    ...relations,
    deviceById,
    userById,
    /** The whole enrollment-user directory (cached briefly across requests). */
    userDirectory: directory,
    userScan,
    /** Remembers devices a list returned, so later lookups by id cost nothing. */
    primeDevices,
  };
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
