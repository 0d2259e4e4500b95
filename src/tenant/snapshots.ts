/**
 * UEM's whole-tenant reads as snapshots in the store (issue 17, docs/design.md §7): the devices, the
 * enrollment-user directory, and tag and smart-group membership, shared by every instance.
 *
 * - One leader refreshes: every instance ticks, and a refresh that is due runs under that
 *   snapshot's advisory lock (on PGlite the one process always holds it), after checking the store
 *   again (another instance may just have done it). Cadences come from the daily quota
 *   (quota-plan.ts); devices refresh incrementally between full refreshes.
 * - Every instance reads: it follows the snapshots' generations in the store (a small query per
 *   tick) and keeps the device snapshot as an in-memory index (device-index.ts); records, users
 *   and members are read from the store for what a request answers.
 * - Stale while revalidate: a snapshot serves at any age up to a bound (several refresh periods);
 *   requests report the age of what they used (`extensions.snapshots`). Past the bound, or before
 *   the first refresh, reads are live (the loaders' plans choose how).
 * - Reads that must be fresh (a device's detail, a command's targets) never come from here.
 */
import type { Kysely } from 'kysely';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemSmartGroup, UemTag } from '../datasources/uem/uem.catalog-schemas.js';
import { readUser, UemDevice, type UemUser } from '../datasources/uem/uem.schemas.js';
import type { Database } from '../store/database.types.js';
import * as store from '../store/snapshots.repository.js';
import { DeviceIndex } from './device-index.js';
import { GroupSizes, type GroupSize, type ListedGroup } from './group-sizes.js';
import { indexMembership, type MembershipIndex } from './membership.js';
import { planRefreshes, refreshCosts, type QuotaSettings, type RefreshName, type RefreshPlan } from './quota-plan.js';
import type { QuotaLedger } from './quota-ledger.js';
import * as refresh from './refresh.js';
import { SnapshotUserCache } from './user-cache.js';

export type { SnapshotName } from '../store/snapshots.repository.js';
type SnapshotName = store.SnapshotName;

/** A snapshot serves for this many of its refresh periods after its last refresh (at least `MIN_STALE_MS`). */
const STALE_PERIODS = 4;
const MIN_STALE_MS = 15 * 60_000;
/** Without snapshots, the probes of the tenant's sizes are repeated this often. */
const SIZES_TTL_MS = 15 * 60_000;

export interface SnapshotSettings {
  /** `UEM_SNAPSHOTS`: false keeps every whole-tenant read live (per process, cached briefly). */
  enabled: boolean;
  quota: QuotaSettings;
  /** Pages and member lists read at once by a refresh. */
  concurrency: number;
  /** How often an instance checks the store and what is due. Default 15 s. */
  tickMs?: number;
  now?: () => number;
}

export interface SnapshotDeps {
  db: Kysely<Database>;
  /** The embedded database: one process, one session (it is the leader; no lock is taken). */
  singleSession: boolean;
  /** The process's UEM datasource; refreshes use a view of it whose calls they count. */
  uem: UemDatasource;
  ledger: QuotaLedger;
  logger: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

/** The tenant's sizes, as the estimates and the quota plan use them. */
export interface TenantSizes {
  devices: number;
  users: number;
  tags: number;
  smartGroups: number;
  /** Per organization group, UEM's rolled-up totals (the group with the groups below it): group-sizes.ts. */
  groups: ReadonlyMap<number, GroupSize>;
  /** Where they come from: the snapshots' counts, probes (`pagesize=1`), or not known yet. */
  source: 'snapshots' | 'probes' | 'unknown';
}

export interface SnapshotStatus {
  name: SnapshotName;
  /** Serves requests (exists and is not past its staleness bound). */
  usable: boolean;
  ageMs: number | null;
  items: number | null;
  generation: number | null;
}

export interface RefreshRecord {
  refresh: RefreshName | 'devicesPatch' | 'sizes';
  outcome: 'ok' | 'error';
  calls: number;
  items: number;
  durationMs: number;
  /** Why a refresh failed (an error code or message; never a body). */
  error?: string;
}

/** The devices a request may read from the snapshot: the index and its age. */
export interface DeviceSnapshot {
  index: DeviceIndex;
  ageMs: number;
}

const SNAPSHOT_OF: Record<RefreshName, SnapshotName> = {
  devicesIncremental: 'devices',
  devicesFull: 'devices',
  users: 'users',
  tags: 'tags',
  smartGroups: 'smartGroups',
};

export class UemSnapshots {
  private metas = new Map<SnapshotName, store.SnapshotMeta>();
  private index: DeviceIndex | undefined;
  private indexFullAt = 0;
  private readonly memberships = new Map<store.GroupKind, { generation: number; index: Promise<MembershipIndex<UemTag | UemSmartGroup>> }>();
  private probed: { devices: number; users: number; at: number } | undefined;
  private readonly groupSizes: GroupSizes;
  private needsFullDevices = false;
  /** Snapshots our own writes made wrong, with the generation they were at: out of service until a newer one. */
  private readonly invalidated = new Map<SnapshotName, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => number;
  /** The last refreshes, newest last (metrics, doctor, tests). */
  readonly history: RefreshRecord[] = [];
  private readonly listeners: ((record: RefreshRecord) => void)[] = [];
  private readonly userCache = new SnapshotUserCache();

  constructor(
    private readonly deps: SnapshotDeps,
    readonly settings: SnapshotSettings,
  ) {
    this.now = settings.now ?? Date.now;
    this.groupSizes = new GroupSizes(this.now);
  }

  /** Told of every refresh this process runs (metrics). */
  onRefresh(listener: (record: RefreshRecord) => void): void {
    this.listeners.push(listener);
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Reads what the store holds, then ticks: refreshes what is due now and every `tickMs`. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    await this.sync();
    this.timer = setInterval(() => void this.tick(), this.settings.tickMs ?? 15_000);
    this.timer.unref();
    void this.tick();
  }

  /** Resolves once the tick in progress (if any) is done: after `start`, the first refreshes. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.settled();
  }

  /** One tick: follow the store, refresh what is due. Ticks never overlap. */
  tick(): Promise<void> {
    if (this.closed || !this.enabled) return Promise.resolve();
    if (!this.running) {
      this.running = (async () => {
        try {
          await this.sync();
          await this.refreshDue();
        } catch (err) {
          this.deps.logger.error({ err }, 'uem snapshots: tick failed');
        } finally {
          this.running = undefined;
        }
      })();
    }
    return this.running;
  }

  // What is known.

  status(name: SnapshotName): SnapshotStatus {
    const meta = this.metas.get(name);
    if (!this.enabled || !meta) return { name, usable: false, ageMs: null, items: null, generation: null };
    const ageMs = Math.max(0, this.now() - meta.refreshedAt.getTime());
    const usable = ageMs <= this.staleBoundMs(name) && this.invalidated.get(name) !== meta.generation;
    return { name, usable, ageMs, items: meta.itemCount, generation: meta.generation };
  }

  usable(name: SnapshotName): boolean {
    return this.status(name).usable;
  }

  sizes(): TenantSizes {
    const devices = this.metas.get('devices');
    const users = this.metas.get('users');
    if (devices && users) {
      return {
        devices: devices.upstreamTotal ?? devices.itemCount,
        users: users.upstreamTotal ?? users.itemCount,
        tags: this.metas.get('tags')?.itemCount ?? 0,
        smartGroups: this.metas.get('smartGroups')?.itemCount ?? 0,
        groups: this.groupSizes.snapshot(),
        source: 'snapshots',
      };
    }
    const groups = this.groupSizes.snapshot();
    if (this.probed) return { devices: this.probed.devices, users: this.probed.users, tags: 0, smartGroups: 0, groups, source: 'probes' };
    return { devices: 0, users: 0, tags: 0, smartGroups: 0, groups, source: 'unknown' };
  }

  /** The refresh cadences for the tenant's sizes and the configured quota. */
  plan(): RefreshPlan {
    const sizes = this.sizes();
    return planRefreshes(refreshCosts(sizes, this.incrementalPages()), this.settings.quota);
  }

  // Reads for requests.

  devices(): DeviceSnapshot | undefined {
    const status = this.status('devices');
    if (!status.usable || !this.index || status.ageMs === null) return undefined;
    return { index: this.index, ageMs: status.ageMs };
  }

  /** Device records from the snapshot, in the order asked (ids it does not hold are left out). */
  async deviceRecords(ids: readonly number[]): Promise<UemDevice[]> {
    const byId = new Map<number, UemDevice>();
    for (const wire of await store.deviceWires(this.deps.db, ids)) {
      const d = UemDevice.read(wire);
      if (d) byId.set(d.id, d);
    }
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Every device of each user name (lower case keys), in id order. */
  async devicesOfUsers(userNames: readonly string[]): Promise<Map<string, UemDevice[]>> {
    const out = new Map<string, UemDevice[]>();
    for (const wire of await store.deviceWiresByUserNames(this.deps.db, userNames)) {
      const d = UemDevice.read(wire);
      const key = d?.userName?.toLowerCase();
      if (!d || !key) continue;
      const list = out.get(key);
      if (list) list.push(d);
      else out.set(key, [d]);
    }
    return out;
  }

  async users(by: { ids?: readonly number[]; emails?: readonly string[]; userNames?: readonly string[] }): Promise<UemUser[]> {
    const read = async (query: typeof by) => (await store.userWires(this.deps.db, query)).flatMap((w) => readUser(w) ?? []);
    if (!by.ids || by.emails || by.userNames) return read(by);
    // By id (each device's user): kept per generation in memory (user-cache.ts).
    const generation = () => this.metas.get('users')?.generation ?? null;
    return this.userCache.users(by.ids, generation(), (ids) => read({ ids }), generation);
  }

  /** A user by id from what `users` keeps in memory for the current generation, without waiting (else undefined). */
  peekUser(id: number): UemUser | undefined {
    return this.userCache.peek(id, this.metas.get('users')?.generation ?? null);
  }

  async searchUsers(search: store.UserSearch, window: { offset: number; limit: number }): Promise<{ total: number; users: UemUser[] }> {
    const { total, wires } = await store.searchUserWires(this.deps.db, search, window);
    return { total, users: wires.flatMap((w) => readUser(w) ?? []) };
  }

  membership<G extends UemTag | UemSmartGroup>(kind: store.GroupKind): Promise<MembershipIndex<G>> | undefined {
    const status = this.status(kind);
    if (!status.usable || status.generation === null) return undefined;
    let cached = this.memberships.get(kind);
    if (!cached || cached.generation !== status.generation) {
      const index = store.groupRows(this.deps.db, kind).then((rows) =>
        indexMembership(
          rows.map((r) => r.record as unknown as UemTag | UemSmartGroup),
          rows.map((r) => r.members),
        ),
      );
      cached = { generation: status.generation, index };
      this.memberships.set(kind, cached);
      index.catch(() => this.memberships.delete(kind));
    }
    return cached.index as Promise<MembershipIndex<G>>;
  }

  /**
   * Our own writes changed these devices (a wipe, a tag): read them again and merge them in, so
   * summaries and scoped lists show the change without waiting for a refresh (one request per 500).
   */
  async patchDevices(ids: readonly (number | string)[]): Promise<void> {
    if (!this.enabled || !this.metas.has('devices') || ids.length === 0) return;
    await this.run('devicesPatch', (ctx) => refresh.patchDevices(ctx, ids.map(Number)));
    await this.sync();
  }

  /** Users our own writes created or changed, as just read back from UEM: merged without a request. */
  async putUsers(users: readonly UemUser[]): Promise<void> {
    if (!this.enabled || !this.metas.has('users') || users.length === 0) return;
    const meta = this.metas.get('users');
    await store.writeUsers(this.deps.db, users.map(refresh.userRow), { mode: 'merge', refreshedAt: meta?.refreshedAt ?? new Date(this.now()), upstreamTotal: meta?.upstreamTotal ?? null, calls: 0 });
    await this.sync();
  }

  /** The tenant's total of devices or users, seen on an unfiltered read (learned at no cost). */
  observeTotal(what: 'devices' | 'users', total: number): void {
    const probed = this.probed ?? { devices: 0, users: 0, at: this.now() };
    this.probed = { ...probed, [what]: total, at: probed.at };
  }

  /** The organization-group list as just read (reference data): its per-group totals. */
  observeGroups(list: readonly ListedGroup[]): void {
    this.groupSizes.observeList(list);
  }

  /** A group's user total, as an unfiltered search of that group (with the groups below it) counted it. */
  observeGroupUsers(groupId: number, users: number): void {
    this.groupSizes.observeUsers(groupId, users);
  }

  /**
   * The user totals of these groups that the group list did not give: one one-row search each
   * (`users/search?locationgroupId=…&pagesize=1`, UEM's `Total`), kept 15 minutes. A failed probe
   * leaves the total unknown (plans then read the whole region) and is not repeated for a minute.
   */
  async probeGroupUsers(ids: readonly number[]): Promise<void> {
    const missing = this.groupSizes.toProbe(ids);
    if (missing.length === 0) return;
    await this.run('sizes', async (ctx) => {
      await Promise.all(
        missing.map(async (id) => {
          const page = await ctx.uem.searchUsers({ organizationGroupId: id }, 0, 1);
          this.groupSizes.observeUsers(id, page.total);
        }),
      );
      return { kind: 'full', items: 0, generation: 0 };
    });
  }

  /** Our own writes changed a snapshot's contents: it serves no more and is refreshed at the next tick. */
  invalidate(name: SnapshotName): void {
    const meta = this.metas.get(name);
    if (meta) this.invalidated.set(name, meta.generation);
  }

  // Following the store.

  /** Reads the snapshots' metadata, and the device rows written since the index was built. */
  async sync(): Promise<void> {
    const metas = await store.snapshotMetas(this.deps.db);
    this.metas = new Map(metas.map((m) => [m.name, m]));
    // A local invalidation holds until the store has a newer generation.
    for (const [name, generation] of this.invalidated) if (this.metas.get(name)?.generation !== generation) this.invalidated.delete(name);
    const devices = this.metas.get('devices');
    if (!devices) {
      this.index = undefined;
      return;
    }
    if (this.index && this.index.generation === devices.generation) return;
    const full = devices.fullRefreshedAt.getTime();
    if (this.index && full === this.indexFullAt) {
      this.index = this.index.merge(await store.deviceIndexRows(this.deps.db, this.index.generation), devices.generation);
    } else {
      this.index = new DeviceIndex(await store.deviceIndexRows(this.deps.db), devices.generation);
      this.indexFullAt = full;
    }
  }

  // Refreshing (the leader's part).

  /** Runs one refresh now, due or not, under its snapshot's lock (tests, operators); undefined when another instance holds the lock. */
  async refresh(name: RefreshName): Promise<RefreshRecord | undefined> {
    const record = await store.withSnapshotLock(this.deps.db, SNAPSHOT_OF[name], () => this.run(name, (ctx) => this.refreshOne(name, ctx)), this.deps.singleSession);
    await this.sync();
    return record;
  }

  /** Refreshes every snapshot that is due, each under its lock; answers what ran. */
  async refreshDue(): Promise<RefreshRecord[]> {
    if (!this.enabled) return [];
    const done: RefreshRecord[] = [];
    const plan = this.plan();
    for (const name of ['devicesFull', 'devicesIncremental', 'users', 'tags', 'smartGroups'] as const) {
      if (this.closed || !this.isDue(name, plan)) continue;
      const snapshot = SNAPSHOT_OF[name];
      const record = await store.withSnapshotLock(
        this.deps.db,
        snapshot,
        async () => {
          await this.sync(); // another instance may have refreshed it meanwhile
          if (!this.isDue(name, this.plan())) return undefined;
          return this.run(name, (ctx) => this.refreshOne(name, ctx));
        },
        this.deps.singleSession,
      );
      if (record) {
        done.push(record);
        await this.sync();
      }
    }
    return done;
  }

  private isDue(name: RefreshName, plan: RefreshPlan): boolean {
    const meta = this.metas.get(SNAPSHOT_OF[name]);
    const now = this.now();
    if (meta && this.invalidated.get(SNAPSHOT_OF[name]) === meta.generation) return name !== 'devicesIncremental';
    switch (name) {
      case 'devicesFull':
        return !meta || this.needsFullDevices || now - meta.fullRefreshedAt.getTime() >= plan.periodsMs.devicesFull;
      case 'devicesIncremental':
        return meta !== undefined && now - meta.refreshedAt.getTime() >= plan.periodsMs.devicesIncremental;
      default:
        return !meta || now - meta.refreshedAt.getTime() >= plan.periodsMs[name];
    }
  }

  private async refreshOne(name: RefreshName, ctx: refresh.RefreshContext & { calls(): number }): Promise<refresh.RefreshOutcome> {
    switch (name) {
      case 'devicesFull': {
        const outcome = await refresh.refreshDevicesFull(ctx, ctx.calls);
        this.needsFullDevices = false;
        return outcome;
      }
      case 'devicesIncremental': {
        const since = this.metas.get('devices')?.refreshedAt ?? new Date(0);
        const outcome = await refresh.refreshDevicesIncremental(ctx, since);
        if (outcome.needsFull) {
          this.deps.logger.info({ snapshot: 'devices' }, 'uem snapshots: the device count changed; a full refresh follows');
          this.needsFullDevices = true;
        }
        return outcome;
      }
      case 'users':
        return refresh.refreshUsers(ctx, ctx.calls);
      case 'tags':
      case 'smartGroups':
        return refresh.refreshGroups(ctx, name, ctx.calls);
      default: {
        const never: never = name;
        throw new Error(`unknown refresh ${String(never)}`);
      }
    }
  }

  /** Runs one refresh with a counting datasource view; records it whatever happens. */
  private async run(name: RefreshRecord['refresh'], work: (ctx: refresh.RefreshContext & { calls(): number }) => Promise<refresh.RefreshOutcome>): Promise<RefreshRecord> {
    let calls = 0;
    const uem = this.deps.uem.forRequest({
      onUpstreamCall: () => {
        calls++;
      },
    });
    const started = this.now();
    const ctx = { db: this.deps.db, uem, concurrency: this.settings.concurrency, now: this.now, calls: () => calls };
    let record: RefreshRecord;
    try {
      const outcome = await work(ctx);
      record = { refresh: name, outcome: 'ok', calls, items: outcome.items, durationMs: this.now() - started };
      this.deps.logger.info({ ...record, generation: outcome.generation }, 'uem snapshots: refreshed');
    } catch (err) {
      const error = err instanceof Error ? ((err as { code?: unknown }).code ?? err.name) : 'unknown';
      record = { refresh: name, outcome: 'error', calls, items: 0, durationMs: this.now() - started, error: String(error) };
      this.deps.logger.warn({ err, ...record }, 'uem snapshots: refresh failed; the previous snapshot keeps serving');
    }
    this.deps.ledger.countSnapshot(calls);
    for (const listener of this.listeners) listener(record);
    this.history.push(record);
    if (this.history.length > 50) this.history.shift();
    return record;
  }

  /**
   * Without snapshots (or before the first), the tenant's totals from two one-row searches;
   * repeated every 15 minutes at most. Answers the sizes.
   */
  async probeSizes(): Promise<TenantSizes> {
    if (this.sizes().source === 'snapshots') return this.sizes();
    if (!this.probed || this.now() - this.probed.at >= SIZES_TTL_MS) {
      const record = await this.run('sizes', async (ctx) => {
        const [devices, users] = await Promise.all([ctx.uem.searchDevices({}, 0, 1), ctx.uem.searchUsers({}, 0, 1)]);
        this.probed = { devices: devices.total, users: users.total, at: this.now() };
        return { kind: 'full', items: 0, generation: 0 };
      });
      if (record.outcome === 'error' && !this.probed) return this.sizes();
    }
    return this.sizes();
  }

  private incrementalPages(): number {
    const last = [...this.history].reverse().find((r) => r.refresh === 'devicesIncremental' && r.outcome === 'ok');
    return Math.max(1, (last?.calls ?? 2) - 1);
  }

  private staleBoundMs(name: SnapshotName): number {
    const periods = this.plan().periodsMs;
    const period = name === 'devices' ? periods.devicesIncremental : periods[name];
    return Math.max(MIN_STALE_MS, STALE_PERIODS * period);
  }
}
