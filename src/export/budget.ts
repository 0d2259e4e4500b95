/**
 * The budget of a whole export. Every page is one operation and passes the per-operation checks of
 * src/safety/ (cost, upstream requests, UEM's quota) like any `/graphql` request; on top of that
 * the whole export is estimated once the first page has told its `totalCount`:
 *
 *   estimate = first page + (pages - 1) × a later page, pages = ceil(totalCount / page size)
 *
 * with the cost and upstream-request estimates of src/safety/ (a later page carries `after`). An
 * export over EXPORT_MAX_COST or EXPORT_MAX_UPSTREAM_REQUESTS (analysts: the ..._ANALYST_...
 * settings), or needing more UEM requests than UEM's quota has left, is refused with
 * QUERY_TOO_COMPLEX and the estimate before a byte is sent. Pages are also checked as they go
 * (a connection without `totalCount`, or one that grew): a page that would take the estimate over
 * the budget is not fetched and the export ends with the error trailer.
 *
 * When the caller did not set `first`, the export asks for the largest page (up to 500 and the
 * page size cap) whose estimate fits the per-operation limits.
 */
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../context.js';
import { ErrorCode } from '../errors.js';
import { operationCost } from '../safety/cost.js';
import type { TenantKnowledge } from '../loaders/plans.js';
import { estimateUpstream, type UpstreamEstimate } from '../safety/upstream-budget.js';
import { walkContext } from '../safety/walk.js';
import type { ExportPlan } from './plan.js';

/** The largest page an export asks for. */
export const EXPORT_MAX_PAGE = 500;
/** Stands for a later page's cursor in estimates (only its presence counts). */
const SOME_CURSOR = 'cursor';

export interface PageEstimate {
  cost: number;
  upstream: UpstreamEstimate;
}

export interface ExportEstimate {
  /** The connection's totalCount, when it has one. */
  rows: number | undefined;
  pages: number;
  pageSize: number | undefined;
  cost: number;
  upstreamRequests: UpstreamEstimate;
}

export interface ExportBudget {
  /** undefined: registered documents exempt from cost (PERSISTED_DOCUMENTS_EXEMPT_FROM_COST). */
  cost: number | undefined;
  upstreamRequests: number;
  analyst: boolean;
}

/** Analysts: Harmony users who may send free text, running with their own access. */
export function isAnalyst(ctx: GraphQLContext): boolean {
  return ctx.principal.kind === 'HARMONY_USER' && !ctx.document?.scopedByDocument && ctx.access.holds('sendFreeText');
}

export function budgetFor(config: Config, ctx: GraphQLContext): ExportBudget {
  const analyst = isAnalyst(ctx);
  const limits = config.exports;
  const exempt = config.safety.persistedDocumentsExemptFromCost && ctx.document?.source === 'persisted';
  return {
    cost: exempt ? undefined : analyst ? limits.analystMaxCost : limits.maxCost,
    upstreamRequests: analyst ? limits.analystMaxUpstreamRequests : limits.maxUpstreamRequests,
    analyst,
  };
}

/** The variables of one page: the caller's, the cursor and, when the export chooses it, `first`. */
export function pageVariables(plan: ExportPlan, variables: Record<string, unknown>, pageSize: number | undefined, after: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = { ...variables, [plan.afterVariable]: after };
  if (plan.firstVariable && plan.fixedFirst === undefined && pageSize !== undefined) out[plan.firstVariable] = pageSize;
  return out;
}

/** A page's cost and upstream estimate, with what the plans know of the tenant now (`knowledge`). */
export function estimatePage(schema: GraphQLSchema, plan: ExportPlan, variables: Record<string, unknown>, maxPageSize: number, knowledge: TenantKnowledge): PageEstimate {
  const walk = walkContext(plan.document, plan.operation, variables);
  const { plans: _plans, ...upstream } = estimateUpstream(schema, walk, plan.operation, maxPageSize, { knowledge });
  return { cost: operationCost(schema, walk, plan.operation, maxPageSize), upstream };
}

/** The page size to ask for: the one set by the document or the caller, else the largest that fits one operation's limits. */
export function choosePageSize(
  schema: GraphQLSchema,
  plan: ExportPlan,
  variables: Record<string, unknown>,
  config: Config,
  costExempt: boolean,
  knowledge: TenantKnowledge,
): number | undefined {
  if (plan.fixedFirst !== undefined || !plan.firstVariable) return plan.fixedFirst;
  const cap = Math.min(EXPORT_MAX_PAGE, config.maxPageSize);
  const { limits } = config.safety;
  const fits = (n: number) => {
    const e = estimatePage(schema, plan, pageVariables(plan, variables, n, SOME_CURSOR), config.maxPageSize, knowledge);
    return (costExempt || e.cost <= limits.cost) && e.upstream.total <= limits.upstreamRequests;
  };
  if (fits(cap)) return cap;
  // The estimates grow with the page size: the largest size that fits, by bisection.
  let lo = 1;
  let hi = cap;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const add = (a: UpstreamEstimate, b: UpstreamEstimate, times: number): UpstreamEstimate => ({
  uem: a.uem + times * b.uem,
  harmony: a.harmony + times * b.harmony,
  total: a.total + times * b.total,
});

/** The estimate of `pages` pages: the first, then later ones. */
export function estimateExport(first: PageEstimate, later: PageEstimate, pages: number, rows: number | undefined, pageSize: number | undefined): ExportEstimate {
  const more = Math.max(0, pages - 1);
  return { rows, pages, pageSize, cost: first.cost + more * later.cost, upstreamRequests: add(first.upstream, later.upstream, more) };
}

/** Pages a connection of `rows` rows takes at this page size (at least one). */
export const pagesFor = (rows: number, pageSize: number) => Math.max(1, Math.ceil(rows / Math.max(1, pageSize)));

/** The first figure of the estimate over the budget, as the error an export is refused or stopped with. */
export function overBudget(estimate: ExportEstimate, budget: ExportBudget, uemQuotaRemaining: number | undefined): GraphQLFormattedError | undefined {
  const figures = [
    ...(budget.cost === undefined ? [] : [{ limit: 'exportCost', what: 'cost', max: budget.cost, measured: estimate.cost }]),
    { limit: 'exportUpstreamRequests', what: 'upstream requests', max: budget.upstreamRequests, measured: estimate.upstreamRequests.total },
    ...(uemQuotaRemaining === undefined ? [] : [{ limit: 'uemQuotaRemaining', what: 'UEM requests', max: uemQuotaRemaining, measured: estimate.upstreamRequests.uem }]),
  ];
  const over = figures.find((f) => f.measured > f.max);
  if (!over) return undefined;
  const size = estimate.rows === undefined ? `${estimate.pages} pages` : `${estimate.rows} rows in ${estimate.pages} pages of ${estimate.pageSize ?? '?'}`;
  return {
    message: `The export is too large: about ${over.measured} ${over.what} (${size}) where the limit is ${over.max} (${over.limit}). Narrow the filter or select fewer fields per row.`,
    extensions: {
      code: ErrorCode.QUERY_TOO_COMPLEX,
      limit: over.limit,
      max: over.max,
      measured: over.measured,
      analystBudget: budget.analyst,
      estimate: { ...estimate, upstreamRequests: { ...estimate.upstreamRequests } },
    },
  };
}
