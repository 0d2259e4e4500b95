/**
 * The gateway's HTTP server: GraphQL over HTTP through Apollo Server 5 on Node's HTTP server, the
 * browser IDE, health, readiness and metrics on the same port. `createServer` has no side effects
 * until `listen` is called; `close` drains in-flight requests within the grace period.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type ApolloServerOptionsWithSchema, type ApolloServerPlugin, type GraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from './config.js';
import type { ExecutionRecord, GraphQLContext } from './context.js';
import type { Logger } from './logger.js';
import { createIde } from './http-server/graphiql.js';
import { createLimitedHttpServer } from './http-server/http-server.js';
import { admit } from './http-server/intake.js';
import { endWithin } from './http-server/send.js';
import { appendVary, sendGraphQLError, sendGraphQLErrors, sendJson } from './http-server/responses.js';
import { createCors } from './http-server/cors.js';
import { formatError } from './http-server/format-error.js';
import { AuthenticationError } from './auth/jwt.js';
import { isUpstreamError, httpStatusOf } from './errors.js';
import { safetyParseOptions, safetyPlugins, suggestionsHidden } from './safety/index.js';
import { createValidationGate } from './safety/validation-gate.js';
import { KnownOperationTypesRule } from './safety/operation-types.js';
import { readDocumentParams } from './documents/request.js';
import { refusalOfError, type Refusal } from './safety/refusal.js';
import { createRequestTokens } from './safety/request-tokens.js';
import type { DocumentPipeline } from './documents/pipeline.js';
import type { ExportRoute } from './export/export.route.js';
import { ConcurrencyLimiter } from './concurrency.js';
import type { SubgraphEndpoint } from './subgraph/endpoint.js';
import { MemoryBudget, memoryBudgetBytes, type MemoryLease } from './safety/memory-budget.js';
import { jitGateway, type ExecutionSchema } from './graphql/executor.js';
import { JsonBodies, type JsonBody } from './http-server/json-body.js';
import { copyWith } from './object-copy.js';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string; [key: string]: unknown }>;
}

/** What one GraphQL request was, for its log line and metrics (no bodies, no secrets). */
export interface RequestRecord extends ExecutionRecord {
  requestId: string;
  method: string;
  status: number;
  durationMs: number;
  /**
   * Set once the caller was authenticated: what the request's log line reads of its context. Not the
   * context itself: the record lives until the response has been sent, and under load that is long
   * enough for the context's data (its loaders, upstream bodies, results) to be promoted to the old
   * generation if the record kept it.
   */
  caller?: RecordedCaller;
  /** Set for requests to the federation subgraph endpoint. */
  endpoint?: 'subgraph';
}

export interface RecordedCaller {
  principalKind: GraphQLContext['principal']['kind'];
  documentHash: string | null;
  /** The context's own counters (they go on counting until the response is sent). */
  upstreamCalls: GraphQLContext['upstreamCalls'];
  trace: GraphQLContext['trace'];
}

const callerOf = (ctx: GraphQLContext): RecordedCaller => ({
  principalKind: ctx.principal.kind,
  documentHash: ctx.document?.hash ?? null,
  upstreamCalls: ctx.upstreamCalls,
  trace: ctx.trace,
});

export interface ServerDeps {
  schema: GraphQLSchema;
  /**
   * The schema each request executes on with the jit executor (the same SDL; the permission layer
   * without the wrappers the caller always passes); `schema` when omitted.
   */
  executionSchema?(context: GraphQLContext): { key: string; schema: GraphQLSchema };
  logger: Logger;
  /**
   * Authenticates the caller and builds the request's context; throws AuthenticationError (401)
   * or an UpstreamError (the caller could not be resolved because Harmony is down).
   */
  prepare(req: IncomingMessage, requestId: string): Promise<GraphQLContext>;
  readiness(): Promise<ReadinessReport>;
  /** Called once per GraphQL request when its response is sent (the request log line, metrics). */
  onRequestDone?(record: RequestRecord): void;
  metrics?(): Promise<{ contentType: string; body: string }>;
  /** The document step (src/documents/): trusted documents, APQ, free text per principal. */
  documents?: DocumentPipeline;
  /** More Apollo plugins (the audit trail's). */
  plugins?: ApolloServerPlugin<GraphQLContext>[];
  /** `max-age` of cacheable GETs of trusted documents; 0 sends `no-store` for every one. */
  documentCacheMaxAgeSeconds?: number;
  /** `GET /export` (src/export/): one connection of a query, streamed as CSV or JSON lines. */
  exportRoute?: ExportRoute;
  /** `/subgraph` (src/subgraph/): the same graph as an Apollo Federation v2 subgraph, for a router. */
  subgraph?: SubgraphEndpoint;
  /** The process's memory budget (src/safety/memory-budget.ts); one from the configuration when omitted. */
  memory?: MemoryBudget;
  /** Told of each connection closed at once for being over HTTP_MAX_CONNECTIONS_PER_ADDRESS. */
  onConnectionRefused?(reason: string): void;
}

/** One GraphQL endpoint: its Apollo Server, and for `/subgraph` what is particular to it. */
interface Endpoint {
  apollo: ApolloServer<GraphQLContext>;
  subgraph?: SubgraphEndpoint;
}

export interface GatewayServer {
  listen(): Promise<string>;
  close(): Promise<void>;
  /** The handler, for tests that want to drive it without a socket. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createServer(config: Config, deps: ServerDeps): GatewayServer {
  const httpServer = createLimitedHttpServer(config, deps.onConnectionRefused);
  const memory = deps.memory ?? new MemoryBudget(memoryBudgetBytes(config.memoryBudgetMb));
  const tokens = createRequestTokens(config);
  const validation = createValidationGate(config, { hideSuggestions: suggestionsHidden(config), charge: tokens.charge });
  // Responses as the bytes sent: a large one in buffers of 64 KB, never one string or buffer (json-body.ts).
  const bodies = new JsonBodies();
  const apolloOptions: Omit<ApolloServerOptionsWithSchema<GraphQLContext>, 'schema'> = {
    // Callers authenticate with an Authorization or x-api-key header, never cookies; a browser
    // cannot send those cross-site without a preflight, so they mark a request as not "simple".
    csrfPrevention: { requestHeaders: ['authorization', 'x-api-key', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    parseOptions: safetyParseOptions(config),
    validationRules: [KnownOperationTypesRule],
    // main.ts owns the signals and drains the HTTP server first; Apollo must not stop on its own.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, error, deps.logger),
    // Our document step handles APQ with the trusted documents, over the shared database store.
    persistedQueries: false,
    stringifyResult: bodies.stringify,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // HTTP caching of trusted-document GETs is decided below; Apollo's per-field cache hints would
      // only add a hook to every field resolved.
      ApolloServerPluginCacheControlDisabled(),
      ...safetyPlugins(config, deps.logger, { tokens, validation }),
      ...(deps.plugins ?? []),
      {
        // The resolved operation's name, for the audit trail and the request log.
        async requestDidStart() {
          return {
            async didResolveOperation(rc) {
              rc.contextValue.operationName = rc.operationName ?? null;
              const execution = rc.contextValue.execution;
              if (execution) {
                execution.operationName = rc.operationName ?? null;
                execution.operationKind = rc.operation?.operation;
              }
            },
            async didEncounterErrors(rc) {
              const codes = rc.errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
              const execution = rc.contextValue.execution;
              if (!execution) return;
              execution.errorCodes.push(...codes);
              execution.reason ??= reasonOf(rc.errors[0]?.extensions);
            },
          };
        },
      },
    ],
  };
  // The execution engine (src/graphql/executor.ts): graphql-jit through Apollo's gateway seam, or graphql-js.
  const graphql: Endpoint = {
    apollo: new ApolloServer<GraphQLContext>(
      config.executor === 'jit'
        ? { ...apolloOptions, gateway: jitGateway(deps.schema, { executionSchema: deps.executionSchema as ExecutionSchema | undefined }) }
        : { ...apolloOptions, schema: deps.schema },
    ),
  };
  // The subgraph shares the options and plugin instances (one rate-limit lease pool per process). A
  // router asks for inline traces (ftv1) only for its usage reporting: off, they cost every field a hook.
  const subgraphEndpoint: Endpoint | undefined = deps.subgraph && {
    apollo: new ApolloServer<GraphQLContext>({
      ...apolloOptions,
      schema: deps.subgraph.schema,
      plugins: [...(apolloOptions.plugins ?? []), ApolloServerPluginInlineTraceDisabled()],
    }),
    subgraph: deps.subgraph,
  };
  let started: Promise<void> | undefined;
  const start = () => (started ??= Promise.all([graphql.apollo.start(), subgraphEndpoint?.apollo.start()]).then(() => undefined));
  let inFlight = 0;
  const admission = new ConcurrencyLimiter(config.maxConcurrentRequests);
  let draining = false;
  const cors = createCors(config.cors);
  const ide = createIde({ endpoint: '/graphql', demo: config.demo });

  /** One admitted GraphQL request: its body is already read (src/http-server/intake.ts). */
  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, record: RequestRecord, body: unknown, lease: MemoryLease, endpoint: Endpoint) {
    const method = (req.method ?? 'GET').toUpperCase();
    let context: GraphQLContext;
    try {
      context = await deps.prepare(req, requestId);
    } catch (err) {
      if (err instanceof AuthenticationError) {
        record.errorCodes.push('UNAUTHENTICATED');
        record.reason = err.reason;
        sendGraphQLError(req, res, 401, err.message, { code: 'UNAUTHENTICATED', reason: err.reason }, {
          'www-authenticate': 'Bearer, ApiKey',
        });
        return;
      }
      if (isUpstreamError(err)) {
        record.errorCodes.push(err.code);
        sendGraphQLError(req, res, httpStatusOf[err.code] ?? 502, 'The caller could not be resolved: an upstream is unavailable.', {
          code: err.code,
          upstream: err.upstream,
        });
        return;
      }
      throw err;
    }
    record.caller = callerOf(context);
    // The rate-limit token, before anything reads the document (src/safety/request-tokens.ts).
    const limited = await tokens.admit(context, req.headers);
    if (limited) return sendRefusal(req, res, record, refusalOfError(limited));
    let request = { method, body, search: url.search };
    let cacheable = false;
    if (deps.documents) {
      const outcome = await deps.documents(request, context);
      if (!outcome.ok) {
        record.errorCodes.push(String(outcome.extensions.code ?? 'BAD_USER_INPUT'));
        record.reason = reasonOf(outcome.extensions);
        sendGraphQLError(req, res, outcome.status, outcome.message, outcome.extensions);
        return;
      }
      ({ request, context, cacheable } = outcome);
    }
    // Size and validation work before Apollo parses and validates (src/safety/validation-gate.ts).
    const screened = await validation.screen(readDocumentParams(request).query, context, req.headers);
    if (screened) return sendRefusal(req, res, record, screened);
    context = copyWith(context, { execution: record, memory: lease });
    record.caller = callerOf(context);
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await endpoint.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: copyWith(request, { headers }),
      context: async () => context,
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    // Taken at once: a large result's pieces wait under a marker until then (json-body.ts).
    const sent = result.body.kind === 'complete' ? bodies.take(result.body.string) : undefined;
    if (method === 'GET' && context.document?.source === 'persisted' && !endpoint.subgraph) {
      const maxAge = deps.documentCacheMaxAgeSeconds ?? 0;
      const cache = cacheable && maxAge > 0 && isCleanResult(result, sent);
      res.setHeader('cache-control', cache ? `public, max-age=${maxAge}` : 'private, no-store');
      if (cache) appendVary(res, 'authorization, x-api-key, accept');
    }
    res.statusCode = result.status ?? 200;
    if (sent) {
      // Encoded once: given a string, Node scans it for its byte length and then encodes it again.
      // From here the request holds its encoded response, not its working set (memory-budget.ts).
      lease.settle(sent.bytes);
      const last = sent.chunks.length - 1;
      if (last > 0) res.setHeader('content-length', sent.bytes);
      for (let i = 0; i < last; i++) res.write(sent.chunks[i]);
      res.end(sent.chunks[last]);
    } else if (result.body.kind === 'chunked') {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
    // A client that does not take its response holds the request's memory: not for long.
    endWithin(res, config.http.sendTimeoutMs);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestId = pickRequestId(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    try {
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (path === '/readyz') {
        const report = await deps.readiness();
        return sendJson(res, report.ready && !draining ? 200 : 503, { ...report, ready: report.ready && !draining });
      }
      if (path === '/metrics' && deps.metrics) {
        const m = await deps.metrics();
        res.writeHead(200, { 'content-type': m.contentType });
        return void res.end(m.body);
      }
      if (path.startsWith('/graphiql/')) {
        if (!ide.asset(req, res, path.slice('/graphiql/'.length))) sendJson(res, 404, { error: 'not found' });
        return;
      }
      // Cross-origin browser clients: preflights are answered before authentication.
      if ((path === '/graphql' || path === '/export') && cors.handle(req, res)) return;
      const endpoint = path === '/graphql' ? graphql : deps.subgraph && path === deps.subgraph.path ? subgraphEndpoint : undefined;
      if (endpoint) {
        // A browser asking for the page gets the IDE: not a GraphQL request (no log line, no metrics, no admission).
        if (endpoint === graphql && (req.method ?? 'GET').toUpperCase() === 'GET' && !url.search && (req.headers.accept ?? '').includes('text/html')) {
          return ide.page(req, res);
        }
        await start();
        const began = performance.now();
        const record: RequestRecord = { requestId, method: req.method ?? 'GET', status: 0, durationMs: 0, errorCodes: [] };
        if (endpoint.subgraph) record.endpoint = 'subgraph';
        res.once('finish', () => {
          record.status = res.statusCode;
          record.durationMs = performance.now() - began;
          deps.onRequestDone?.(record);
        });
        for (const [key, value] of Object.entries(endpoint.subgraph?.responseHeaders ?? {})) res.setHeader(key, value);
        // A router without the shared secret is refused before its body is read.
        const refusal = endpoint.subgraph?.refusal(req.headers);
        if (refusal) {
          record.errorCodes.push('UNAUTHENTICATED');
          record.reason = refusal.reason;
          return sendGraphQLError(req, res, 401, refusal.message, { code: 'UNAUTHENTICATED', reason: refusal.reason });
        }
        // The request's share of the memory budget, held until its response is sent or it is gone.
        const lease = memory.lease();
        res.once('close', () => lease.release());
        // The body first, then a slot: past the limit, requests wait their turn.
        const admitted = await admit(req, res, record, lease, { config, admission });
        if (!admitted) return;
        try {
          return await handleGraphQL(req, res, url, requestId, record, admitted.body, lease, endpoint);
        } finally {
          admitted.release();
        }
      }
      if (path === '/export' && deps.exportRoute) {
        await start();
        const execute = (request: GraphQLRequest, contextValue: GraphQLContext) => graphql.apollo.executeOperation(request, { contextValue });
        return await deps.exportRoute(req, res, { requestId, url, prepare: deps.prepare, admit: tokens.admit, screen: validation.screen, documents: deps.documents, execute, admission, memory });
      }
      if (path === '/') {
        res.writeHead(302, { location: '/graphql' });
        return void res.end();
      }
      return sendJson(res, 404, { error: `No route ${path}. GraphQL is at /graphql.` });
    } catch (err) {
      deps.logger.error({ err, requestId }, 'request failed');
      if (!res.headersSent) sendGraphQLError(req, res, 500, 'Internal server error.', { code: 'INTERNAL_SERVER_ERROR', requestId });
      else res.destroy();
    }
  }

  httpServer.on('request', (req, res) => {
    if (draining) {
      res.setHeader('connection', 'close');
    }
    inFlight++;
    res.on('close', () => inFlight--);
    void handle(req, res);
  });

  return {
    handle,
    async listen() {
      await start();
      await new Promise<void>((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) => {
          reject(
            err.code === 'EADDRINUSE'
              ? new Error(`Port ${config.port} on ${config.host} is already in use. Set PORT to a free port (PORT=0 picks one).`)
              : err,
          );
        };
        httpServer.once('error', onError);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', onError);
          resolve();
        });
      });
      const address = httpServer.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return `http://${host}:${port}`;
    },
    async close() {
      draining = true;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const deadline = Date.now() + config.shutdownGraceMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      httpServer.closeAllConnections();
      await closed;
      if (started) await Promise.all([graphql.apollo.stop(), subgraphEndpoint?.apollo.stop()]);
    },
  };
}

/** A request refused before Apollo ran (rate limit, document size or validation work). */
function sendRefusal(req: IncomingMessage, res: ServerResponse, record: RequestRecord, refusal: Refusal): void {
  record.errorCodes.push(...refusal.errors.map((e) => String(e.extensions?.code)));
  record.reason = reasonOf(refusal.errors[0]?.extensions);
  sendGraphQLErrors(req, res, refusal.status, refusal.errors, refusal.headers);
}

/** A complete 200 response without errors or stale data (only those may be cached). */
function isCleanResult(result: HTTPGraphQLResponse, body: JsonBody | undefined): boolean {
  if ((result.status ?? 200) !== 200 || !body) return false;
  try {
    const parsed = JSON.parse(body.text()) as { errors?: unknown[]; extensions?: { stale?: unknown } };
    return !parsed.errors?.length && !parsed.extensions?.stale;
  } catch {
    return false;
  }
}

function pickRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** A short, bounded reason from an error's extensions (the limit's name, an authentication reason). */
function reasonOf(extensions: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = extensions?.limit ?? extensions?.reason;
  return typeof value === 'string' && /^[A-Za-z_-]{1,40}$/.test(value) ? value : undefined;
}
