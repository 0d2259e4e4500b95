/**
 * The device snapshot as an in-memory index: one row per device in id order, each column a typed
 * array of codes into a small dictionary (group, platform, model, ownership, compliance,
 * enrollment, user name) plus the last-seen instant. A few bytes per device, so 200,000 devices
 * take a few megabytes; full records are read from the store only for the rows a page answers.
 * It answers UEM's device filters with UEM's semantics (upstreams: exact, case-insensitive text;
 * an organization group with its descendants; `seensince` ≥ and `lastseen` ≤), counts, and the
 * groupings of `deviceSummary`.
 */
import type { DeviceIndexRow } from '../store/snapshots.repository.js';

/** A string column: codes into `values`, and each value's codes by lower case. */
class Dictionary {
  readonly values: (string | null)[] = [null];
  private readonly codes = new Map<string, number>();
  private readonly byLower = new Map<string, number[]>();

  code(value: string | null): number {
    if (value === null) return 0;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
      const lower = value.toLowerCase();
      const list = this.byLower.get(lower);
      if (list) list.push(code);
      else this.byLower.set(lower, [code]);
    }
    return code;
  }

  /** Codes of the values equal to `value` in any case (trimmed), as UEM compares them. */
  matching(value: string): Set<number> {
    return new Set(this.byLower.get(value.trim().toLowerCase()) ?? []);
  }
}

/** UEM's device filters, as the index applies them. */
export interface IndexFilter {
  userName?: string;
  model?: string;
  platform?: string;
  ownership?: string;
  /** Devices in these groups (the caller expands a group to its descendants). */
  groupIds?: ReadonlySet<number>;
  complianceStatus?: 'Compliant' | 'NonCompliant';
  /** Epoch milliseconds. */
  seenSince?: number;
  seenUntil?: number;
  /** Devices of the groups whose name passes (an environment, a row scope); asked once per group name. */
  groupAccept?: (groupName: string | null) => boolean;
  /** Devices with these ids (a tag's members). */
  ids?: ReadonlySet<number>;
}

/** Columns `deviceSummary` may group by. */
export type SummaryColumn = 'platform' | 'ownership' | 'complianceStatus' | 'enrollmentStatus' | 'organizationGroup';

/** One device's indexed values (raw UEM strings, named as on `UemDevice`), as `deviceSummary` groups them. */
export interface IndexedDevice {
  id: number;
  organizationGroupId: number | null;
  organizationGroupName: string | null;
  organizationGroupUuid: string | null;
  uemPlatform: string | null;
  uemOwnership: string | null;
  uemComplianceStatus: string | null;
  uemEnrollmentStatus: string | null;
}

/** Zone-less UEM dates are UTC. */
function epochOf(wire: string | null): number {
  if (wire === null) return Number.NaN;
  const s = wire.trim();
  if (s === '' || s.startsWith('0001-01-01')) return Number.NaN;
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? s : `${s}Z`);
}

export class DeviceIndex {
  readonly size: number;
  readonly ids: Float64Array;
  private readonly groupIds: Float64Array;
  // Dictionaries only grow (a code never changes meaning): an index merged from another shares them.
  private readonly group: Dictionary;
  private readonly groupUuid: Dictionary;
  private readonly user: Dictionary;
  private readonly platform: Dictionary;
  private readonly model: Dictionary;
  private readonly ownership: Dictionary;
  private readonly compliance: Dictionary;
  private readonly enrollment: Dictionary;
  private readonly cols: { group: Uint32Array; groupUuid: Uint32Array; user: Uint32Array; small: Uint16Array };
  private readonly lastSeen: Float64Array;
  private readonly rowsById: Map<number, number>;
  /** Unfiltered `summary` results by columns (a handful of groupings at most). */
  private readonly unfiltered = new Map<string, readonly { device: IndexedDevice; count: number }[]>();
  /** The largest organization group id held (0 when none). */
  private readonly maxGroupId: number;

  /**
   * `rows` in any order; a later row with the same id replaces an earlier one. With `base`, `rows`
   * are changes to devices `base` holds: its columns are copied and those positions rewritten.
   */
  constructor(
    rows: Iterable<DeviceIndexRow>,
    readonly generation: number,
    base?: DeviceIndex,
  ) {
    this.group = base?.group ?? new Dictionary();
    this.groupUuid = base?.groupUuid ?? new Dictionary();
    this.user = base?.user ?? new Dictionary();
    this.platform = base?.platform ?? new Dictionary();
    this.model = base?.model ?? new Dictionary();
    this.ownership = base?.ownership ?? new Dictionary();
    this.compliance = base?.compliance ?? new Dictionary();
    this.enrollment = base?.enrollment ?? new Dictionary();
    if (base) {
      // Same devices, same order: the ids and positions are shared, the columns copied.
      this.size = base.size;
      this.ids = base.ids;
      this.rowsById = base.rowsById;
      this.groupIds = base.groupIds.slice();
      this.lastSeen = base.lastSeen.slice();
      this.cols = { group: base.cols.group.slice(), groupUuid: base.cols.groupUuid.slice(), user: base.cols.user.slice(), small: base.cols.small.slice() };
      for (const r of rows) this.write(base.rowsById.get(r.id) as number, r);
    } else {
      const byId = new Map<number, DeviceIndexRow>();
      for (const r of rows) byId.set(r.id, r);
      const sorted = [...byId.values()].sort((a, b) => a.id - b.id);
      const n = sorted.length;
      this.size = n;
      this.ids = new Float64Array(n);
      this.groupIds = new Float64Array(n);
      this.lastSeen = new Float64Array(n);
      this.cols = { group: new Uint32Array(n), groupUuid: new Uint32Array(n), user: new Uint32Array(n), small: new Uint16Array(n * 5) };
      this.rowsById = new Map();
      sorted.forEach((r, i) => {
        this.ids[i] = r.id;
        this.rowsById.set(r.id, i);
        this.write(i, r);
      });
    }
    let maxGroupId = 0;
    for (const g of this.groupIds) if (g > maxGroupId) maxGroupId = g;
    this.maxGroupId = maxGroupId;
  }

  /** One device's values at position `i` (its id is already there). */
  private write(i: number, r: DeviceIndexRow): void {
    this.groupIds[i] = r.groupId ?? Number.NaN;
    this.cols.group[i] = this.group.code(r.groupName);
    this.cols.groupUuid[i] = this.groupUuid.code(r.groupUuid);
    this.cols.user[i] = this.user.code(r.userName);
    this.cols.small[i * 5] = this.platform.code(r.platform);
    this.cols.small[i * 5 + 1] = this.model.code(r.model);
    this.cols.small[i * 5 + 2] = this.ownership.code(r.ownership);
    this.cols.small[i * 5 + 3] = this.compliance.code(r.complianceStatus);
    this.cols.small[i * 5 + 4] = this.enrollment.code(r.enrollmentStatus);
    this.lastSeen[i] = epochOf(r.lastSeen);
  }

  /**
   * This index with `changed` rows merged in (an incremental refresh). Changes to devices it holds
   * rewrite copies of the columns (no re-sort, no row objects: a few milliseconds at 200,000
   * devices); a device it does not hold yet rebuilds the index.
   */
  merge(changed: readonly DeviceIndexRow[], generation: number): DeviceIndex {
    if (changed.every((r) => this.rowsById.has(r.id))) return new DeviceIndex(changed, generation, this);
    return new DeviceIndex([...this.rows(), ...changed], generation);
  }

  has(id: number): boolean {
    return this.rowsById.has(id);
  }

  /** The position of a device, or undefined when the snapshot does not hold it. */
  positionOf(id: number): number | undefined {
    return this.rowsById.get(id);
  }

  /** Row positions (in id order) of the devices matching the filter. */
  match(filter: IndexFilter): number[] {
    const accept = this.predicate(filter);
    if (accept === undefined) {
      const all = new Array<number>(this.size);
      for (let i = 0; i < this.size; i++) all[i] = i;
      return all;
    }
    const out: number[] = [];
    if (accept === null) return out;
    for (let i = 0; i < this.size; i++) if (accept(i)) out.push(i);
    return out;
  }

  /**
   * `groupCounts` of the devices matching the filter. Unfiltered counts are kept for the life of
   * the index (one generation of the snapshot: it never changes), so a dashboard polling the
   * tenant's summary costs one pass per refresh, not one per request.
   */
  summary(filter: IndexFilter, columns: readonly SummaryColumn[]): readonly { device: IndexedDevice; count: number }[] {
    if (this.predicate(filter) !== undefined) return this.groupCounts(this.match(filter), columns);
    const key = columns.join(',');
    let counts = this.unfiltered.get(key);
    if (!counts) {
      counts = this.groupCounts(this.match(filter), columns);
      this.unfiltered.set(key, counts);
    }
    return counts;
  }

  /** The indexed values of the rows at these positions. */
  devices(positions: readonly number[]): IndexedDevice[] {
    return positions.map((i) => this.device(i));
  }

  device(i: number): IndexedDevice {
    const small = this.cols.small;
    const groupId = this.groupIds[i] as number;
    return {
      id: this.ids[i] as number,
      organizationGroupId: Number.isNaN(groupId) ? null : groupId,
      organizationGroupName: this.group.values[this.cols.group[i] as number] ?? null,
      organizationGroupUuid: this.groupUuid.values[this.cols.groupUuid[i] as number] ?? null,
      uemPlatform: this.platform.values[small[i * 5] as number] ?? null,
      uemOwnership: this.ownership.values[small[i * 5 + 2] as number] ?? null,
      uemComplianceStatus: this.compliance.values[small[i * 5 + 3] as number] ?? null,
      uemEnrollmentStatus: this.enrollment.values[small[i * 5 + 4] as number] ?? null,
    };
  }

  /**
   * The distinct combinations of the chosen columns among these positions, each with its count
   * and one device carrying it (what `deviceSummary` folds into buckets): one pass over codes.
   */
  groupCounts(positions: readonly number[], columns: readonly SummaryColumn[]): { device: IndexedDevice; count: number }[] {
    // Each row's combination as one number (mixed radix over the columns' codes): no string per row.
    const parts = columns.map((c) => this.summaryColumn(c));
    const span = parts.reduce((product, p) => product * p.radix, 1);
    const keyOf =
      span <= Number.MAX_SAFE_INTEGER
        ? (i: number) => parts.reduce((key, p) => key * p.radix + p.code(i), 0)
        : (i: number) => parts.map((p) => p.code(i)).join(',');
    const groups = new Map<number | string, { position: number; count: number }>();
    for (const i of positions) {
      const key = keyOf(i);
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { position: i, count: 1 });
    }
    return [...groups.values()].map((g) => ({ device: this.device(g.position), count: g.count }));
  }

  /** A summary column as a code per row position, and how many codes it has. */
  private summaryColumn(c: SummaryColumn): { code: (i: number) => number; radix: number } {
    const small = this.cols.small;
    const of = (dict: Dictionary, offset: number) => ({ code: (i: number) => small[i * 5 + offset] as number, radix: dict.values.length });
    switch (c) {
      case 'platform':
        return of(this.platform, 0);
      case 'ownership':
        return of(this.ownership, 2);
      case 'complianceStatus':
        return of(this.compliance, 3);
      case 'enrollmentStatus':
        return of(this.enrollment, 4);
      case 'organizationGroup':
        // Group ids are UEM's (not dictionary codes): 0 for none, id + 1 otherwise.
        return { code: (i) => (Number.isNaN(this.groupIds[i] as number) ? 0 : (this.groupIds[i] as number) + 1), radix: this.maxGroupId + 2 };
      default: {
        const never: never = c;
        throw new Error(`unknown column ${String(never)}`);
      }
    }
  }

  /** Positions grouped by user name in lower case (for `devicesByUserName`). */
  positionsOfUsers(userNames: readonly string[]): Map<string, number[]> {
    const wanted = new Map<number, string>();
    for (const name of userNames) for (const code of this.user.matching(name)) wanted.set(code, name.trim().toLowerCase());
    const out = new Map<string, number[]>();
    if (wanted.size === 0) return out;
    for (let i = 0; i < this.size; i++) {
      const name = wanted.get(this.cols.user[i] as number);
      if (name === undefined) continue;
      const list = out.get(name);
      if (list) list.push(i);
      else out.set(name, [i]);
    }
    return out;
  }

  private *rows(): Generator<DeviceIndexRow> {
    const small = this.cols.small;
    for (let i = 0; i < this.size; i++) {
      const d = this.device(i);
      const seen = this.lastSeen[i] as number;
      yield {
        id: d.id,
        groupId: d.organizationGroupId,
        groupName: d.organizationGroupName,
        groupUuid: d.organizationGroupUuid,
        platform: d.uemPlatform,
        ownership: d.uemOwnership,
        complianceStatus: d.uemComplianceStatus,
        enrollmentStatus: d.uemEnrollmentStatus,
        generation: this.generation,
        userName: this.user.values[this.cols.user[i] as number] ?? null,
        model: this.model.values[small[i * 5 + 1] as number] ?? null,
        lastSeen: Number.isNaN(seen) ? null : new Date(seen).toISOString().slice(0, 23),
      };
    }
  }

  /** A predicate over row positions, null when a filter value can match nothing, undefined when every row matches. */
  private predicate(f: IndexFilter): ((i: number) => boolean) | null | undefined {
    const small = this.cols.small;
    const column = (dict: Dictionary, value: string | undefined, offset: number) => {
      if (value === undefined) return undefined;
      const codes = dict.matching(value);
      return codes.size === 0 ? null : (i: number) => codes.has(small[i * 5 + offset] as number);
    };
    const platform = column(this.platform, f.platform, 0);
    const model = column(this.model, f.model, 1);
    const ownership = column(this.ownership, f.ownership, 2);
    const compliance = column(this.compliance, f.complianceStatus, 3);
    if (platform === null || model === null || ownership === null || compliance === null) return null;
    const users = f.userName === undefined ? undefined : this.user.matching(f.userName);
    if (users && users.size === 0) return null;
    const groupAccept = f.groupAccept;
    const groupCodes = groupAccept ? new Set(this.group.values.flatMap((name, code) => (groupAccept(name) ? [code] : []))) : undefined;
    const tests: ((i: number) => boolean)[] = [];
    for (const t of [platform, model, ownership, compliance]) if (t) tests.push(t);
    if (users) tests.push((i) => users.has(this.cols.user[i] as number));
    if (f.groupIds) {
      const ids = f.groupIds;
      tests.push((i) => ids.has(this.groupIds[i] as number));
    }
    if (groupCodes) tests.push((i) => groupCodes.has(this.cols.group[i] as number));
    if (f.seenSince !== undefined) {
      const since = f.seenSince;
      tests.push((i) => (this.lastSeen[i] as number) >= since);
    }
    if (f.seenUntil !== undefined) {
      const until = f.seenUntil;
      tests.push((i) => (this.lastSeen[i] as number) <= until);
    }
    if (f.ids) {
      const ids = f.ids;
      tests.push((i) => ids.has(this.ids[i] as number));
    }
    if (tests.length === 0) return undefined;
    return (i) => {
      for (const t of tests) if (!t(i)) return false;
      return true;
    };
  }
}
