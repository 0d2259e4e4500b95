/**
 * The gateway's HTTP server: GraphQL over HTTP through Apollo Server 5 on Node's HTTP server, the
 * browser IDE, health, readiness and metrics on the same port. `createServer` has no side effects
 * until `listen` is called; `close` drains in-flight requests within the grace period.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type ApolloServerPlugin, type GraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from './config.js';
import type { ExecutionRecord, GraphQLContext } from './context.js';
import type { Logger } from './logger.js';
import { BodyError, parseBody, readBody } from './http/body.js';
import { createIde } from './http/graphiql.js';
import { appendVary, sendGraphQLError, sendJson } from './http/responses.js';
import { createCors } from './http/cors.js';
import { formatError } from './http/format-error.js';
import { AuthenticationError } from './auth/jwt.js';
import { isUpstreamError, httpStatusOf } from './errors.js';
import { safetyParseOptions, safetyPlugins } from './safety/index.js';
import type { DocumentPipeline } from './documents/pipeline.js';
import type { ExportRoute } from './export/export.route.js';
import { ConcurrencyLimiter } from './concurrency.js';

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
  /** Set once the caller was authenticated. */
  context?: GraphQLContext;
}

export interface ServerDeps {
  schema: GraphQLSchema;
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
}

export interface GatewayServer {
  listen(): Promise<string>;
  close(): Promise<void>;
  /** The handler, for tests that want to drive it without a socket. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createServer(config: Config, deps: ServerDeps): GatewayServer {
  const httpServer = createHttpServer();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: deps.schema,
    // Callers authenticate with an Authorization or x-api-key header, never cookies; a browser
    // cannot send those cross-site without a preflight, so they mark a request as not "simple".
    csrfPrevention: { requestHeaders: ['authorization', 'x-api-key', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    parseOptions: safetyParseOptions(config),
    // main.ts owns the signals and drains the HTTP server first; Apollo must not stop on its own.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, error, deps.logger),
    // Our document step handles APQ with the trusted documents, over the shared database store.
    persistedQueries: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // HTTP caching of trusted-document GETs is decided below; Apollo's per-field cache hints would
      // only add a hook to every field resolved.
      ApolloServerPluginCacheControlDisabled(),
      ...safetyPlugins(config, deps.logger),
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
  });
  let started: Promise<void> | undefined;
  let inFlight = 0;
  const admission = new ConcurrencyLimiter(config.maxConcurrentRequests);
  let draining = false;
  const cors = createCors(config.cors);
  const ide = createIde({ endpoint: '/graphql', demo: config.demo });

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, record: RequestRecord) {
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (method === 'POST') {
      try {
        body = parseBody(await readBody(req, config.maxBodyBytes), req.headers['content-type']);
      } catch (err) {
        if (err instanceof BodyError) {
          record.errorCodes.push('BAD_USER_INPUT');
          sendGraphQLError(req, res, err.status, err.message, { code: 'BAD_USER_INPUT' });
          return;
        }
        throw err;
      }
    }
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
    record.context = context;
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
    context = { ...context, execution: record };
    record.context = context;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { ...request, headers },
      context: async () => context,
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    if (method === 'GET' && context.document?.source === 'persisted') {
      const maxAge = deps.documentCacheMaxAgeSeconds ?? 0;
      const cache = cacheable && maxAge > 0 && isCleanResult(result);
      res.setHeader('cache-control', cache ? `public, max-age=${maxAge}` : 'private, no-store');
      if (cache) appendVary(res, 'authorization, x-api-key, accept');
    }
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
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
      if (path === '/graphql') {
        // A browser asking for the page gets the IDE: not a GraphQL request (no log line, no metrics, no admission).
        if ((req.method ?? 'GET').toUpperCase() === 'GET' && !url.search && (req.headers.accept ?? '').includes('text/html')) {
          return ide.page(req, res);
        }
        await (started ??= apollo.start());
        const began = performance.now();
        const record: RequestRecord = { requestId, method: req.method ?? 'GET', status: 0, durationMs: 0, errorCodes: [] };
        res.once('finish', () => {
          record.status = res.statusCode;
          record.durationMs = performance.now() - began;
          deps.onRequestDone?.(record);
        });
        // Admission: past the limit, requests wait their turn (a client that goes away leaves the queue).
        const gone = new AbortController();
        const onClose = () => gone.abort(new Error('client closed the connection'));
        res.once('close', onClose);
        let release: () => void;
        try {
          release = await admission.acquire(gone.signal);
        } catch {
          return;
        } finally {
          res.off('close', onClose);
        }
        try {
          return await handleGraphQL(req, res, url, requestId, record);
        } finally {
          release();
        }
      }
      if (path === '/export' && deps.exportRoute) {
        await (started ??= apollo.start());
        const execute = (request: GraphQLRequest, contextValue: GraphQLContext) => apollo.executeOperation(request, { contextValue });
        return await deps.exportRoute(req, res, { requestId, url, prepare: deps.prepare, documents: deps.documents, execute });
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
      await (started ??= apollo.start());
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
      if (started) await apollo.stop();
    },
  };
}

/** A complete 200 response without errors (only those may be cached). */
function isCleanResult(result: HTTPGraphQLResponse): boolean {
  if ((result.status ?? 200) !== 200 || result.body.kind !== 'complete') return false;
  try {
    const parsed = JSON.parse(result.body.string) as { errors?: unknown[] };
    return !parsed.errors?.length;
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
