/**
 * The caller's row scope (src/domain/device-scope.ts) for one request, and the checks every path to
 * a UEM device or enrollment user goes through:
 *
 * - lists drop what is out of scope, and count only what is left (`totalCount`);
 * - an object out of scope is answered exactly like one UEM does not have (issue 18, cell 11,
 *   decided in `seenDevice` / `seenUser` / `seenGroup` below and nowhere else): single reads
 *   (`device`, `uemUser`, `Person.uemUser`, `HarmonyUser.uemUser`, federation `_entities`) answer
 *   null without an error, write targets get NOT_FOUND, a named organization group is unknown, and
 *   an environment shown on a visible object (`OrganizationGroup.environment` of a tag's group or a
 *   parent) is null (`seenEnvironment`); so no answer tells that it exists, nor in which environment.
 *
 * - every count a non-admin sees counts only what they could list (issue 18 cell 12, decided in
 *   the "Scoped counts" functions at the end of this file and nowhere else).
 *
 * Computing the scope reads nothing new for ADMIN; for others it reads the organization group list
 * and Harmony's environments, both cached reference data (no request per item, none when warm).
 */
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import type { UemDevice, UemUser as UemUserRecord } from '../../datasources/uem/uem.schemas.js';
import { deviceScopeOf, planScope, scopedRollUp, type DeviceScope } from '../../domain/device-scope.js';
import { environmentRefs } from '../uem-groups/group-environment.js';

/** One scope per request (keyed by the request's loaders, which live exactly as long). */
const perRequest = new WeakMap<object, Promise<DeviceScope>>();

export function deviceScope(ctx: GraphQLContext): Promise<DeviceScope> {
  let scope = perRequest.get(ctx.loaders);
  if (!scope) {
    scope = computeScope(ctx);
    perRequest.set(ctx.loaders, scope);
  }
  return scope;
}

async function computeScope(ctx: GraphQLContext): Promise<DeviceScope> {
  const map = ctx.services.environmentMap;
  if (ctx.principal.kind === 'HARMONY_USER' && ctx.principal.isAdmin) return deviceScopeOf(ctx.principal, map, [], []);
  const envs = await environmentRefs(ctx);
  const none = deviceScopeOf(ctx.principal, map, [], envs);
  if (none.envIds.size === 0) return none; // reads no environment: the group list is not needed
  return deviceScopeOf(ctx.principal, map, await ctx.loaders.uem.organizationGroups(), envs);
}

/** A non-admin who reads no environment (lena.logs): every device list is empty. */
export async function seesNoDevices(ctx: GraphQLContext): Promise<boolean> {
  const scope = await deviceScope(ctx);
  return !scope.all && scope.envIds.size === 0;
}

/** The organization groups the caller may read (those whose devices are in scope), in the list's order. */
export async function visibleGroups(ctx: GraphQLContext): Promise<UemOrganizationGroup[]> {
  const [scope, groups] = await Promise.all([deviceScope(ctx), ctx.loaders.uem.organizationGroups()]);
  return scope.all ? [...groups] : groups.filter((g) => scope.allowsGroup(g.name));
}

/** Cell 11: the device as the caller may know it: null when UEM has none or it is out of scope alike. */
export function seenDevice(scope: DeviceScope, device: UemDevice | null | undefined): UemDevice | null {
  return device && scope.allowsGroup(device.organizationGroupName) ? device : null;
}

/** Cell 11 for organization groups a caller names: one out of scope is not there. */
export function seenGroup<G extends { name: string | null }>(scope: DeviceScope, group: G | null | undefined): G | null {
  return group && scope.allowsGroup(group.name) ? group : null;
}

/** Cell 11 for environments shown on objects (a tag's or a parent's group): one the caller does not read is not named. */
export function seenEnvironment<E extends { id: string }>(scope: DeviceScope, env: E | null | undefined): E | null {
  return env && (scope.all || scope.envIds.has(env.id)) ? env : null;
}

/** `device(id)`: the device, null when UEM has none or when it is out of scope (the same answer). */
export async function scopedDevice(ctx: GraphQLContext, id: string): Promise<UemDevice | null> {
  const [device, scope] = await Promise.all([ctx.loaders.uem.deviceById.load(id), deviceScope(ctx)]);
  return seenDevice(scope, device);
}

/** The devices of a list the caller may see, in their order. */
export async function visibleDevices(ctx: GraphQLContext, devices: readonly UemDevice[]): Promise<readonly UemDevice[]> {
  const scope = await deviceScope(ctx);
  return scope.all ? devices : devices.filter((d) => scope.allowsGroup(d.organizationGroupName));
}

/**
 * The ids (a tag's, a smart group's or an app's devices) whose devices the caller may see; none
 * to check for ADMIN. A non-admin's ids are checked against the device snapshot when it serves
 * (each device's group from the index; ids it does not hold yet are read live), or a fresh cached
 * device scan (the scope's own or the whole tenant's: no request), otherwise read in batches of
 * 500 (`POST /devices/id` through the by-id loader, so the page's devices cost nothing more):
 * ceil(n / 500) requests, several lists of one query sharing the batches.
 */
export async function visibleDeviceIds(ctx: GraphQLContext, ids: readonly number[]): Promise<readonly number[]> {
  const scope = await deviceScope(ctx);
  if (scope.all) return ids;
  if (scope.envIds.size === 0 || ids.length === 0) return [];
  const snapshot = ctx.loaders.uem.deviceSnapshot();
  if (snapshot) {
    const { index } = snapshot;
    const unknown = ids.filter((id) => !index.has(id));
    const live = unknown.length > 0 ? new Set(await liveVisible(ctx, scope, unknown)) : new Set<number>();
    return ids.filter((id) => {
      const at = index.positionOf(id);
      return at === undefined ? live.has(id) : scope.allowsGroup(index.device(at).organizationGroupName);
    });
  }
  const scan = await freshScopeScan(ctx, scope);
  if (scan) {
    const visible = new Set(scan.filter((d) => scope.allowsGroup(d.organizationGroupName)).map((d) => d.id));
    return ids.filter((id) => visible.has(id));
  }
  return liveVisible(ctx, scope, ids);
}

/** The ids whose devices, read live by id (batched), are in the scope. */
async function liveVisible(ctx: GraphQLContext, scope: DeviceScope, ids: readonly number[]): Promise<number[]> {
  const loaded = await ctx.loaders.uem.deviceById.loadMany(ids.map(String));
  return ids.filter((_id, i) => {
    const d = loaded[i];
    if (d instanceof Error) throw d;
    return d !== null && d !== undefined && scope.allowsGroup(d.organizationGroupName);
  });
}

/** A fresh cached scan holding every device of the scope, if any: the whole tenant's, or the one group's. */
async function freshScopeScan(ctx: GraphQLContext, scope: DeviceScope): Promise<readonly UemDevice[] | undefined> {
  const whole = ctx.loaders.uem.cachedDeviceScan({});
  if (whole) return whole;
  const plan = planScope(scope, await ctx.loaders.uem.organizationGroups());
  return plan.kind === 'push' ? ctx.loaders.uem.cachedDeviceScan({ organizationGroupId: plan.groupId }) : undefined;
}

/**
 * Whether enrollment users are in scope: the environment of the user's organization group
 * (`LocationGroupId`, named through the cached group list when the record has no group name).
 */
export async function userScopePredicate(ctx: GraphQLContext): Promise<(user: UemUserRecord) => boolean> {
  const scope = await deviceScope(ctx);
  if (scope.all) return () => true;
  const names = new Map((await ctx.loaders.uem.organizationGroups()).map((g) => [g.id, g.name]));
  return (u) =>
    (u.organizationGroupId !== null && scope.groupIds.has(u.organizationGroupId)) ||
    scope.allowsGroup(u.organizationGroupName || (u.organizationGroupId === null ? null : names.get(u.organizationGroupId)));
}

/** Cell 11 for a single read of an enrollment user: the record, null when there is none or it is out of scope alike. */
export async function scopedUserRecord(ctx: GraphQLContext, record: UemUserRecord | null | undefined): Promise<UemUserRecord | null> {
  if (!record) return null;
  return (await userScopePredicate(ctx))(record) ? record : null;
}

// Scoped counts (issue 18 cell 12). ADMIN gets UEM's own counts; anyone else the count of what they
// could list. Costs, for a non-admin, beyond the admin's:
// - organization groups: none (the cached group list's rolled-up counts, cut to the scope's groups);
// - a user group's members: its member list (cached briefly), one request per group cold;
// - a device id list (tag, smart group, app devices): the member list (cached briefly) plus the
//   members' groups: none with a fresh cached device scan, otherwise ceil(n / 500) batch reads
//   shared by every list of the request (`visibleDeviceIds`).

/**
 * How many devices of a member list the caller could list. ADMIN gets UEM's own count when the
 * object carries one (`uemCount`: no member read), otherwise the list's length.
 */
export async function scopedDeviceCount(ctx: GraphQLContext, ids: () => Promise<readonly number[]>, uemCount?: number | null): Promise<number | null> {
  if (uemCount !== undefined && (await deviceScope(ctx)).all) return uemCount;
  return (await visibleDeviceIds(ctx, await ids())).length;
}

/** How many enrollment users of a member list the caller could list; UEM's own count for ADMIN (no member read). */
export async function scopedUserCount(ctx: GraphQLContext, members: () => Promise<readonly UemUserRecord[]>, uemCount: number | null): Promise<number | null> {
  if ((await deviceScope(ctx)).all) return uemCount;
  const [list, inScope] = await Promise.all([members(), userScopePredicate(ctx)]);
  return list.filter(inScope).length;
}

/** An organization group's device or enrollment-user count, cut to the groups the caller reads. */
export async function scopedGroupCount(ctx: GraphQLContext, group: UemOrganizationGroup, what: 'deviceCount' | 'userCount'): Promise<number | null> {
  const scope = await deviceScope(ctx);
  if (scope.all) return group[what];
  const groups = await ctx.loaders.uem.organizationGroups();
  const byId = new Map(groups.map((g) => [g.id, g]));
  return scopedRollUp(scope, groups, group.id, (id) => (id === group.id ? group : byId.get(id))?.[what] ?? null);
}

/** An app's install counts over the devices the caller could list (two member reads per app for a non-admin). */
export async function scopedInstallCounts(
  ctx: GraphQLContext,
  uem: { assigned: number | null; installed: number | null; notInstalled: number | null },
  ids: (status: 'ASSIGNED' | 'INSTALLED') => Promise<readonly number[]>,
): Promise<{ assigned: number; installed: number; notInstalled: number } | typeof uem> {
  const scope = await deviceScope(ctx);
  if (scope.all) return uem;
  if (scope.envIds.size === 0) return { assigned: 0, installed: 0, notInstalled: 0 };
  const [assigned, installed] = await Promise.all([ids('ASSIGNED'), ids('INSTALLED')]);
  const visible = new Set(await visibleDeviceIds(ctx, [...new Set([...assigned, ...installed])]));
  const installedSet = new Set(installed);
  const seen = (list: readonly number[]) => list.filter((id) => visible.has(id));
  return {
    assigned: seen(assigned).length,
    installed: seen(installed).length,
    notInstalled: seen(assigned).filter((id) => !installedSet.has(id)).length,
  };
}
