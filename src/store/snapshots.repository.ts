/**
 * The UEM snapshots (migration 0010): whole-tenant reads kept in the store for every instance.
 * Writes replace a snapshot whole (a full refresh) or merge rows into it (an incremental one), in
 * one transaction that also bumps its generation, so readers see a snapshot before or after a
 * write, never half of one. Reads answer the narrow columns an index is built from, or the wire
 * records of the rows asked for.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.types.js';

export type SnapshotName = 'devices' | 'users' | 'tags' | 'smartGroups';
export type GroupKind = 'tags' | 'smartGroups';

export interface SnapshotMeta {
  name: SnapshotName;
  generation: number;
  /** When the last refresh (full or incremental) started: the data is at least this fresh. */
  refreshedAt: Date;
  fullRefreshedAt: Date;
  itemCount: number;
  upstreamTotal: number | null;
  fullRefreshCalls: number;
}

/** How a write changes a snapshot, and what it cost. */
export interface SnapshotWrite {
  /** `replace`: the rows are the whole snapshot; `merge`: they update (or add to) it. */
  mode: 'replace' | 'merge';
  refreshedAt: Date;
  upstreamTotal: number | null;
  /** UEM requests a full refresh took (kept from the last full refresh on a merge). */
  calls: number;
}

type Db = Kysely<Database>;
type Wire = Record<string, unknown>;
const CHUNK = 500;
/** Rows per read of a whole snapshot (see deviceIndexRows). */
const READ_WINDOW = 5_000;
/** First key of the two-key advisory lock ('uhg\0', as the migrator's) and a per-snapshot offset. */
const LOCK_NAMESPACE = 0x75686700;

export async function snapshotMetas(db: Db): Promise<SnapshotMeta[]> {
  const rows = await db.selectFrom('uem_snapshots').selectAll().execute();
  return rows.map((r) => ({
    name: r.name as SnapshotName,
    generation: Number(r.generation),
    refreshedAt: new Date(r.refreshed_at),
    fullRefreshedAt: new Date(r.full_refreshed_at),
    itemCount: r.item_count,
    upstreamTotal: r.upstream_total,
    fullRefreshCalls: r.full_refresh_calls,
  }));
}

/**
 * Runs `fn` while holding this snapshot's advisory lock (per schema, on one dedicated connection),
 * or answers undefined at once when another instance holds it: one leader refreshes, the others
 * skip. `singleSession` (PGlite: one process, one connection that `fn` itself needs) runs `fn`
 * at once: that process is the only instance, hence the leader.
 */
export async function withSnapshotLock<T>(db: Db, name: SnapshotName, fn: () => Promise<T>, singleSession = false): Promise<T | undefined> {
  if (singleSession) return fn();
  return db.connection().execute(async (conn) => {
    const key = sql`hashtext(current_schema() || ':uem-snapshot:' || ${name})`;
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${sql.lit(LOCK_NAMESPACE)}, ${key}) as locked`.execute(conn);
    if (!rows[0]?.locked) return undefined;
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(LOCK_NAMESPACE)}, ${key})`.execute(conn);
    }
  });
}

/** Bumps the generation and records the write; answers the new generation. */
async function nextGeneration(trx: Transaction<Database>, name: SnapshotName, write: SnapshotWrite): Promise<number> {
  const current = await trx.selectFrom('uem_snapshots').select(['generation', 'full_refreshed_at', 'full_refresh_calls']).where('name', '=', name).forUpdate().executeTakeFirst();
  const generation = Number(current?.generation ?? 0) + 1;
  const full = write.mode === 'replace' || !current;
  const values = {
    generation,
    refreshed_at: write.refreshedAt,
    full_refreshed_at: full ? write.refreshedAt : new Date(current.full_refreshed_at),
    item_count: 0,
    upstream_total: write.upstreamTotal,
    full_refresh_calls: full ? write.calls : current.full_refresh_calls,
  };
  if (current) await trx.updateTable('uem_snapshots').set(values).where('name', '=', name).execute();
  else await trx.insertInto('uem_snapshots').values({ name, ...values }).execute();
  return generation;
}

async function finish(trx: Transaction<Database>, name: SnapshotName, count: () => Promise<number>): Promise<void> {
  await trx.updateTable('uem_snapshots').set({ item_count: await count() }).where('name', '=', name).execute();
}

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

// Devices.

export interface DeviceIndexRow {
  id: number;
  generation: number;
  groupId: number | null;
  groupName: string | null;
  groupUuid: string | null;
  userName: string | null;
  platform: string | null;
  model: string | null;
  ownership: string | null;
  complianceStatus: string | null;
  enrollmentStatus: string | null;
  /** UEM's wire form (zone-less UTC). */
  lastSeen: string | null;
}

export interface DeviceRow extends Omit<DeviceIndexRow, 'generation'> {
  wire: Wire;
}

export async function writeDevices(db: Db, rows: readonly DeviceRow[], write: SnapshotWrite): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const generation = await nextGeneration(trx, 'devices', write);
    if (write.mode === 'replace') await trx.deleteFrom('uem_snapshot_devices').execute();
    for (const part of chunks(rows)) await upsertDevices(trx, part, generation);
    await finish(trx, 'devices', () => countDevices(trx));
    return generation;
  });
}

/**
 * The generation of rows a full refresh has written while it is still reading UEM: no generation a
 * reader follows (they read rows after the generation they know, from 0 up), so they become
 * visible all at once when the refresh finishes.
 */
const STAGED = -1;

/**
 * A full device refresh written page by page as UEM answers (a whole tenant is never held in
 * memory): `stageDevices` for each page, then `finishStagedDevices`, or `discardStagedDevices` when
 * the refresh fails. Only the snapshot's leader (under its lock) runs one.
 */
export async function stageDevices(db: Db, rows: readonly DeviceRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const part of chunks(rows)) await upsertDevices(trx, part, STAGED);
  });
}

export async function discardStagedDevices(db: Db): Promise<void> {
  await db.deleteFrom('uem_snapshot_devices').where('generation', '=', STAGED).execute();
}

/**
 * Ends a staged full refresh that began when the snapshot was at generation `before`: the rows it
 * did not write and that nothing wrote since it began (devices gone from UEM) are deleted, the
 * staged rows join the new generation, all in one transaction.
 */
export async function finishStagedDevices(db: Db, write: SnapshotWrite & { mode: 'replace' }, before: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const generation = await nextGeneration(trx, 'devices', write);
    await trx.deleteFrom('uem_snapshot_devices').where('generation', '>=', 0).where('generation', '<=', before).execute();
    await trx.updateTable('uem_snapshot_devices').set({ generation }).where('generation', '=', STAGED).execute();
    await finish(trx, 'devices', () => countDevices(trx));
    return generation;
  });
}

const countDevices = async (trx: Transaction<Database>) =>
  Number((await trx.selectFrom('uem_snapshot_devices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);

async function upsertDevices(trx: Transaction<Database>, rows: readonly DeviceRow[], generation: number): Promise<void> {
  const values = rows.map((r) => ({
    id: r.id,
    generation,
    group_id: r.groupId,
    group_name: r.groupName,
    group_uuid: r.groupUuid,
    user_name: r.userName,
    platform: r.platform,
    model: r.model,
    ownership: r.ownership,
    compliance_status: r.complianceStatus,
    enrollment_status: r.enrollmentStatus,
    last_seen: r.lastSeen,
    wire: JSON.stringify(r.wire),
  }));
  await trx
    .insertInto('uem_snapshot_devices')
    .values(values)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        generation: eb.ref('excluded.generation'),
        group_id: eb.ref('excluded.group_id'),
        group_name: eb.ref('excluded.group_name'),
        group_uuid: eb.ref('excluded.group_uuid'),
        user_name: eb.ref('excluded.user_name'),
        platform: eb.ref('excluded.platform'),
        model: eb.ref('excluded.model'),
        ownership: eb.ref('excluded.ownership'),
        compliance_status: eb.ref('excluded.compliance_status'),
        enrollment_status: eb.ref('excluded.enrollment_status'),
        last_seen: eb.ref('excluded.last_seen'),
        wire: eb.ref('excluded.wire'),
      })),
    )
    .execute();
}

/**
 * The index columns of every device written after `afterGeneration` (0: all of them), in id order.
 * Read in windows of READ_WINDOW rows by id: on PGlite a result is assembled in the WebAssembly
 * heap, which never shrinks, so one read of 200,000 rows would keep its whole size resident for
 * the life of the process.
 */
export async function deviceIndexRows(db: Db, afterGeneration = 0, window = READ_WINDOW): Promise<DeviceIndexRow[]> {
  const out: DeviceIndexRow[] = [];
  for (let after = -1; ; ) {
    const rows = await db
      .selectFrom('uem_snapshot_devices')
      .select(['id', 'generation', 'group_id', 'group_name', 'group_uuid', 'user_name', 'platform', 'model', 'ownership', 'compliance_status', 'enrollment_status', 'last_seen'])
      // A whole read takes every row, those a full refresh still running has staged included (each
      // device once, in its newest version); a read of changes follows finished generations only.
      .$if(afterGeneration > 0, (qb) => qb.where('generation', '>', afterGeneration))
      .where('id', '>', after)
      .orderBy('id')
      .limit(window)
      .execute();
    for (const r of rows) {
      out.push({
        id: Number(r.id),
        generation: Number(r.generation),
        groupId: r.group_id === null ? null : Number(r.group_id),
        groupName: r.group_name,
        groupUuid: r.group_uuid,
        userName: r.user_name,
        platform: r.platform,
        model: r.model,
        ownership: r.ownership,
        complianceStatus: r.compliance_status,
        enrollmentStatus: r.enrollment_status,
        lastSeen: r.last_seen,
      });
    }
    if (rows.length < window) return out;
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** The wire records of these devices (those the snapshot holds), in no particular order. */
export async function deviceWires(db: Db, ids: readonly number[]): Promise<Wire[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('uem_snapshot_devices').select('wire').where('id', 'in', [...ids]).execute();
  return rows.map((r) => r.wire as Wire);
}

/** The wire records of the devices of these user names (any case), with the user name as stored. */
export async function deviceWiresByUserNames(db: Db, userNames: readonly string[]): Promise<Wire[]> {
  if (userNames.length === 0) return [];
  const rows = await db
    .selectFrom('uem_snapshot_devices')
    .select('wire')
    .where(sql<string>`lower(user_name)`, 'in', userNames.map((n) => n.toLowerCase()))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.wire as Wire);
}

// Enrollment users.

export interface UserRow {
  id: number;
  groupId: number | null;
  userName: string | null;
  email: string | null;
  wire: Wire;
}

export async function writeUsers(db: Db, rows: readonly UserRow[], write: SnapshotWrite): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const count = async () => Number((await trx.selectFrom('uem_snapshot_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
    const generation = await nextGeneration(trx, 'users', write);
    if (write.mode === 'replace') await trx.deleteFrom('uem_snapshot_users').execute();
    for (const part of chunks(rows)) {
      await trx
        .insertInto('uem_snapshot_users')
        .values(part.map((r) => ({ id: r.id, generation, group_id: r.groupId, user_name: r.userName, email: r.email, wire: JSON.stringify(r.wire) })))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            generation: eb.ref('excluded.generation'),
            group_id: eb.ref('excluded.group_id'),
            user_name: eb.ref('excluded.user_name'),
            email: eb.ref('excluded.email'),
            wire: eb.ref('excluded.wire'),
          })),
        )
        .execute();
    }
    await finish(trx, 'users', count);
    return generation;
  });
}

/** Users by id, by email or by user name (the last two any case), in id order. */
export async function userWires(db: Db, by: { ids?: readonly number[]; emails?: readonly string[]; userNames?: readonly string[] }): Promise<Wire[]> {
  let query = db.selectFrom('uem_snapshot_users').select('wire').orderBy('id');
  if (by.ids) {
    if (by.ids.length === 0) return [];
    query = query.where('id', 'in', [...by.ids]);
  }
  if (by.emails) {
    if (by.emails.length === 0) return [];
    query = query.where(sql<string>`lower(email)`, 'in', by.emails.map((e) => e.toLowerCase()));
  }
  if (by.userNames) {
    if (by.userNames.length === 0) return [];
    query = query.where(sql<string>`lower(user_name)`, 'in', by.userNames.map((n) => n.toLowerCase()));
  }
  return (await query.execute()).map((r) => r.wire as Wire);
}

/** UEM's users/search filters, on the snapshot: text fields by case-insensitive "contains". */
export interface UserSearch {
  groupIds?: readonly number[];
  userName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  active?: boolean;
}

/** One window of the users matching `search`, in id order, with the count of all matches. */
export async function searchUserWires(db: Db, search: UserSearch, window: { offset: number; limit: number }): Promise<{ total: number; wires: Wire[] }> {
  let query = db.selectFrom('uem_snapshot_users');
  if (search.groupIds) query = query.where('group_id', 'in', search.groupIds.length > 0 ? [...search.groupIds] : [-1]);
  const contains = (field: string, needle: string | undefined) => {
    if (needle !== undefined) query = query.where(sql<boolean>`position(${needle.toLowerCase()} in lower(coalesce(wire->>${field}, ''))) > 0`);
  };
  contains('UserName', search.userName);
  contains('FirstName', search.firstName);
  contains('LastName', search.lastName);
  contains('Email', search.email);
  if (search.active !== undefined) query = query.where(sql<string>`lower(coalesce(wire->>'Status', ''))`, 'in', search.active ? ['true', 'y', 'yes'] : ['false', 'n', 'no']);
  const [counted, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    query.select('wire').orderBy('id').offset(window.offset).limit(window.limit).execute(),
  ]);
  return { total: Number(counted?.n ?? 0), wires: rows.map((r) => r.wire as Wire) };
}

// Tags and smart groups.

export interface GroupRow {
  id: number;
  /** The tag's or smart group's record as the gateway reads it. */
  record: Record<string, unknown>;
  /** Member device ids, ascending. */
  members: number[];
}

/**
 * Member ids per statement. A tag of a large tenant has hundreds of thousands of members, and on
 * PGlite a statement's text, parameters and parsed value live in the WebAssembly heap, which never
 * shrinks: the ten tags of a 200,000-device tenant written in one statement grew it from 19 to
 * 64 MB for the life of the process. So each group is written alone, its members in pieces
 * appended to the row.
 */
const MEMBERS_PER_STATEMENT = 10_000;

export async function writeGroups(db: Db, kind: GroupKind, groups: readonly GroupRow[], write: SnapshotWrite): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const count = async () =>
      Number((await trx.selectFrom('uem_snapshot_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).executeTakeFirst())?.n ?? 0);
    const generation = await nextGeneration(trx, kind, { ...write, mode: 'replace' });
    await trx.deleteFrom('uem_snapshot_groups').where('kind', '=', kind).execute();
    for (const g of groups) {
      const pieces = Array.from({ length: Math.ceil(g.members.length / MEMBERS_PER_STATEMENT) }, (_, i) => g.members.slice(i * MEMBERS_PER_STATEMENT, (i + 1) * MEMBERS_PER_STATEMENT));
      await trx
        .insertInto('uem_snapshot_groups')
        .values({ kind, group_id: g.id, generation, record: JSON.stringify(g.record), members: JSON.stringify(pieces[0] ?? []) })
        .execute();
      for (const piece of pieces.slice(1)) {
        await trx
          .updateTable('uem_snapshot_groups')
          .set({ members: sql`members || ${JSON.stringify(piece)}::jsonb` })
          .where('kind', '=', kind)
          .where('group_id', '=', g.id)
          .execute();
      }
    }
    await finish(trx, kind, count);
    return generation;
  });
}

export async function groupRows(db: Db, kind: GroupKind): Promise<GroupRow[]> {
  const rows = await db.selectFrom('uem_snapshot_groups').select(['group_id', 'record', 'members']).where('kind', '=', kind).orderBy('group_id').execute();
  return rows.map((r) => ({ id: Number(r.group_id), record: r.record as Record<string, unknown>, members: (r.members as number[]).map(Number) }));
}
