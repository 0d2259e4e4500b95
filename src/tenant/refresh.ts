/**
 * One refresh of one UEM snapshot: read from UEM (pages in parallel within the datasource's page
 * concurrency) and written to the store in one transaction (a full device refresh: page by page,
 * made visible in one). Devices refresh incrementally where UEM
 * allows it: the devices seen since the last refresh (`seensince`, with an overlap for clocks and
 * check-ins in flight) are merged, and a one-row probe of the whole tenant checks the count; a
 * count that disagrees (a device was deleted or left the tenant) asks for a full refresh. UEM's
 * user search has no "changed since", so the directory is always read whole.
 */
import type { Kysely } from 'kysely';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UemSmartGroup, UemTag } from '../datasources/uem/uem.catalog-schemas.js';
import { fetchAllPages } from '../datasources/uem/uem.paging.js';
import { userToWire, type UemDevice, type UemUser } from '../datasources/uem/uem.schemas.js';
import { mapConcurrent } from '../datasources/concurrency.js';
import type { Database } from '../store/database.types.js';
import * as store from '../store/snapshots.repository.js';
import { sortedIds } from './membership.js';

/** How far before the last refresh an incremental one looks back (clock skew, check-ins in flight). */
export const INCREMENTAL_OVERLAP_MS = 5 * 60_000;

export interface RefreshContext {
  db: Kysely<Database>;
  /** A datasource view whose calls are counted as the refresh's. */
  uem: UemDatasource;
  /** Member lists read at once. */
  concurrency: number;
  now(): number;
}

export interface RefreshOutcome {
  kind: 'full' | 'incremental';
  /** Rows written. */
  items: number;
  generation: number;
  /** An incremental refresh found the count wrong: a full one is due. */
  needsFull?: boolean;
}

export function deviceRow(d: UemDevice): store.DeviceRow {
  const wire = d.toWire();
  return {
    id: d.id,
    groupId: d.organizationGroupId,
    groupName: d.organizationGroupName,
    groupUuid: d.organizationGroupUuid,
    userName: d.userName,
    platform: d.uemPlatform,
    model: d.model,
    ownership: d.uemOwnership,
    complianceStatus: d.uemComplianceStatus,
    enrollmentStatus: d.uemEnrollmentStatus,
    lastSeen: typeof wire.LastSeen === 'string' ? wire.LastSeen : null,
    wire,
  };
}

export const userRow = (u: UemUser): store.UserRow => ({ id: u.id, groupId: u.organizationGroupId, userName: u.userName, email: u.email, wire: userToWire(u) });

/**
 * Every device, written to the store page by page as UEM answers (at 200,000 devices the whole
 * tenant would not fit a capped heap), made visible at once when the last page is in.
 */
export async function refreshDevicesFull(ctx: RefreshContext, calls: () => number): Promise<RefreshOutcome> {
  const startedAt = new Date(ctx.now());
  const before = (await store.snapshotMetas(ctx.db)).find((m) => m.name === 'devices')?.generation ?? 0;
  await store.discardStagedDevices(ctx.db); // what an interrupted refresh left
  let items = 0;
  try {
    const { total } = await ctx.uem.allDevices({}, undefined, async (page) => {
      items += page.length;
      await store.stageDevices(ctx.db, page.map(deviceRow));
    });
    const generation = await store.finishStagedDevices(ctx.db, { mode: 'replace', refreshedAt: startedAt, upstreamTotal: total, calls: calls() }, before);
    return { kind: 'full', items, generation };
  } catch (err) {
    await store.discardStagedDevices(ctx.db).catch(() => undefined);
    throw err;
  }
}

export async function refreshDevicesIncremental(ctx: RefreshContext, since: Date): Promise<RefreshOutcome> {
  const startedAt = new Date(ctx.now());
  const [probe, changed] = await Promise.all([
    ctx.uem.searchDevices({}, 0, 1),
    ctx.uem.allDevices({ seenSince: new Date(since.getTime() - INCREMENTAL_OVERLAP_MS) }),
  ]);
  const generation = await store.writeDevices(ctx.db, changed.items.map(deviceRow), { mode: 'merge', refreshedAt: startedAt, upstreamTotal: probe.total, calls: 0 });
  const count = (await store.snapshotMetas(ctx.db)).find((m) => m.name === 'devices')?.itemCount;
  return { kind: 'incremental', items: changed.items.length, generation, needsFull: count !== probe.total };
}

/** Re-reads these devices (our own writes changed them) and merges them in: one request per 500. */
export async function patchDevices(ctx: RefreshContext, ids: readonly number[]): Promise<RefreshOutcome> {
  const startedAt = new Date(ctx.now());
  const devices = await ctx.uem.getDevicesByIds(ids);
  const generation = await store.writeDevices(ctx.db, devices.map(deviceRow), { mode: 'merge', refreshedAt: startedAt, upstreamTotal: null, calls: 0 });
  return { kind: 'incremental', items: devices.length, generation };
}

export async function refreshUsers(ctx: RefreshContext, calls: () => number): Promise<RefreshOutcome> {
  const startedAt = new Date(ctx.now());
  const { items, total } = await fetchAllPages((page, size) => ctx.uem.searchUsers({}, page, size), { concurrency: ctx.concurrency });
  const generation = await store.writeUsers(ctx.db, items.map(userRow), { mode: 'replace', refreshedAt: startedAt, upstreamTotal: total, calls: calls() });
  return { kind: 'full', items: items.length, generation };
}

export async function refreshGroups(ctx: RefreshContext, kind: store.GroupKind, calls: () => number): Promise<RefreshOutcome> {
  const startedAt = new Date(ctx.now());
  const groups: readonly (UemTag | UemSmartGroup)[] = kind === 'tags' ? await ctx.uem.searchTags() : await ctx.uem.searchSmartGroups();
  const members = await mapConcurrent(groups, ctx.concurrency, async (g) =>
    sortedIds(kind === 'tags' ? (await ctx.uem.tagDevices(g.id)).map((d) => d.deviceId) : (await ctx.uem.smartGroupDevices(g.id)).map((d) => d.id)),
  );
  const rows = groups.map((g, i) => ({ id: g.id, record: { ...g } as Record<string, unknown>, members: members[i] ?? [] }));
  const generation = await store.writeGroups(ctx.db, kind, rows, { mode: 'replace', refreshedAt: startedAt, upstreamTotal: groups.length, calls: calls() });
  return { kind: 'full', items: rows.length, generation };
}
