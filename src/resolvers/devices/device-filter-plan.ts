/**
 * Plans a DeviceFilter: what UEM's own search can do, and what the gateway has to do after it.
 *
 * - `environment` and the caller's row scope: the access service plans them (`ctx.access.rowFilter`,
 *   src/auth/access/filters.ts): pushed into UEM as `lgid` when they come to one group with its
 *   descendants (rita: Production Devices: one search, UEM's `Total` is the right count), nothing
 *   to ask when nothing can match (an environment the caller may not read, or no group maps to),
 *   otherwise a predicate on each device's group (omar: Production and Sandbox): the matching
 *   devices are then read by the cached scan and filtered here, which costs ceil(n / 500)
 *   requests per scan TTL instead of one search per page.
 * - `tag`: the tag's member list (cached), intersected with the rest.
 */
import type { DeviceFilter } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemDeviceFilter } from '../../datasources/uem/uem.devices.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { badInput } from '../../errors.js';
import { sameTagName } from '../../domain/tag-names.js';
import { toUemDeviceFilter } from './device-filter.js';

export interface DevicePlan {
  /** What UEM's search applies. */
  uem: UemDeviceFilter;
  /** Nothing can match: no upstream request is needed. */
  empty: boolean;
  /** Devices must be among these ids, ascending (the tag's members). */
  members?: readonly number[];
  /** Devices' groups must pass this check by the gateway (row scope over several groups, an environment spanning groups). */
  groupAccept?: (groupName: string | null) => boolean;
  /** `groupAccept` may pass groups the group list does not name (a `*` default environment). */
  acceptsUnlisted?: boolean;
}

export async function planDeviceFilter(ctx: GraphQLContext, filter: DeviceFilter | null | undefined): Promise<DevicePlan> {
  const plan: DevicePlan = { uem: toUemDeviceFilter(filter), empty: false };
  const environment = filter?.environment ? await filterEnvironment(ctx, filter.environment) : undefined;
  const rows = await ctx.access.rowFilter(environment, plan.uem.organizationGroupId);
  if (rows.empty) plan.empty = true;
  if (rows.groupId !== undefined) plan.uem.organizationGroupId = rows.groupId;
  if (rows.accept) {
    plan.groupAccept = rows.accept;
    plan.acceptsUnlisted = rows.acceptsUnlisted ?? true;
  }
  if (filter?.tag) {
    const wanted = filter.tag.trim();
    const tags = await ctx.loaders.uem.tags();
    // An id names one tag; a name may be used by tags of several organization groups: all of them.
    const byId = tags.find((t) => String(t.id) === wanted);
    const named = byId ? [byId] : tags.filter((t) => sameTagName(t.name, wanted));
    if (named.length === 0) throw badInput(`No UEM tag is named or numbered "${wanted.slice(0, 60)}".`, { argument: 'filter.tag' });
    const lists = await Promise.all(named.map((t) => ctx.loaders.uem.tagMembers(t.id)));
    plan.members = lists.length === 1 ? (lists[0] ?? []) : [...new Set(lists.flat())].sort((a, b) => a - b);
    if (plan.members.length === 0) plan.empty = true;
  }
  return plan;
}

/** The environment a filter names; one the caller may not read matches nothing (an empty list, not an error). */
async function filterEnvironment(ctx: GraphQLContext, wanted: string) {
  const found = await ctx.access.namedEnvironment(wanted);
  if (!found) {
    // Names only the environments the caller reads (issue 18 cell 11).
    const known = (await ctx.access.readableEnvironments()).map((e) => e.name);
    throw badInput(`No Harmony environment is named or numbered "${wanted}" (you read: ${known.join(', ') || 'none'}).`, {
      argument: 'filter.environment',
    });
  }
  return found.environment;
}

/** Whether the plan needs the gateway to filter after UEM's search. */
export const needsPostFilter = (plan: DevicePlan): boolean => plan.members !== undefined || plan.groupAccept !== undefined;

/** The gateway's part of the plan, as a predicate on devices UEM returned. */
export function postFilter(plan: DevicePlan): (d: UemDevice) => boolean {
  const members = plan.members ? new Set(plan.members) : undefined;
  const accept = plan.groupAccept;
  return (d) => (members === undefined || members.has(d.id)) && (accept === undefined || accept(d.organizationGroupName));
}
