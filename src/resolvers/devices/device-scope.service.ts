/**
 * The caller's row scope (src/domain/device-scope.ts) for one request, and the checks every path to
 * a UEM device or enrollment user goes through:
 *
 * - lists drop what is out of scope, and count only what is left (`totalCount`);
 * - single reads (`device`, `uemUser`, `Person.uemUser`, `HarmonyUser.uemUser`) answer null with a
 *   FORBIDDEN error naming `readInventory` for that field only.
 *
 * Computing the scope reads nothing new for ADMIN; for others it reads the organization group list
 * and Harmony's environments, both cached reference data (no request per item, none when warm).
 */
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import type { UemDevice, UemUser as UemUserRecord } from '../../datasources/uem/uem.schemas.js';
import { deviceScopeOf, planScope, type DeviceScope } from '../../domain/device-scope.js';
import { forbidden } from '../../errors.js';
import { environmentRefs } from '../uem-catalog/group-environment.js';

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

/** The FORBIDDEN error of a single read outside the scope. */
export const outOfScope = (what: string) =>
  forbidden(`This ${what} is in an environment you may not read (capability "readInventory": READ, EXECUTE or WRITE access there).`, {
    capability: 'readInventory',
  });

/** `device(id)`: the device, null when UEM has none, FORBIDDEN when it is out of scope. */
export async function scopedDevice(ctx: GraphQLContext, id: string): Promise<UemDevice | null> {
  const [device, scope] = await Promise.all([ctx.loaders.uem.deviceById.load(id), deviceScope(ctx)]);
  if (device === null || scope.allowsGroup(device.organizationGroupName)) return device;
  throw outOfScope('device');
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

/** A single read of an enrollment user: the record, null when there is none, FORBIDDEN when out of scope. */
export async function scopedUserRecord(ctx: GraphQLContext, record: UemUserRecord | null | undefined): Promise<UemUserRecord | null> {
  if (!record) return null;
  if ((await userScopePredicate(ctx))(record)) return record;
  throw outOfScope('enrollment user');
}
