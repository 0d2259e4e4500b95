/**
 * The upstream part of the pre-execution check: the estimate of the plans the loaders will run
 * for this tenant (root lists planned by the resolvers' own planner, which knows the caller's row
 * scope and the filter), checked against `LIMIT_UPSTREAM_REQUESTS` and against what is left of
 * UEM's daily quota once the snapshot refreshes planned for the rest of the day are set aside.
 * A refusal carries the estimate and its plans, so the caller sees what was too expensive.
 */
import type { FieldNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Config } from '../config.js';
import { withPrincipal, type GraphQLContext } from '../context.js';
import type { Plan } from '../loaders/plans.js';
import { DAY_MS } from '../tenant/quota-plan.js';
import type { Measured } from './refusal.js';
import { estimateUpstream, type UpstreamEstimate } from './upstream-budget.js';
import { resolvedFields, type NamedType, type WalkContext } from './walk.js';
import { copyWith } from '../object-copy.js';

/** Root fields' plans from the resolvers' planner (a field it does not plan, or cannot, keeps the static estimate). */
async function planRoots(ctx: GraphQLContext, schema: GraphQLSchema, walk: WalkContext, operation: OperationDefinitionNode): Promise<Map<FieldNode, Plan>> {
  const out = new Map<FieldNode, Plan>();
  const planner = ctx.services.planner;
  const root = schema.getRootType(operation.operation) as NamedType | null | undefined;
  if (!planner || !root || operation.operation !== 'query') return out;
  // Planning reads through the request's loaders (reference data stays memoised, no request twice),
  // but keeps its own per-request derivations (its own access service, so its own row scope): the
  // resolvers derive theirs during execution, so what they read is reported as their fields' reads
  // (`extensions.stale`), not as the caller's permissions.
  const planning = withPrincipal(ctx, ctx.principal, copyWith(ctx, { loaders: { ...ctx.loaders } }));
  await Promise.all(
    resolvedFields(walk, root, operation.selectionSet).map(async (f) => {
      const plan = await planner(planning, f.def.name, f.args).catch(() => undefined);
      if (plan) out.set(f.node, plan);
    }),
  );
  return out;
}

/** UEM requests the snapshot refreshes are expected to take between now and midnight UTC. */
function snapshotReserve(ctx: GraphQLContext): number {
  const snapshots = ctx.services.snapshots;
  if (!snapshots.enabled) return 0;
  const left = DAY_MS - (Date.now() % DAY_MS);
  return Math.ceil((snapshots.plan().callsPerDay * left) / DAY_MS);
}

export async function upstreamCheck(
  ctx: GraphQLContext,
  schema: GraphQLSchema,
  walk: WalkContext,
  operation: OperationDefinitionNode,
  config: Config,
): Promise<{ estimate: UpstreamEstimate; figures: Measured[] }> {
  const rootPlans = await planRoots(ctx, schema, walk, operation);
  const estimate = estimateUpstream(schema, walk, operation, config.maxPageSize, { knowledge: ctx.loaders.uem.tenant.knowledge(), rootPlans });
  const remaining = ctx.services.uem.health().quotaRemaining;
  const figures: Measured[] = [{ limit: 'upstreamRequests', max: config.safety.limits.upstreamRequests, measured: estimate.total }];
  if (remaining !== undefined && estimate.uem > 0) {
    figures.push({ limit: 'uemQuotaRemaining', max: Math.max(0, remaining - snapshotReserve(ctx)), measured: estimate.uem });
  }
  return { estimate, figures };
}

/** The estimate as a refusal shows it. */
export function estimateExtension(estimate: UpstreamEstimate) {
  return {
    upstreamRequests: { uem: estimate.uem, harmony: estimate.harmony, total: estimate.total },
    plans: (estimate.plans ?? []).filter((p) => p.calls > 0).map((p) => ({ relation: p.relation, strategy: p.strategy, upstream: p.upstream ?? 'uem', requests: p.calls, ...(p.keys === undefined ? {} : { keys: p.keys }) })),
  };
}
