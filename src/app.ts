/**
 * Assembles the gateway from its configuration: upstream endpoints (or in-process simulators),
 * the database with its migrations, the datasources, authentication, the schema and the server.
 * `close()` undoes it all in reverse order. Used by `main.ts`, the tests and the benchmark.
 */
import { Registry } from 'prom-client';
import type { Config } from './config.js';
import { createAuthenticator } from './auth/authenticate.js';
import { createJwtVerifier } from './auth/jwt.js';
import { resolveExternalPrincipal, resolveHarmonyPrincipal } from './auth/resolve-principal.js';
import { createDatasources } from './bootstrap/datasources.js';
import type { HttpClientOptionsInput } from './datasources/upstream-http/options.js';
import { writeDemoFile } from './bootstrap/demo.js';
import { createReadiness } from './bootstrap/readiness.js';
import { buildSchema, schemaForPrincipal } from './bootstrap/schema.js';
import { resolveUpstreams, type SimulatorOverrides } from './bootstrap/upstreams.js';
import { createRequestScope, requestContext, type GatewayServices } from './context.js';
import { generateJwtSecret, readDemoCredentials, type DemoCredentials } from './demo/demo-credentials.js';
import { CursorCodec } from './graphql/cursor.js';
import { AccessPolicy } from './auth/access/policy.js';
import { HARMONY_KEYS, TtlCache } from './loaders/index.js';
import { createLogger, type Logger } from './logger.js';
import { createServer, type GatewayServer } from './server.js';
import { createSubgraphEndpoint } from './subgraph/endpoint.js';
import { createGatewayMetrics } from './observability/metrics.js';
import { requestObserver } from './observability/request-log.js';
import { createTracing } from './observability/tracing.js';
import { GATEWAY_VERSION } from './observability/version.js';
import { auditPlugin, auditRefusedDocument } from './audit/plugin.js';
import { staleNoticePlugin } from './graphql/stale-notice.js';
import { AuditBudget } from './audit/budget.js';
import { startAuditRetention } from './audit/retention.js';
import { createDocumentPipeline } from './documents/pipeline.js';
import { createApqRegistration } from './documents/apq-registration.js';
import { DocumentRegistry } from './documents/registry.js';
import { createExportRoute } from './export/export.route.js';
import { registerReports } from './export/reports.js';
import { apiKeys, createDatabase, migrateToLatest, rateLimits } from './store/index.js';
import { MemoryBudget, memoryBudgetBytes } from './safety/memory-budget.js';
import { QuotaLedger } from './tenant/quota-ledger.js';
import { UemSnapshots } from './tenant/snapshots.js';
import { tenantMetrics } from './tenant/metrics.js';
import { snapshotsPlugin } from './tenant/extensions.plugin.js';
import { rootPlanner } from './resolvers/planner.js';
import { boundStore } from './store/bound.js';
import type { UemSimulator, HarmonySimulator } from './simulators/index.js';
import { createIdempotency, type IdempotencyFaults } from './idempotency/idempotent-run.js';
import { startIdempotencySweep } from './idempotency/sweep.js';
import { startAdminSocket } from './admin/admin-socket.js';
import { adminSocketPath } from './admin/socket-path.js';
import { directCommands } from './admin/store-commands.js';

export interface AppOptions {
  logger?: Logger;
  simulators?: SimulatorOverrides;
  /** Batching and cross-request caches on (default) or off (the benchmark's comparison). */
  batching?: boolean;
  /** The gateway's clock for external users' expiry (tests move it by hand); default `Date.now`. */
  now?: () => number;
  /** Test build only: hooks at the points where a crash matters (see src/idempotency/). */
  faults?: { idempotency?: IdempotencyFaults };
  /** The clock of the cross-request cache (tests age cached lists by hand); default `Date.now`. */
  cacheNow?: () => number;
  /** Upstream HTTP options over those of the configuration (tests: e.g. a breaker that never opens). */
  upstreamHttp?: HttpClientOptionsInput;
}

export interface RunningApp {
  url: string;
  config: Config;
  services: GatewayServices;
  simulators: { uem?: UemSimulator; harmony?: HarmonySimulator };
  /** Demo mode only: the credentials written to `$DATA_DIR/demo-credentials.json`. */
  demo?: { path: string; credentials: DemoCredentials };
  registry: Registry;
  /** The HTTP handler behind the listening socket, for driving the gateway without one (tests). */
  handle: GatewayServer['handle'];
  banner: string;
  close(): Promise<void>;
}

export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
  const onClose = (name: string, run: () => Promise<unknown>) => cleanups.push({ name, run });
  const close = async () => {
    for (const { name, run } of cleanups.reverse()) {
      const started = Date.now();
      await run().catch((err: unknown) => logger.error({ err, step: name }, 'error while closing'));
      logger.debug({ step: name, ms: Date.now() - started }, 'closed');
    }
  };
  try {
    const endpoints = await resolveUpstreams(config, options.simulators);
    onClose('simulators', () => endpoints.close());

    const store = await createDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      logger,
      onIncompatibleDirectory: config.demo ? 'move-aside' : 'refuse',
    });
    onClose('database', () => store.close());
    await migrateToLatest(store.db, { logger });

    const registry = new Registry();
    const quota = new QuotaLedger();
    const { uem, harmony } = createDatasources(config, endpoints, registry, options.upstreamHttp, () => quota.count());
    const metrics = createGatewayMetrics(registry);
    const tracing = await createTracing(config.tracing, GATEWAY_VERSION);
    onClose('tracing', () => tracing.shutdown());
    onClose('upstream clients', () => Promise.all([uem.close(), harmony.close()]));
    // Log in to Harmony now: a service account that needs two-factor login is a start-up error.
    const organization = await harmony.start();

    const jwtSecret = config.auth.jwtSecret ?? (config.demo ? (readDemoCredentials(config.dataDir)?.jwtSecret ?? generateJwtSecret()) : undefined);
    const verifyJwt = createJwtVerifier({
      secret: config.auth.jwksUrl ? undefined : jwtSecret,
      jwksUrl: config.auth.jwksUrl,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      clockSkewSeconds: config.auth.clockSkewSeconds,
      jwksCooldownSeconds: config.auth.jwksCooldownSeconds,
      maxLifetimeSeconds: config.auth.maxTokenLifetimeSeconds,
    });
    const batching = options.batching ?? true;
    const now = options.now ?? Date.now;
    const referenceTtlMs = batching ? config.referenceCacheTtlSeconds * 1000 : 0;
    const schema = buildSchema();
    const bound = boundStore(store.db);
    const services: GatewayServices = {
      config,
      logger,
      uem,
      harmony,
      db: store.db,
      store: bound,
      cache: new TtlCache(referenceTtlMs, options.cacheNow),
      cursors: new CursorCodec(jwtSecret ?? config.auth.jwksUrl ?? 'cursor'),
      access: new AccessPolicy(config.envMap),
      loaderSettings: {
        harmony: {
          accessTtlMs: batching ? config.auth.principalCacheTtlSeconds * 1000 : 0,
          referenceTtlMs,
          staleIfErrorMs: config.auth.principalStaleIfErrorSeconds * 1000,
        },
        uem: {
          directoryTtlMs: referenceTtlMs,
          userScanThreshold: 20,
          perIdConcurrency: 8,
          batching,
          onBatch: (loader, keys) => metrics.loaderBatch.observe({ loader }, keys),
        },
      },
      documents: new DocumentRegistry(store.db, schema, logger, { apqBounds: config.apq }),
      idempotency: createIdempotency({ store: bound.idempotency, logger, settings: config.idempotency, faults: options.faults?.idempotency }),
      auditBudget: new AuditBudget(
        { record: config.safety.rateLimits.audit, refusal: config.safety.rateLimits.auditRefusal },
        (input) => rateLimits.takeTokens(store.db, input),
        () => metrics.auditSuppressed.inc(),
      ),
      quota,
      planner: rootPlanner,
      snapshots: new UemSnapshots(
        { db: store.db, singleSession: store.kind === 'pglite', uem, ledger: quota, logger },
        {
          enabled: config.tenant.snapshots && batching,
          quota: { dailyQuota: config.tenant.dailyQuota, share: config.tenant.quotaShare },
          concurrency: 4,
        },
      ),
    };
    // Claims left by a process that died are marked interrupted before the first request (all of
    // them on the embedded database, which this process owns alone), then every lease period.
    const sweep = await startIdempotencySweep({
      store: bound.idempotency,
      completeAuditEvent: bound.audit.completeAuditEvent,
      logger,
      leaseSeconds: config.idempotency.leaseSeconds,
      soleOwner: store.kind === 'pglite',
    });
    onClose('idempotency sweep', async () => sweep.stop());
    // This process owns the embedded database: the store CLIs run their commands through it.
    if (store.kind === 'pglite') {
      try {
        const admin = await startAdminSocket({ path: adminSocketPath(config.dataDir), commands: directCommands(store.db, services.documents), logger });
        onClose('admin socket', () => admin.close());
      } catch (err) {
        logger.warn({ err }, 'admin socket not started: the store CLIs refuse to run while this gateway runs');
      }
    }
    tenantMetrics(registry, services.snapshots, quota);
    // The tenant's sizes before the first request (two one-row searches unless snapshots already tell),
    // then the snapshots the store holds; the first refreshes start in the background.
    await services.snapshots.start();
    await services.snapshots.probeSizes();
    onClose('uem snapshots', () => services.snapshots.close());
    metrics.observeCache(services.cache.stats);
    // The ready-made report documents (src/export/reports.ts), registered once per database.
    await registerReports(services.documents, logger);
    // Registered documents that no longer validate are logged and reported in /readyz.
    await services.documents.revalidate();
    const retention = startAuditRetention({ days: config.auditRetentionDays, deleteOlderThan: services.store.audit.deleteOlderThan, logger });
    onClose('audit retention', async () => retention.stop());
    const readiness = createReadiness({
      ping: store.ping,
      upstreams: { uem, harmony },
      intervalMs: config.readiness.probeIntervalMs,
      timeoutMs: config.readiness.probeTimeoutMs,
    });
    // Reference data read at start-up serves the first requests: the organization (login already
    // read it) and the environments.
    services.cache.prime(HARMONY_KEYS.organization, organization);
    await services.cache.get(HARMONY_KEYS.environments, () => harmony.environments());
    const keyTouchedAt = new Map<string, number>();
    const authenticate = createAuthenticator({
      verifyJwt,
      findApiKey: async (key) => {
        const found = await apiKeys.findActiveByKey(store.db, key);
        if (!found) return undefined;
        // Last use is recorded at most once a minute per key (and instance): a flood costs no write per request.
        if ((keyTouchedAt.get(found.id) ?? 0) < Date.now() - 60_000) {
          if (keyTouchedAt.size >= 10_000) keyTouchedAt.clear();
          keyTouchedAt.set(found.id, Date.now());
          void apiKeys.touchLastUsed(store.db, found.id).catch((err: unknown) => logger.warn({ err }, 'could not record API key use'));
        }
        return { email: found.ownerEmail, kind: found.kind };
      },
    });

    // Sized once everything is loaded: the automatic budget is a share of the heap left free now.
    const memory = new MemoryBudget(memoryBudgetBytes(config.memoryBudgetMb));
    metrics.observeMemory(memory);
    logger.info({ memoryBudgetMb: Math.round(memory.limit / 1024 / 1024) }, 'memory budget');
    const apq = createApqRegistration({
      registry: services.documents,
      limit: config.safety.rateLimits.apq,
      takeTokens: (input) => rateLimits.takeTokens(store.db, input),
      logger,
      onOutcome: (outcome) => metrics.apqRegistrations.inc({ outcome }),
    });
    const server = createServer(config, {
      schema,
      executionSchema: (context) => schemaForPrincipal(context.principal),
      logger,
      memory,
      onConnectionRefused: (reason) => metrics.connectionsRefused.inc({ reason }),
      documents: createDocumentPipeline({ registry: services.documents, apq, onRefused: auditRefusedDocument }),
      plugins: [auditPlugin(), staleNoticePlugin(), snapshotsPlugin(), apq.plugin()],
      documentCacheMaxAgeSeconds: config.auth.principalCacheTtlSeconds,
      prepare: async (req, requestId) => {
        const trace = tracing.enabled ? tracing.startRequest(req.headers, requestId) : undefined;
        const scope = createRequestScope(services, requestId, trace);
        const principal = await authenticate(req.headers, {
          harmonyPrincipal: (email) => resolveHarmonyPrincipal(scope.loaders.harmony, email),
          externalPrincipal: (email) => resolveExternalPrincipal(scope.loaders.harmony, email, now()),
        });
        return requestContext(scope, principal, services);
      },
      readiness: async () => {
        const report = await readiness();
        return { ...report, checks: { ...report.checks, documents: services.documents.readiness() } };
      },
      metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
      onRequestDone: requestObserver(logger, metrics),
      exportRoute: createExportRoute({
        config,
        schema,
        logger,
        onExportDone: ({ format, outcome, rows }) => {
          metrics.exports.inc({ format, outcome });
          metrics.exportRows.inc({ format }, rows);
        },
      }),
      subgraph: await createSubgraphEndpoint(config),
    });
    const url = await server.listen();
    onClose('http server', () => server.close());

    const demo = config.demo && jwtSecret ? await writeDemoFile(store.db, config.dataDir, jwtSecret, config.auth.maxTokenLifetimeSeconds) : undefined;
    return {
      url,
      config,
      services,
      simulators: endpoints.simulators,
      demo,
      registry,
      handle: server.handle,
      banner: banner(url, config, demo?.path, demo?.credentials),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function banner(url: string, config: Config, credentialsPath: string | undefined, credentials: DemoCredentials | undefined): string {
  const lines = [`UEM–Harmony Gateway listening on ${url}`, `  GraphQL and browser IDE: ${url}/graphql`, `  health: ${url}/healthz  readiness: ${url}/readyz  metrics: ${url}/metrics`];
  if (config.subgraph) lines.push(`  Apollo Federation subgraph (for a router): ${url}/subgraph`);
  if (config.demo && credentialsPath && credentials) {
    lines.push(
      '',
      'Demo mode: both upstreams are simulated in-process with the demo organization.',
      `  Tokens for every persona and partner API keys: ${credentialsPath}`,
      '  Try:',
      `  curl -s ${url}/graphql -H 'content-type: application/json' \\`,
      `    -H "authorization: Bearer $(node -e 'console.log(require(process.argv[1]).tokens["ada.admin@demo.example"])' ${credentialsPath})" \\`,
      `    -d '{"query":"{ viewer { email permissions } devices(first: 3) { totalCount nodes { id friendlyName platform user { userName } } } }"}'`,
      '',
      `  IDE: ${url}/graphql — put a token in the Headers tab ({"Authorization": "Bearer <token>"}),`,
      `  or open ${url}/graphql#token=<token> to start with one.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
