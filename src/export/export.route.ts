/**
 * `GET /export`: one connection of a query, paged to the end, streamed as CSV or JSON lines
 * (README "Exports"). The same rules as `/graphql`: authentication, the document step (trusted
 * documents, partners only their registered ones), then every page through Apollo Server with the
 * safety plugins; on top, the whole export's budget. Errors before the first byte are HTTP errors
 * with a GraphQL-shaped JSON body; later ones end the stream with the trailer line (csv.ts).
 * One log line per export (`export`), with the request id.
 *
 * Capacity: at most EXPORT_MAX_CONCURRENT exports run at once per process (more are refused at
 * once with OVERLOADED, 503 and `Retry-After`); each page takes an admission slot like a `/graphql`
 * request (released while its rows are written); and the export's memory lease holds one page's
 * estimate (src/safety/memory-budget.ts) until it ends.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { AuthenticationError } from '../auth/jwt.js';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../context.js';
import type { ConcurrencyLimiter } from '../concurrency.js';
import type { DocumentPipeline } from '../documents/pipeline.js';
import { ErrorCode, httpStatusOf, isUpstreamError } from '../errors.js';
import { graphqlMediaType } from '../http-server/responses.js';
import { refusalOfError, type Refusal } from '../safety/refusal.js';
import type { Logger } from '../logger.js';
import { OVERLOADED_RETRY_AFTER_SECONDS, type MemoryBudget, type MemoryLease } from '../safety/memory-budget.js';
import { readExportParams, type ExportParams } from './params.js';
import { headersOf, resultOf, type ExecuteOperation } from './paging.js';
import { planExport, type ExportPlan } from './plan.js';
import { badExportInput, ExportRefusal, refusalOf, refuse, statusOfCode } from './refusal.js';
import { ReportCatalog } from './reports.js';
import { ExportSink } from './sink.js';
import { runExport, type RunSummary } from './stream.js';

/** What the HTTP server hands the route for one request. */
export interface ExportEnv {
  requestId: string;
  url: URL;
  /** Authenticates the caller and builds the context (the server's `prepare`). */
  prepare(req: IncomingMessage, requestId: string): Promise<GraphQLContext>;
  /** Takes the request's rate-limit token before the document is read (the server's door). */
  admit?(ctx: GraphQLContext, headers: IncomingMessage['headers']): Promise<GraphQLError | undefined>;
  /** Size and validation work of the document before it is parsed for planning (the server's gate). */
  screen?(text: string, ctx: GraphQLContext, headers: IncomingMessage['headers']): Promise<Refusal | undefined>;
  documents: DocumentPipeline | undefined;
  execute: ExecuteOperation;
  /** The server's admission limit: each page runs inside a slot. */
  admission: ConcurrencyLimiter;
  memory: MemoryBudget;
}

export type ExportRoute = (req: IncomingMessage, res: ServerResponse, env: ExportEnv) => Promise<void>;

export interface ExportRouteDeps {
  config: Config;
  schema: GraphQLSchema;
  logger: Logger;
  reports?: ReportCatalog;
  /** Counts exports and rows (`gateway_exports_total`, `gateway_export_rows_total`). */
  onExportDone?(summary: { format: string; outcome: string; rows: number }): void;
}

function requestHeaders(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function authenticate(req: IncomingMessage, env: ExportEnv): Promise<GraphQLContext> {
  try {
    return await env.prepare(req, env.requestId);
  } catch (err) {
    if (err instanceof AuthenticationError) {
      throw refuse(401, err.message, { code: ErrorCode.UNAUTHENTICATED, reason: err.reason }, { 'www-authenticate': 'Bearer, ApiKey' });
    }
    if (isUpstreamError(err)) {
      throw refuse(httpStatusOf[err.code] ?? 502, 'The caller could not be resolved: an upstream is unavailable.', { code: err.code, upstream: err.upstream });
    }
    throw err;
  }
}

function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: ExportRefusal): void {
  const text = JSON.stringify({ errors: refusal.errors });
  res.writeHead(refusal.status, {
    ...refusal.headers,
    'content-type': graphqlMediaType(req),
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Every page in an admission slot (waiting in line like `/graphql`), with the export's memory lease. */
function admitted(env: ExportEnv, lease: MemoryLease, signal: AbortSignal): ExecuteOperation {
  return (request, context) => env.admission.run(() => env.execute(request, { ...context, memory: lease }), signal);
}

export function createExportRoute(deps: ExportRouteDeps): ExportRoute {
  const { config, schema, logger } = deps;
  const reports = deps.reports ?? new ReportCatalog();
  let running = 0;

  /** The document step, then the plan; a document the plan cannot read gets Apollo's own answer. */
  async function prepareRun(req: IncomingMessage, env: ExportEnv, params: ExportParams, headers: HeaderMap) {
    let context = await authenticate(req, env);
    const limited = await env.admit?.(context, req.headers);
    if (limited) {
      const refusal = refusalOfError(limited);
      throw refusalOf(refusal.errors, refusal.status, refusal.headers);
    }
    let search = params.search;
    if (env.documents) {
      const outcome = await env.documents({ method: 'GET', body: undefined, search }, context);
      if (!outcome.ok) {
        const code = String(outcome.extensions.code ?? ErrorCode.BAD_USER_INPUT);
        throw refuse(outcome.status >= 400 ? outcome.status : statusOfCode(code), outcome.message, { ...outcome.extensions, code });
      }
      ({ context } = outcome);
      search = outcome.request.search;
    }
    const text = new URLSearchParams(search).get('query');
    if (text === null) throw badExportInput('Name the query to export: "query" (free text), "documentId" (a registered document) or "report".');
    const screened = await env.screen?.(text, context, req.headers);
    if (screened) throw refusalOf(screened.errors, screened.status, screened.headers);
    const report = params.report ?? (context.document?.source === 'persisted' ? reports.byHash(context.document.hash) : undefined);
    const outcome = planExport({
      schema,
      text,
      operationName: params.operationName,
      path: params.path ?? report?.path,
      explode: params.explode === undefined ? report?.explode : (params.explode ?? undefined),
      variables: params.variables,
      mayRewrite: context.document?.source !== 'persisted',
      maxTokens: config.safety.limits.tokens,
    });
    if (outcome.kind === 'plan') return { context, plan: outcome.plan };
    const http = { method: 'GET', headers, search: '', body: undefined };
    const response = await env.execute({ query: text, operationName: params.operationName, variables: params.variables, http }, context);
    const errors = resultOf(response).errors ?? [];
    if (errors.length === 0) throw badExportInput('This document cannot be exported: name its operation with "operationName".');
    throw refusalOf(errors, response.http.status, headersOf(response.http.headers));
  }

  return async function exportRoute(req, res, env) {
    const began = performance.now();
    const sink = new ExportSink(res, config.http.sendTimeoutMs);
    const lease = env.memory.lease();
    const execute = admitted(env, lease, sink.signal);
    let params: ExportParams | undefined;
    let plan: ExportPlan | undefined;
    let context: GraphQLContext | undefined;
    let summary: Partial<RunSummary> = {};
    let status = 200;
    let counted = false;
    try {
      if ((req.method ?? 'GET').toUpperCase() !== 'GET') {
        throw refuse(405, 'Exports are read with GET.', { code: ErrorCode.BAD_USER_INPUT }, { allow: 'GET' });
      }
      if (running >= config.exports.maxConcurrent) throw tooManyExports(config.exports.maxConcurrent);
      running++;
      counted = true;
      params = readExportParams(env.url, req.headers.accept, reports, config.safety.limits.jsonDepth);
      const headers = requestHeaders(req);
      ({ context, plan } = await prepareRun(req, { ...env, execute }, params, headers));
      summary = await runExport({ config, schema, logger, plan, format: params.format, variables: params.variables, context, headers, execute, sink });
    } catch (err) {
      if (sink.aborted) {
        // The client left (or stalled) while a page waited or ran: nothing more to say.
        summary = { ...summary, status: 'aborted' };
      } else {
        if (!(err instanceof ExportRefusal) || sink.started) throw err;
        status = err.status;
        summary = { status: 'error', errorCode: err.code };
        sendRefusal(req, res, err);
      }
    } finally {
      if (counted) running--;
      lease.release();
      const outcome = summary.status ?? 'error';
      deps.onExportDone?.({ format: params?.format ?? 'unknown', outcome, rows: summary.rows ?? 0 });
      context?.trace?.end({ status, outcome, operation: plan?.operationName ?? null, operationKind: plan ? 'query' : null, errorCodes: summary.errorCode ? [summary.errorCode] : [] });
      logger.info(
        {
          requestId: env.requestId,
          principalKind: context?.principal.kind ?? null,
          documentHash: context?.document?.hash ?? null,
          operation: plan?.operationName ?? null,
          path: plan?.path.join('.') ?? null,
          format: params?.format ?? null,
          status,
          outcome,
          errorCode: summary.errorCode ?? null,
          rows: summary.rows ?? 0,
          pages: summary.pages ?? 0,
          pageSize: summary.pageSize ?? null,
          estimate: summary.estimate ? { pages: summary.estimate.pages, cost: summary.estimate.cost, upstreamRequests: summary.estimate.upstreamRequests.total } : null,
          upstreamRequests: summary.upstreamCalls ?? { uem: 0, harmony: 0 },
          durationMs: Math.round((performance.now() - began) * 10) / 10,
        },
        'export',
      );
    }
  };
}

function tooManyExports(max: number): ExportRefusal {
  const seconds = OVERLOADED_RETRY_AFTER_SECONDS;
  return refuse(
    503,
    `${max} exports are already running on this instance; retry in ${seconds} s.`,
    { code: ErrorCode.OVERLOADED, reason: 'exports', max, retryAfterSeconds: seconds },
    { 'retry-after': String(seconds) },
  );
}
