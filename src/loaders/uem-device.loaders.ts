/**
 * Per-device relations UEM has no batch read for, and the whole-tenant device reads (docs/upstreams/
 * uem.md, "Batching consequences"):
 *
 * - `deviceSnapshot()`: the device snapshot's index when it serves (noted for `extensions`), and
 *   `snapshotDevices(ids)` the records of its rows (read from the store, no upstream request).
 * - `deviceScan(filter)`: every device matching a UEM filter, live (`allDevices`: one request per
 *   500, in parallel), cached briefly across requests: what a plan falls back to without a snapshot.
 *   Organization-wide data read with the integration account; callers' own scoping applies on top.
 *   `cachedDeviceScan` answers only from a fresh scan (what row scope uses to check member lists
 *   without a request).
 * - `devicesBySerialNumber`: every device with each serial number (case-insensitive), through the
 *   batch read by serial number (`POST /mdm/devices/serialnumber`, as many as `devices/id` takes);
 *   a serial number may repeat (re-enrollments), so each key answers a list. The devices prime the
 *   by-id loader. Always live.
 * - `devicesByUserName`: planned by cost (plans.ts `devicesOfUsers`): the snapshot, a cached
 *   scan, one filtered search per name, or one scan grouped by user name.
 * - `deviceApps`, `deviceCompliance`, `internalApp`: one GET per id, deduplicated per request, at
 *   most `perIdConcurrency` in flight; a failure fails only its own key.
 */
import DataLoader from 'dataloader';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemDeviceFilter } from '../datasources/uem/uem.devices.js';
import type { UemAppDevice, UemInternalApp } from '../datasources/uem/uem.catalog-schemas.js';
import type { UemDevice, UemDeviceApp, UemDeviceCompliance } from '../datasources/uem/uem.schemas.js';
import { mapConcurrent } from '../datasources/concurrency.js';
import type { DeviceSnapshot } from '../tenant/snapshots.js';
import { observed, type BatchObserver } from './observed.js';
import * as plans from './plans.js';
import type { RequestReference } from './reference.js';
import type { RequestTenant } from './request-tenant.js';

export interface UemDeviceLoaderSettings {
  batching: boolean;
  perIdConcurrency: number;
  /** TTL of device scans (0 = no cross-request cache). */
  scanTtlMs: number;
  onBatch?: BatchObserver;
}

/** The cache key of a scan: the filter with its keys sorted, so equal filters share one entry. */
export function deviceScanKey(filter: UemDeviceFilter): string {
  const entries = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return `uem:device-scan:${JSON.stringify(entries)}`;
}

export type AppDeviceQuery = { uuid: string; installed?: boolean; assigned?: boolean };

export function createUemDeviceLoaders(
  uem: UemDatasource,
  ref: RequestReference,
  tenant: RequestTenant,
  settings: UemDeviceLoaderSettings,
  prime: (devices: readonly UemDevice[]) => void,
) {
  /**
   * Every device matching `filter`, live (cached briefly). With `groups` (a `per-group` plan), one
   * scan per group instead (each with the groups below it, the filter's other parts kept), in id
   * order as one scan answers.
   */
  const deviceScan = async (filter: UemDeviceFilter = {}, groups?: readonly number[]): Promise<UemDevice[]> => {
    if (!groups) return scanOne(filter);
    const lists = await Promise.all(groups.map((g) => scanOne({ ...filter, organizationGroupId: g })));
    return lists.flat().sort((a, b) => a.id - b.id);
  };

  const scanOne = (filter: UemDeviceFilter): Promise<UemDevice[]> =>
    ref
      .get(
        deviceScanKey(filter),
        async () => {
          const { items, total } = await uem.allDevices(filter);
          if (Object.keys(filter).length === 0) tenant.snapshots.observeTotal('devices', total);
          return items;
        },
        { ttlMs: settings.scanTtlMs },
      )
      .then((devices) => {
        prime(devices);
        return devices;
      });

  /** The live scan of `filter` when a fresh one is cached (no upstream request), else undefined. */
  const cachedDeviceScan = (filter: UemDeviceFilter = {}): Promise<UemDevice[]> | undefined =>
    tenant.knowledge().cached(deviceScanKey(filter)) ? deviceScan(filter) : undefined;

  /** The device snapshot's index when it serves this request (recorded for `extensions.snapshots`). */
  const deviceSnapshot = (): DeviceSnapshot | undefined => {
    const snapshot = tenant.snapshots.devices();
    if (snapshot) tenant.note('devices');
    return snapshot;
  };

  const perKey = <K, V>(keys: readonly K[], fn: (key: K) => Promise<V>): Promise<(V | Error)[]> =>
    mapConcurrent(keys, settings.perIdConcurrency, async (key) => {
      try {
        return await fn(key);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });

  /** Keys are user names (case-insensitive); values every device of that user, in id order. */
  const devicesByUserName = new DataLoader<string, UemDevice[]>(
    observed('uem.devicesByUserName', settings.onBatch, async (names) => {
      const plan = plans.devicesOfUsers(tenant.knowledge(), names.length);
      switch (plan.strategy) {
        case 'snapshot': {
          tenant.note('devices');
          const byUser = await tenant.snapshots.devicesOfUsers(names);
          return names.map((n) => byUser.get(n.toLowerCase()) ?? []);
        }
        case 'cache':
        case 'scan': {
          const byUser = new Map<string, UemDevice[]>();
          for (const d of await deviceScan({})) {
            const key = d.userName?.toLowerCase();
            if (!key) continue;
            const list = byUser.get(key);
            if (list) list.push(d);
            else byUser.set(key, [d]);
          }
          return names.map((n) => byUser.get(n.toLowerCase()) ?? []);
        }
        default:
          return perKey(names, async (name) => {
            const { items } = await uem.allDevices({ userName: name });
            prime(items);
            return items;
          });
      }
    }),
    { batch: settings.batching, cacheKeyFn: (name) => name.toLowerCase() },
  );

  const devicesBySerialNumber = new DataLoader<string, UemDevice[]>(
    observed('uem.devicesBySerialNumber', settings.onBatch, async (serials) => {
      const devices = await uem.getDevicesBySerialNumbers(serials);
      prime(devices);
      const bySerial = new Map<string, UemDevice[]>();
      for (const d of devices) {
        const key = d.serialNumber?.toLowerCase();
        if (key) bySerial.set(key, [...(bySerial.get(key) ?? []), d]);
      }
      return serials.map((s) => bySerial.get(s.toLowerCase()) ?? []);
    }),
    { batch: settings.batching, cacheKeyFn: (serial) => serial.toLowerCase() },
  );

  const deviceApps = new DataLoader<string, UemDeviceApp[]>(observed('uem.deviceApps', settings.onBatch, (ids) => perKey(ids, (id) => uem.deviceApps(id))), {
    batch: settings.batching,
  });
  const deviceCompliance = new DataLoader<string, UemDeviceCompliance | null>(
    observed('uem.deviceCompliance', settings.onBatch, (ids) => perKey(ids, (id) => uem.deviceCompliance(id))),
    { batch: settings.batching },
  );
  const internalApp = new DataLoader<string, UemInternalApp | null>(observed('uem.internalApp', settings.onBatch, (ids) => perKey(ids, (id) => uem.getInternalApp(id))), {
    batch: settings.batching,
  });
  /** Devices of an app by install/assignment flags; one paged read per distinct question. */
  const appDevices = new DataLoader<AppDeviceQuery, UemAppDevice[], string>(
    observed('uem.appDevices', settings.onBatch, (queries) =>
      perKey(queries, (q) => uem.appDevices(q.uuid, { installed: q.installed, assigned: q.assigned })),
    ),
    { batch: settings.batching, cacheKeyFn: (q) => JSON.stringify([q.uuid.toLowerCase(), q.installed ?? null, q.assigned ?? null]) },
  );

  return {
    deviceScan,
    cachedDeviceScan,
    deviceSnapshot,
    /** Records of snapshot rows (from the store), in the order asked. */
    snapshotDevices: (ids: readonly number[]) => tenant.snapshots.deviceRecords(ids),
    devicesByUserName,
    devicesBySerialNumber,
    deviceApps,
    deviceCompliance,
    internalApp,
    appDevices,
  };
}
