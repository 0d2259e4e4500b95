/**
 * The plans of the root lists whose cost depends on the caller and the filter, made by the same
 * planners their resolvers run (device-filter-plan.ts, the access service's row plans) and costed with the loaders'
 * plans (src/loaders/plans.ts): what the pre-execution estimate counts for `devices`,
 * `deviceSummary` and `uemUsers`. Planning reads only cached reference data (groups, environments,
 * a tag's members), which the resolvers would read anyway.
 */
import type { DeviceFilter, UemUserFilter } from '../__generated__/resolvers-types.js';
import type { GraphQLContext, RootPlanner } from '../context.js';
import * as plans from '../loaders/plans.js';
import { needsPostFilter, planDeviceFilter } from './devices/device-filter-plan.js';
import { planDeviceScan } from './devices/device-scan-plan.js';
import { toSearchFilter } from './uem-users/uem-users.service.js';
import { planUserScan } from './uem-users/user-scan-plan.js';

const DEFAULT_PAGE = 50;

/** A page of UEM's search: one request, two when the window straddles UEM's pages. */
function pageRequests(ctx: GraphQLContext, relation: string, args: Record<string, unknown>, filter: unknown): plans.Plan {
  const size = Math.min(typeof args.first === 'number' ? args.first : DEFAULT_PAGE, ctx.services.config.maxPageSize);
  let offset = 0;
  try {
    offset = ctx.services.cursors.startAfter(args.after as string | null | undefined, filter);
  } catch {
    // A bad cursor fails at execution, before any request.
  }
  return { relation, strategy: 'list', calls: offset % size === 0 ? 1 : 2 };
}

async function devicesPlan(ctx: GraphQLContext, args: Record<string, unknown>, summary: boolean): Promise<plans.Plan> {
  const filter = args.filter as DeviceFilter | null | undefined;
  const plan = await planDeviceFilter(ctx, filter);
  if (plan.empty) return { relation: 'devices', strategy: 'none', calls: 0 };
  if (!summary && !needsPostFilter(plan)) return pageRequests(ctx, 'devices.search', args, filter);
  if (!summary && plan.members && plan.groupAccept === undefined && Object.keys(plan.uem).length === 0) {
    return plans.devicesById(Math.min(plan.members.length, typeof args.first === 'number' ? args.first : DEFAULT_PAGE));
  }
  const { groups: _groups, ...scan } = await planDeviceScan(ctx, plan);
  return scan;
}

async function uemUsersPlan(ctx: GraphQLContext, args: Record<string, unknown>): Promise<plans.Plan | undefined> {
  const filter = args.filter as UemUserFilter | null | undefined;
  let search: ReturnType<typeof toSearchFilter>;
  try {
    search = toSearchFilter(filter);
  } catch {
    return undefined; // bad input fails at execution, before any request
  }
  const decision = await ctx.access.rowPlan(search.organizationGroupId);
  if (decision.kind === 'empty') return { relation: 'uemUsers', strategy: 'none', calls: 0 };
  if (decision.kind === 'filter') {
    const { groups: _groups, ...plan } = await planUserScan(ctx, search);
    return plan;
  }
  return pageRequests(ctx, 'users.search', args, filter);
}

export const rootPlanner: RootPlanner = async (ctx, field, args) => {
  switch (field) {
    case 'devices':
      return devicesPlan(ctx, args, false);
    case 'deviceSummary':
      return devicesPlan(ctx, args, true);
    case 'uemUsers':
      return uemUsersPlan(ctx, args);
    default:
      return undefined;
  }
};
