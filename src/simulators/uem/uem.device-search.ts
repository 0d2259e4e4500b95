/**
 * Device search over the live devices: filters resolved once to canonical values, then one walk
 * over a cached sort order (O(n) per page, no sort per request). Sort orders are rebuilt lazily
 * after a write that can change a sort key.
 */
import type { UemDevice, UemUser } from './uem.types.js';

export interface DeviceFilter {
  /** Enrollment user name, case-insensitive exact match. */
  userName?: string;
  /** Case-insensitive exact match. */
  model?: string;
  platform?: string;
  ownership?: string;
  /** The organization group or any descendant. */
  groupIds?: ReadonlySet<number>;
  compliant?: boolean;
  /** LastSeen ≥ this (epoch ms). */
  seenSince?: number;
  /** LastSeen ≤ this (epoch ms). */
  seenUntil?: number;
}

export const DEVICE_SORT_KEYS = [
  'Id',
  'LastSeen',
  'DeviceFriendlyName',
  'Model',
  'Platform',
  'OperatingSystem',
  'SerialNumber',
  'UserName',
  'Ownership',
  'EnrollmentStatus',
  'ComplianceStatus',
  'LastEnrolledOn',
] as const;
export type DeviceSortKey = (typeof DEVICE_SORT_KEYS)[number];

/** The canonical key for a case-insensitive `orderby`, or undefined when unknown. */
export function deviceSortKey(name: string): DeviceSortKey | undefined {
  const lower = name.trim().toLowerCase();
  return DEVICE_SORT_KEYS.find((k) => k.toLowerCase() === lower);
}

export interface DeviceSearchResult {
  total: number;
  items: UemDevice[];
}

export class DeviceSearchIndex {
  private readonly orders = new Map<string, UemDevice[]>();
  private readonly canonical = new Map<'model' | 'platform' | 'ownership', Map<string, string>>();

  constructor(
    /** Sorted by id; the array is shared with the state and never reordered. */
    private readonly devices: readonly UemDevice[],
    private readonly userOf: (d: UemDevice) => UemUser | undefined,
    private readonly devicesOfUserName: (userName: string) => readonly UemDevice[],
  ) {
    for (const field of ['model', 'platform', 'ownership'] as const) {
      const values = new Map<string, string>();
      for (const d of devices) values.set(d[field].toLowerCase(), d[field]);
      this.canonical.set(field, values);
    }
  }

  /** Drops the cached sort orders (after a write to a sortable field). */
  invalidate(): void {
    this.orders.clear();
  }

  search(filter: DeviceFilter, sortKey: DeviceSortKey, descending: boolean, start: number, count: number): DeviceSearchResult {
    const accept = this.predicate(filter);
    if (accept === null) return { total: 0, items: [] };
    const source =
      filter.userName !== undefined
        ? this.sorted(this.devicesOfUserName(filter.userName), sortKey, descending)
        : this.order(sortKey, descending);
    let total = 0;
    const items: UemDevice[] = [];
    const end = start + count;
    for (const d of source) {
      if (!accept(d)) continue;
      if (total >= start && total < end) items.push(d);
      total++;
    }
    return { total, items };
  }

  /** A predicate, or null when a filter value can match nothing (an unknown platform, say). */
  private predicate(f: DeviceFilter): ((d: UemDevice) => boolean) | null {
    const model = this.resolve('model', f.model);
    const platform = this.resolve('platform', f.platform);
    const ownership = this.resolve('ownership', f.ownership);
    if (model === null || platform === null || ownership === null) return null;
    const { groupIds, compliant, seenSince, seenUntil } = f;
    return (d) =>
      (model === undefined || d.model === model) &&
      (platform === undefined || d.platform === platform) &&
      (ownership === undefined || d.ownership === ownership) &&
      (groupIds === undefined || groupIds.has(d.locationGroupId)) &&
      (compliant === undefined || (d.complianceStatus === 'Compliant') === compliant) &&
      (seenSince === undefined || d.lastSeen >= seenSince) &&
      (seenUntil === undefined || d.lastSeen <= seenUntil);
  }

  private resolve(field: 'model' | 'platform' | 'ownership', value: string | undefined): string | undefined | null {
    if (value === undefined) return undefined;
    return this.canonical.get(field)?.get(value.trim().toLowerCase()) ?? null;
  }

  private order(key: DeviceSortKey, descending: boolean): readonly UemDevice[] {
    if (key === 'Id' && !descending) return this.devices;
    const cacheKey = `${key}:${descending ? 'desc' : 'asc'}`;
    let order = this.orders.get(cacheKey);
    if (!order) {
      order = this.sorted(this.devices, key, descending);
      this.orders.set(cacheKey, order);
    }
    return order;
  }

  /** A stable sort: by the key (strings case-insensitively), ties by ascending id. */
  private sorted(list: readonly UemDevice[], key: DeviceSortKey, descending: boolean): UemDevice[] {
    const keyOf = this.keyFunction(key);
    const keyed = list.map((d) => ({ k: keyOf(d), d }));
    const sign = descending ? -1 : 1;
    keyed.sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : a.d.id - b.d.id));
    return keyed.map((e) => e.d);
  }

  private keyFunction(key: DeviceSortKey): (d: UemDevice) => string | number {
    switch (key) {
      case 'Id':
        return (d) => d.id;
      case 'LastSeen':
        return (d) => d.lastSeen;
      case 'LastEnrolledOn':
        return (d) => d.lastEnrolledOn;
      case 'DeviceFriendlyName':
        return (d) => d.friendlyName.toLowerCase();
      case 'Model':
        return (d) => d.model.toLowerCase();
      case 'Platform':
        return (d) => d.platform.toLowerCase();
      case 'OperatingSystem':
        return (d) => d.operatingSystem;
      case 'SerialNumber':
        return (d) => d.serialNumber.toLowerCase();
      case 'UserName':
        return (d) => this.userOf(d)?.userName.toLowerCase() ?? '';
      case 'Ownership':
        return (d) => d.ownership.toLowerCase();
      case 'EnrollmentStatus':
        return (d) => d.enrollmentStatus.toLowerCase();
      case 'ComplianceStatus':
        return (d) => d.complianceStatus.toLowerCase();
      default: {
        const never: never = key;
        throw new Error(`unknown sort key ${String(never)}`);
      }
    }
  }
}
