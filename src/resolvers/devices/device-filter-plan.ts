/**
 * Plans a DeviceFilter: what UEM's own search can do, and what the gateway has to do after it.
 *
 * - `environment`: pushed into UEM as `lgid` when exactly one organization group maps to the
 *   environment and every group below it maps there too (the group id comes from the cached group
 *   list); an environment no group maps to matches nothing without asking UEM; otherwise (several
 *   groups, or the default of unmapped groups) it is a predicate on the group name of each device.
 * - `tag`: the tag's member list (cached), intersected with the rest.
 * - row scope (issue 6, src/domain/device-scope.ts): an `environment` the caller may not read
 *   matches nothing; otherwise a non-admin's scope is pushed into UEM as `lgid` when it is one group
 *   with its descendants (rita: Production Devices: one search, UEM's `Total` is the right count),
 *   and is a predicate on each device's group when it spans several groups (omar: Production and
 *   Sandbox): the matching devices are then read by the cached scan and filtered here, which costs
 *   ceil(n / 500) requests per scan TTL instead of one search per page.
 */
import type { EnvironmentRef } from '../../auth/principal.js';
import type { DeviceFilter } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import type { UemDeviceFilter } from '../../datasources/uem/uem.devices.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { planScope, type DeviceScope } from '../../domain/device-scope.js';
import { badInput } from '../../errors.js';
import { environmentRefs } from '../uem-groups/group-environment.js';
import { toUemDeviceFilter } from './device-filter.js';
import { deviceScope } from './device-scope.service.js';

export interface DevicePlan {
  /** What UEM's search applies. */
  uem: UemDeviceFilter;
  /** Nothing can match: no upstream request is needed. */
  empty: boolean;
  /** Devices must be in this environment (checked by the gateway). */
  environment?: EnvironmentRef;
  /** Devices must be among these ids, ascending (the tag's members). */
  members?: readonly number[];
  /** Devices must be in the caller's row scope (checked by the gateway). */
  scope?: DeviceScope;
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export async function planDeviceFilter(ctx: GraphQLContext, filter: DeviceFilter | null | undefined): Promise<DevicePlan> {
  const plan: DevicePlan = { uem: toUemDeviceFilter(filter), empty: false };
  const scope = await deviceScope(ctx);
  if (filter?.environment) await planEnvironment(ctx, filter.environment, plan, scope);
  else await planRowScope(ctx, scope, plan);
  if (filter?.tag) {
    const tag = (await ctx.loaders.uem.tags()).find((t) => String(t.id) === filter.tag || (t.name !== null && sameText(t.name, filter.tag ?? '')));
    if (!tag) throw badInput(`No UEM tag is named or numbered "${filter.tag}".`, { argument: 'filter.tag' });
    plan.members = await ctx.loaders.uem.tagMembers(tag.id);
    if (plan.members.length === 0) plan.empty = true;
  }
  return plan;
}

/** Without an `environment` filter: the caller's scope, pushed into UEM where one group covers it. */
async function planRowScope(ctx: GraphQLContext, scope: DeviceScope, plan: DevicePlan): Promise<void> {
  if (scope.all) return;
  if (scope.envIds.size === 0) {
    plan.empty = true; // reads no environment (lena.logs): no request at all
    return;
  }
  const decision = planScope(scope, await ctx.loaders.uem.organizationGroups(), plan.uem.organizationGroupId);
  switch (decision.kind) {
    case 'none':
      return;
    case 'empty':
      plan.empty = true;
      return;
    case 'push':
      plan.uem.organizationGroupId = decision.groupId;
      return;
    case 'filter':
      plan.scope = scope;
      return;
    default: {
      const never: never = decision;
      throw new Error(`unhandled scope plan ${JSON.stringify(never)}`);
    }
  }
}

/** An `environment` filter; one the caller may not read matches nothing (an empty list, not an error). */
async function planEnvironment(ctx: GraphQLContext, wanted: string, plan: DevicePlan, scope: DeviceScope): Promise<void> {
  const envs = await environmentRefs(ctx);
  const env = envs.find((e) => e.id === wanted || sameText(e.name, wanted));
  if (!env) {
    // Names only the environments the caller reads (issue 18 cell 11).
    const known = envs.filter((e) => scope.all || scope.envIds.has(e.id)).map((e) => e.name);
    throw badInput(`No Harmony environment is named or numbered "${wanted}" (you read: ${known.join(', ') || 'none'}).`, {
      argument: 'filter.environment',
    });
  }
  if (!scope.all && !scope.envIds.has(env.id)) {
    plan.empty = true;
    return;
  }
  const map = ctx.services.environmentMap;
  const groupNames = map.groupsOf(env.name);
  if (map.isFallback(env.name) || groupNames.length !== 1) {
    if (groupNames.length === 0 && !map.isFallback(env.name)) plan.empty = true;
    else plan.environment = env;
    return;
  }
  const groups = await ctx.loaders.uem.organizationGroups();
  const group = groups.find((g) => g.name !== null && sameText(g.name, groupNames[0] as string));
  const pushable =
    group !== undefined &&
    (plan.uem.organizationGroupId === undefined || plan.uem.organizationGroupId === group.id) &&
    descendantsOf(group, groups).every((g) => map.environmentNameOf(g.name) === env.name.toLowerCase());
  if (pushable) plan.uem.organizationGroupId = group.id;
  else plan.environment = env;
}

function descendantsOf(root: UemOrganizationGroup, groups: readonly UemOrganizationGroup[]): UemOrganizationGroup[] {
  const found: UemOrganizationGroup[] = [];
  let frontier = [root.id];
  while (frontier.length > 0) {
    const children = groups.filter((g) => g.parentId !== null && frontier.includes(g.parentId) && !found.includes(g));
    found.push(...children);
    frontier = children.map((g) => g.id);
  }
  return found;
}

/** Whether the plan needs the gateway to filter after UEM's search. */
export const needsPostFilter = (plan: DevicePlan): boolean =>
  plan.environment !== undefined || plan.members !== undefined || plan.scope !== undefined;

/** The gateway's part of the plan, as a predicate on devices UEM returned. */
export function postFilter(ctx: GraphQLContext, plan: DevicePlan, envs: readonly EnvironmentRef[]): (d: UemDevice) => boolean {
  const members = plan.members ? new Set(plan.members) : undefined;
  const envId = plan.environment?.id;
  const scope = plan.scope;
  return (d) =>
    (members === undefined || members.has(d.id)) &&
    (scope === undefined || scope.allowsGroup(d.organizationGroupName)) &&
    (envId === undefined || ctx.services.environmentMap.environmentOf(d.organizationGroupName, envs)?.id === envId);
}
