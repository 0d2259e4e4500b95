/**
 * assignAppToSmartGroups / unassignAppFromSmartGroups: the app must be in the catalog (NOT_FOUND
 * otherwise); its current assignments are read fresh (the internal app), each smart group is
 * checked for `deployApps` over its devices, and only real changes are sent, one call per smart
 * group (UEM has no bulk assignment). Afterwards the catalog and the smart group list are
 * forgotten so `App.smartGroups` shows the change.
 */
import type { AppAssignmentStatus, AppPushMode } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import { mapConcurrent } from '../../concurrency.js';
import type { UemApp, UemSmartGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, notFound } from '../../errors.js';
import { UEM_REFERENCE_KEYS } from '../../loaders/uem-reference.loaders.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { errorCodesOf, failureOf, forgetUem, itemsOutcome } from '../uem-write.js';

export const MAX_SMART_GROUPS = 50;
const CONCURRENCY = 8;
const PUSH_MODE: Record<AppPushMode, 'Auto' | 'OnDemand'> = { AUTO: 'Auto', ON_DEMAND: 'OnDemand' };

export interface AssignmentResult {
  smartGroupId: string;
  smartGroup: UemSmartGroup | null;
  status: AppAssignmentStatus;
  errorCode: string | null;
  message: string | null;
}

/** A UEM id argument. */
export function idArgument(value: string, argument: string): number {
  if (!/^\d{1,12}$/.test(value.trim()) || Number(value) <= 0) throw badInput(`"${argument}" must be a UEM id.`, { argument });
  return Number(value);
}

/** The app of the catalog and, fresh, its internal record (assignments with push modes). */
export async function findApp(ctx: GraphQLContext, appId: number) {
  const [app, internal] = await Promise.all([ctx.loaders.uem.appById(appId), ctx.uem.getInternalApp(appId)]);
  if (!app || !internal) throw notFound(`No internal app with id ${appId}.`, { argument: 'appId' });
  return { app, internal };
}

function distinctGroupIds(smartGroupIds: readonly string[]): number[] {
  const ids = [...new Set(smartGroupIds.map((id) => id.trim()))];
  if (ids.length === 0) throw badInput('"smartGroupIds" must name at least one smart group.', { argument: 'smartGroupIds' });
  if (ids.length > MAX_SMART_GROUPS) throw badInput(`At most ${MAX_SMART_GROUPS} smart groups per call.`, { argument: 'smartGroupIds', max: MAX_SMART_GROUPS });
  return ids.map((id) => idArgument(id, 'smartGroupIds'));
}

export function changeAppAssignments(
  ctx: GraphQLContext,
  args: { appId: string; smartGroupIds: readonly string[]; assign: boolean; pushMode: AppPushMode },
): Promise<{ app: UemApp; results: AssignmentResult[] }> {
  const { assign } = args;
  const field = assign ? 'assignAppToSmartGroups' : 'unassignAppFromSmartGroups';
  const targets = [
    { type: 'App', id: args.appId.slice(0, 40) },
    ...[...new Set(args.smartGroupIds)].slice(0, MAX_SMART_GROUPS).map((id) => ({ type: 'SmartGroup', id: id.slice(0, 40) })),
  ];
  const variables = { appId: args.appId, smartGroupIds: [...args.smartGroupIds].slice(0, MAX_SMART_GROUPS), ...(assign ? { pushMode: args.pushMode } : {}) };
  return withAudit(ctx, { field, targets, variables }, async () => {
    const appId = idArgument(args.appId, 'appId');
    const ids = distinctGroupIds(args.smartGroupIds);
    const { app, internal } = await findApp(ctx, appId);
    const checks = await ctx.access.authorizeSmartGroups(ids);
    const current = new Map(internal.assignments.map((a) => [a.smartGroupId, (a.pushMode ?? '').toLowerCase()]));
    const mode = PUSH_MODE[args.pushMode];
    let changed = false;
    const results = await mapConcurrent(ids, CONCURRENCY, async (id): Promise<AssignmentResult> => {
      const { group, refusal } = checks.get(id) ?? { group: null, refusal: null };
      const result = (status: AppAssignmentStatus, errorCode: string | null = null, message: string | null = null) => ({
        smartGroupId: String(id),
        smartGroup: group,
        status,
        errorCode,
        message,
      });
      if (!group) return result('FAILED', 'NOT_FOUND', 'No smart group with this id.');
      if (refusal) return result('SKIPPED', 'FORBIDDEN', refusal);
      if (assign && current.get(id) === mode.toLowerCase()) return result('ALREADY_ASSIGNED');
      if (!assign && !current.has(id)) return result('NOT_ASSIGNED');
      try {
        if (assign) await ctx.uem.assignAppToSmartGroup(appId, id, mode);
        else await ctx.uem.unassignAppFromSmartGroup(appId, id);
        changed = true;
        return result(assign ? 'ASSIGNED' : 'UNASSIGNED');
      } catch (err) {
        const failure = failureOf(err);
        return result('FAILED', failure.errorCode, failure.message);
      }
    });
    if (changed) forgetUem(ctx, [UEM_REFERENCE_KEYS.apps, UEM_REFERENCE_KEYS.smartGroups]);
    const after = changed ? ((await ctx.loaders.uem.appById(appId)) ?? app) : app;
    const items = results.map((r) => ({ ok: r.status !== 'FAILED' && r.status !== 'SKIPPED', errorCode: r.errorCode }));
    const details = results.map(({ smartGroup: _group, ...r }) => r);
    return {
      result: { app: after, results },
      outcome: itemsOutcome(items),
      errorCodes: errorCodesOf(results),
      details: { results: details as unknown as JsonValue },
    };
  });
}
