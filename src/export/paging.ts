/**
 * One page of an export: the operation executed in-process through Apollo Server (the same
 * plugins as `/graphql`: rate limits, limits, cost and upstream budget, masking, the partners'
 * audit), with the request's principal and document and fresh loaders per page (so memory stays
 * one page deep), then read at the plan's keys.
 *
 * Every page takes a token from the caller's rate-limit buckets. A later page refused with
 * RATE_LIMITED (or OVERLOADED: the memory budget) waits the `Retry-After` (at most
 * MAX_RATE_LIMIT_WAIT_MS, while the client is connected) and is asked again; the first page is
 * answered 429 (503) at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLRequest, GraphQLResponse, HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { createRequestScope, withPrincipal, type GraphQLContext, type UpstreamCallCounts } from '../context.js';
import { ErrorCode } from '../errors.js';
import { pageVariables } from './budget.js';
import type { ExportPlan } from './plan.js';
import { codeOf, ExportRefusal, refusalOf, refuse } from './refusal.js';

/** Apollo's in-process execution (`ApolloServer.executeOperation`). */
export type ExecuteOperation = (request: GraphQLRequest, context: GraphQLContext) => Promise<GraphQLResponse>;

export const MAX_RATE_LIMIT_WAIT_MS = 10_000;
const MAX_RATE_LIMIT_RETRIES = 5;

export interface Page {
  /** Nodes, or edges (plan.keys.node set). */
  rows: unknown[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number | undefined;
  /** Errors of a page whose connection was still read (the cells they touch are null). */
  fieldErrors: readonly GraphQLFormattedError[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function headersOf(map: HeaderMap): Record<string, string> {
  return Object.fromEntries([...map.entries()]);
}

/** The single result of a response (incremental delivery is never asked for). */
export function resultOf(response: GraphQLResponse): FormattedExecutionResult {
  if (response.body.kind === 'single') return response.body.singleResult;
  return { errors: [{ message: 'Incremental delivery is not supported by exports.', extensions: { code: ErrorCode.BAD_USER_INPUT } }] };
}

/** Reads a page at the plan's keys; a page without the connection is a refusal. */
export function readPage(plan: ExportPlan, result: FormattedExecutionResult, status: number | undefined, headers: Record<string, string>): Page {
  const errors = result.errors ?? [];
  let connection: unknown = result.data;
  for (const [i, key] of plan.path.entries()) {
    if (!isRecord(connection)) break;
    connection = connection[key];
    if (connection === null && errors.length === 0) {
      throw refuse(404, `Nothing to export: "${plan.path.slice(0, i + 1).join('.')}" is null.`, { code: ErrorCode.NOT_FOUND, path: plan.path.slice(0, i + 1) });
    }
  }
  if (!isRecord(connection)) throw refusalOf(errors, status, headers);
  const { keys } = plan;
  const rows = connection[keys.rows];
  const pageInfo = connection[keys.pageInfo];
  if (!Array.isArray(rows) || !isRecord(pageInfo)) throw refusalOf(errors, status, headers);
  const total = keys.totalCount ? connection[keys.totalCount] : undefined;
  const endCursor = pageInfo[keys.endCursor];
  return {
    rows,
    hasNextPage: pageInfo[keys.hasNextPage] === true,
    endCursor: typeof endCursor === 'string' ? endCursor : null,
    totalCount: typeof total === 'number' ? total : undefined,
    fieldErrors: errors,
  };
}

export interface PageFetcherOptions {
  execute: ExecuteOperation;
  plan: ExportPlan;
  variables: Record<string, unknown>;
  pageSize: number | undefined;
  context: GraphQLContext;
  /** The request's headers (the rate limits read the API key from them). */
  headers: HeaderMap;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

export class PageFetcher {
  /** Upstream requests of every page so far. */
  readonly upstreamCalls: UpstreamCallCounts = { uem: 0, harmony: 0 };
  /** Pages read so far. */
  pages = 0;

  constructor(private readonly options: PageFetcherOptions) {}

  private async once(after: string | null): Promise<Page> {
    const { execute, plan, variables, pageSize, context, headers } = this.options;
    // Fresh loaders and counters per page; the principal and the document stay the request's.
    const scope = createRequestScope(context.services, context.requestId, context.trace);
    const request: GraphQLRequest = {
      query: plan.text,
      operationName: plan.operationName,
      variables: pageVariables(plan, variables, pageSize, after),
      http: { method: 'GET', headers, search: '', body: undefined },
    };
    try {
      const response = await execute(request, withPrincipal(context, context.principal, scope));
      const page = readPage(plan, resultOf(response), response.http.status, headersOf(response.http.headers));
      this.pages++;
      return page;
    } finally {
      this.upstreamCalls.uem += scope.upstreamCalls.uem;
      this.upstreamCalls.harmony += scope.upstreamCalls.harmony;
    }
  }

  /**
   * The page after `after`; throws an ExportRefusal. With `waitOnRateLimit`, a RATE_LIMITED
   * refusal is retried after its Retry-After; resolves undefined when the client left meanwhile.
   */
  async fetch(after: string | null, waitOnRateLimit: boolean): Promise<Page | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(after);
      } catch (err) {
        const waitMs = waitOnRateLimit && attempt < MAX_RATE_LIMIT_RETRIES ? rateLimitWait(err) : undefined;
        if (waitMs === undefined) throw err;
        try {
          await sleep(waitMs, undefined, { signal: this.options.signal });
        } catch {
          return undefined;
        }
      }
    }
  }
}

const WAITABLE: ReadonlySet<string> = new Set([ErrorCode.RATE_LIMITED, ErrorCode.OVERLOADED]);

/** How long a RATE_LIMITED or OVERLOADED refusal asks to wait, when short enough to wait for. */
function rateLimitWait(err: unknown): number | undefined {
  const first = err instanceof ExportRefusal ? err.errors[0] : undefined;
  if (!first || !WAITABLE.has(codeOf(first))) return undefined;
  const seconds = Number(first.extensions?.retryAfterSeconds ?? 1);
  const ms = Math.max(1, seconds) * 1000;
  return ms <= MAX_RATE_LIMIT_WAIT_MS ? ms : undefined;
}
