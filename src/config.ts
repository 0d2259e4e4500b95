/**
 * The gateway's configuration: the only reader of `process.env`. One zod schema for every variable
 * of docs/interfaces.md (and the tuning knobs documented in README.md); every problem is reported at once.
 * This module imports nothing from the app.
 */
import { z } from 'zod';

/** The demo mapping of UEM organization groups to Harmony environments (docs/interfaces.md). */
export const DEMO_ENV_MAP = 'Production Devices=Production;Sandbox Devices=Sandbox;Lab Devices=Development';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (what: string) =>
  z.preprocess(emptyToUndefined, z.url({ message: `must be a URL (${what})` }).optional());
/** A whole number within [min, max]. */
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message });
};
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.preprocess(emptyToUndefined, wholeNumber(min, max).default(def));
/** The budget of one whole export (GET /export) unless configured. */
const EXPORT_DEFAULTS = { EXPORT_MAX_COST: 250_000, EXPORT_MAX_UPSTREAM_REQUESTS: 1_000 } as const;

/** A whole number from `min`, or unset. */
const optionalInt = (min: number, max = Number.MAX_SAFE_INTEGER) => z.preprocess(emptyToUndefined, wholeNumber(min, max).optional());
/** `Group A=Env 1;Group B=Env 2` (or a JSON object) → a map; `*=Env` sets the default environment. */
function parseEnvMap(raw: string): Record<string, string> | string {
  const text = raw.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'must be a JSON object';
      const entries = Object.entries(parsed);
      if (!entries.every(([, v]) => typeof v === 'string' && v.trim() !== '')) return 'every value must be an environment name';
      return Object.fromEntries(entries.map(([k, v]) => [k.trim(), String(v).trim()]));
    } catch {
      return 'is not valid JSON';
    }
  }
  const map: Record<string, string> = {};
  for (const part of text.split(/[;\n]/)) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) return `has an entry without "group=environment": "${part.trim()}"`;
    map[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (Object.keys(map).length === 0) return 'is empty';
  return map;
}

const schema = z
  .object({
    NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
    HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
    PORT: int(4000, 0, 65535),

    UEM_BASE_URL: optionalUrl('the UEM API host, e.g. https://as1234.awmdm.com'),
    UEM_TENANT_CODE: optionalString,
    UEM_AUTH: z.preprocess(emptyToUndefined, z.enum(['basic', 'oauth'], { message: 'must be basic or oauth' }).default('basic')),
    UEM_USERNAME: optionalString,
    UEM_PASSWORD: optionalString,
    UEM_OAUTH_TOKEN_URL: optionalUrl('the token endpoint, e.g. https://na.uemauth.workspaceone.com/connect/token'),
    UEM_OAUTH_CLIENT_ID: optionalString,
    UEM_OAUTH_CLIENT_SECRET: optionalString,

    HARMONY_BASE_URL: optionalUrl('the Harmony region host, e.g. https://na-east.jitterbit.com'),
    HARMONY_EMAIL: optionalString,
    HARMONY_PASSWORD: optionalString,
    HARMONY_ORG_ID: optionalString,

    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('.data')),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, { message: 'must start with postgres:// or postgresql://' })
        .optional(),
    ),

    AUTH_JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, { message: 'must be at least 32 characters' }).optional()),
    AUTH_JWKS_URL: optionalUrl('the identity provider JWKS endpoint'),
    AUTH_ISSUER: optionalString,
    AUTH_AUDIENCE: optionalString,
    AUTH_CLOCK_SKEW_SECONDS: int(30, 0, 600),
    AUTH_JWKS_COOLDOWN_SECONDS: int(30, 0, 600),
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: int(86_400, 60, 31_536_000),
    PRINCIPAL_CACHE_TTL_SECONDS: int(30, 0, 3600),
    PRINCIPAL_STALE_IF_ERROR_SECONDS: int(300, 0, 86_400),

    ENV_MAP: z.preprocess(emptyToUndefined, z.string().default(DEMO_ENV_MAP)),
    LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info')),

    UPSTREAM_CONNECT_TIMEOUT_MS: int(5_000, 1),
    UPSTREAM_REQUEST_TIMEOUT_MS: int(15_000, 1),
    UPSTREAM_MAX_CONNECTIONS: int(32, 1, 1024),
    UPSTREAM_MAX_CONCURRENCY: int(16, 1, 1024),
    UPSTREAM_MAX_RETRIES: int(2, 0, 10),
    UPSTREAM_BREAKER_FAILURE_THRESHOLD: int(5, 1, 1000),
    UPSTREAM_BREAKER_COOL_DOWN_MS: int(10_000, 100, 600_000),
    READINESS_PROBE_INTERVAL_MS: int(5_000, 100, 600_000),
    READINESS_PROBE_TIMEOUT_MS: int(2_000, 50, 60_000),
    REFERENCE_CACHE_TTL_SECONDS: int(60, 0, 3600),
    // Tenant scale (src/tenant/): UEM's daily quota, the share of it this gateway may spend, and
    // the snapshots of whole-tenant reads refreshed within it.
    UEM_DAILY_QUOTA: int(5_000, 1),
    UEM_QUOTA_SHARE: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ message: 'must be a share from 0.01 to 1' }).min(0.01, { message: 'must be a share from 0.01 to 1' }).max(1, { message: 'must be a share from 0.01 to 1' }).default(0.5),
    ),
    UEM_SNAPSHOTS: z.preprocess(emptyToUndefined, z.enum(['on', 'off'], { message: 'must be on or off' }).default('on')),
    GRAPHQL_MAX_PAGE_SIZE: int(500, 1, 5000),
    INTROSPECTION: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()),
    SHUTDOWN_GRACE_MS: int(10_000, 0, 120_000),
    WORKERS: int(1, 1, 64),
    // OpenTelemetry tracing: off unless an OTLP endpoint is set (the standard OTel variable names).
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl('the OTLP/HTTP collector, e.g. http://otel-collector:4318'),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl('the OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces'),
    OTEL_SERVICE_NAME: z.preprocess(emptyToUndefined, z.string().default('uem-harmony-gateway')),
    OTEL_TRACES_SAMPLER_ARG: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ message: 'must be a ratio from 0 to 1' }).min(0, { message: 'must be a ratio from 0 to 1' }).max(1, { message: 'must be a ratio from 0 to 1' }).default(1),
    ),
    MAX_BODY_BYTES: int(1_048_576, 1024, 64 * 1024 * 1024),
    MAX_CONCURRENT_REQUESTS: int(32, 1, 10_000),
    // Slow clients (src/http-server/): Node's server timeouts, the body deadline, connections per address.
    HTTP_HEADERS_TIMEOUT_MS: int(10_000, 1_000, 600_000),
    HTTP_BODY_TIMEOUT_MS: int(10_000, 100, 600_000),
    HTTP_REQUEST_TIMEOUT_MS: int(30_000, 1_000, 3_600_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: int(5_000, 1, 600_000),
    HTTP_SEND_TIMEOUT_MS: int(60_000, 1_000, 3_600_000),
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: int(256, 0, 1_000_000),
    // The heap requests in flight may hold at once (src/safety/memory-budget.ts); unset = automatic.
    MEMORY_BUDGET_MB: optionalInt(1, 1_000_000),
    AUDIT_RETENTION_DAYS: int(365, 0, 36_500),
    // Idempotency keys (issue 16): claimed in the database before anything is sent upstream.
    IDEMPOTENCY_KEY_TTL_HOURS: int(24, 1, 720),
    IDEMPOTENCY_WAIT_SECONDS: int(10, 0, 300),
    IDEMPOTENCY_LEASE_SECONDS: int(30, 2, 3600),
    // Benchmark only (`npm run bench` compares the two): off turns DataLoader batching and the
    // cross-request caches off. Never set it in a deployment.
    GATEWAY_BATCHING: z.preprocess(emptyToUndefined, z.enum(['on', 'off'], { message: 'must be on or off' }).default('on')),
    // The execution engine (src/graphql/executor.ts): operations compiled by graphql-jit, or graphql's own.
    GRAPHQL_EXECUTOR: z.preprocess(emptyToUndefined, z.enum(['jit', 'graphql-js'], { message: 'must be jit or graphql-js' }).default('jit')),

    // Query safety (src/safety/): limits checked before execution, rate limits, error details.
    LIMIT_DEPTH: int(12, 1, 1000),
    LIMIT_ALIASES: int(30, 0, 100_000),
    LIMIT_ROOT_FIELDS: int(10, 1, 10_000),
    LIMIT_FIELDS: int(1_000, 1, 1_000_000),
    LIMIT_TOKENS: int(5_000, 100, 10_000_000),
    LIMIT_DIRECTIVES: int(50, 0, 100_000),
    LIMIT_DOCUMENT_BYTES: int(100_000, 1_000, 64 * 1024 * 1024),
    LIMIT_VARIABLES: int(50, 0, 10_000),
    LIMIT_VARIABLES_BYTES: int(65_536, 100, 64 * 1024 * 1024),
    LIMIT_JSON_DEPTH: int(32, 4, 1_000),
    LIMIT_VALIDATION_WORK: int(10_000, 100, 100_000_000),
    LIMIT_COST: int(25_000, 1),
    LIMIT_UPSTREAM_REQUESTS: int(100, 1),
    PERSISTED_DOCUMENTS_EXEMPT_FROM_COST: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true')),
    RATE_LIMIT_HARMONY_USER_BURST: int(600, 1),
    RATE_LIMIT_HARMONY_USER_PER_SECOND: int(100, 1),
    RATE_LIMIT_EXTERNAL_USER_BURST: int(120, 1),
    RATE_LIMIT_EXTERNAL_USER_PER_SECOND: int(20, 1),
    RATE_LIMIT_API_KEY_BURST: int(120, 1),
    RATE_LIMIT_API_KEY_PER_SECOND: int(20, 1),
    RATE_LIMIT_AUDIT_BURST: int(600, 1),
    RATE_LIMIT_AUDIT_PER_SECOND: int(100, 1),
    RATE_LIMIT_AUDIT_REFUSAL_BURST: int(30, 1),
    RATE_LIMIT_AUDIT_REFUSAL_PER_MINUTE: int(60, 1),
    RATE_LIMIT_APQ_BURST: int(50, 1),
    RATE_LIMIT_APQ_PER_MINUTE: int(30, 1),
    APQ_MAX_ENTRIES: int(10_000, 1, 10_000_000),
    APQ_MAX_BYTES: int(64 * 1024 * 1024, 1_000_000, 64 * 1024 * 1024 * 1024),
    APQ_MAX_IDLE_DAYS: int(7, 1, 3650),
    EXPOSE_ERRORS: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),

    // GET /export (src/export/): the estimated budget of one whole export; analysts may get more.
    EXPORT_MAX_COST: int(EXPORT_DEFAULTS.EXPORT_MAX_COST, 1),
    EXPORT_MAX_UPSTREAM_REQUESTS: int(EXPORT_DEFAULTS.EXPORT_MAX_UPSTREAM_REQUESTS, 1),
    EXPORT_ANALYST_MAX_COST: optionalInt(1),
    EXPORT_ANALYST_MAX_UPSTREAM_REQUESTS: optionalInt(1),
    EXPORT_MAX_CONCURRENT: int(4, 1, 1_000),

    // The same graph as an Apollo Federation v2 subgraph at /subgraph (src/subgraph/), for a router.
    SUBGRAPH_ENABLED: z.preprocess(emptyToUndefined, z.enum(['true', 'false'], { message: 'must be true or false' }).default('false')),
    // Shared secrets the router must present in `x-gateway-router-secret` (comma-separated: current and next, for rotation).
    SUBGRAPH_ROUTER_SECRET: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine((v) => routerSecrets(v).every((s) => s.length >= 32), { message: 'must be one or more comma-separated secrets of at least 32 characters' })
        .optional(),
    ),

    // CORS for browser clients on other origins (src/http-server/cors.ts). Unset origins: loopback pages
    // (any port) outside production and in demo mode; none in production.
    CORS_ORIGINS: z.preprocess(emptyToUndefined, z.string().optional()),
    CORS_ALLOW_CREDENTIALS: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false')),
    CORS_ALLOW_HEADERS: z.preprocess(emptyToUndefined, z.string().optional()),
    CORS_MAX_AGE_SECONDS: int(600, 0, 86_400),
  });

/** The router secrets of SUBGRAPH_ROUTER_SECRET: comma-separated, blanks ignored. */
function routerSecrets(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Page origins allowed by default outside production: loopback, any port (a dev server on 5173…). */
export const LOOPBACK_ORIGINS = ['http://localhost:*', 'https://localhost:*', 'http://127.0.0.1:*', 'https://127.0.0.1:*', 'http://[::1]:*'];
/** `scheme://host[:port]`; the host may start with `*.` (subdomains), the port may be `*`. */
const ORIGIN_PATTERN = /^https?:\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:(\d{1,5}|\*))?$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const listOf = (raw: string | undefined) => (raw ?? '').split(',').map((v) => v.trim().toLowerCase().replace(/\/+$/, '')).filter((v) => v !== '');

/** `CORS_ORIGINS` → the allowed origin patterns (`['*']` for any, `[]` for none), or the problems. */
function corsOrigins(raw: string | undefined, defaults: readonly string[]): string[] | string {
  if (raw === undefined) return [...defaults];
  const list = listOf(raw);
  if (list.length === 1 && (list[0] === 'none' || list[0] === 'off')) return [];
  if (list.length === 1 && list[0] === '*') return ['*'];
  const bad = list.filter((o) => !ORIGIN_PATTERN.test(o));
  if (list.length === 0 || bad.length > 0) {
    return `must be *, none, or a comma-separated list of origins such as https://app.example.com, https://*.example.com or http://localhost:* (not ${bad.map((b) => JSON.stringify(b)).join(', ') || 'empty'})`;
  }
  return list;
}

/** Checks across variables, run on the raw environment so they are reported with the others. */
function crossFieldProblems(raw: Record<string, string | undefined>): string[] {
  const env = (key: string) => {
    const v = raw[key];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const problems: string[] = [];
  const need = (key: string, why: string) => {
    if (env(key) === undefined) problems.push(`${key} is required ${why}`);
  };
  if (env('UEM_BASE_URL')) {
    need('UEM_TENANT_CODE', 'when UEM_BASE_URL is set');
    if ((env('UEM_AUTH') ?? 'basic') === 'oauth') {
      need('UEM_OAUTH_TOKEN_URL', 'with UEM_AUTH=oauth');
      need('UEM_OAUTH_CLIENT_ID', 'with UEM_AUTH=oauth');
      need('UEM_OAUTH_CLIENT_SECRET', 'with UEM_AUTH=oauth');
    } else {
      need('UEM_USERNAME', 'with UEM_AUTH=basic');
      need('UEM_PASSWORD', 'with UEM_AUTH=basic');
    }
  }
  if (env('HARMONY_BASE_URL')) {
    need('HARMONY_EMAIL', 'when HARMONY_BASE_URL is set');
    need('HARMONY_PASSWORD', 'when HARMONY_BASE_URL is set');
    need('HARMONY_ORG_ID', 'when HARMONY_BASE_URL is set');
  }
  if (env('AUTH_JWKS_URL')) need('AUTH_ISSUER', 'when AUTH_JWKS_URL is set');
  const demo = !env('UEM_BASE_URL') && !env('HARMONY_BASE_URL');
  if (!demo && !env('AUTH_JWT_SECRET') && !env('AUTH_JWKS_URL')) {
    problems.push('AUTH_JWT_SECRET or AUTH_JWKS_URL is required when a real upstream is configured (only demo mode generates a secret)');
  }
  const workers = Number(env('WORKERS') ?? '1');
  if (workers > 1) {
    if (!env('DATABASE_URL')) problems.push('DATABASE_URL is required when WORKERS > 1 (the embedded PGlite is single-process)');
    if (demo) problems.push('WORKERS > 1 needs configured upstreams (demo mode runs single-process)');
    if (env('PORT') === '0') problems.push('PORT must be a fixed port when WORKERS > 1');
  }
  for (const general of ['EXPORT_MAX_COST', 'EXPORT_MAX_UPSTREAM_REQUESTS'] as const) {
    const analyst = general.replace('EXPORT_', 'EXPORT_ANALYST_');
    const raised = env(analyst);
    if (raised !== undefined && Number(raised) < Number(env(general) ?? EXPORT_DEFAULTS[general])) {
      problems.push(`${analyst} raises ${general} for analysts: it must not be lower`);
    }
  }
  const ms = (key: string, fallback: number) => Number(env(key) ?? fallback);
  if (ms('HTTP_HEADERS_TIMEOUT_MS', 10_000) + ms('HTTP_BODY_TIMEOUT_MS', 10_000) > ms('HTTP_REQUEST_TIMEOUT_MS', 30_000)) {
    problems.push('HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS + HTTP_BODY_TIMEOUT_MS (a slow body is answered 408 before Node closes the request)');
  }
  const origins = corsOrigins(env('CORS_ORIGINS'), []);
  if (typeof origins === 'string') problems.push(`CORS_ORIGINS ${origins}`);
  else if (origins.includes('*') && env('CORS_ALLOW_CREDENTIALS') === 'true') {
    problems.push('CORS_ALLOW_CREDENTIALS=true needs a list of origins: browsers refuse credentials with CORS_ORIGINS=*');
  }
  const badHeaders = listOf(env('CORS_ALLOW_HEADERS')).filter((h) => !HEADER_NAME.test(h));
  if (badHeaders.length > 0) problems.push(`CORS_ALLOW_HEADERS must be a comma-separated list of header names (not ${badHeaders.join(', ')})`);
  if (env('EXPOSE_ERRORS') === 'true' && env('NODE_ENV') === 'production') {
    problems.push('EXPOSE_ERRORS=true is a development setting and is refused with NODE_ENV=production');
  }
  if (env('SUBGRAPH_ENABLED') === 'true' && env('NODE_ENV') === 'production' && !env('SUBGRAPH_ROUTER_SECRET')) {
    problems.push("SUBGRAPH_ROUTER_SECRET is required with SUBGRAPH_ENABLED=true and NODE_ENV=production: without it /subgraph can be called around the router's policies");
  }
  const map = env('ENV_MAP');
  if (map !== undefined) {
    const parsed = parseEnvMap(map);
    if (typeof parsed === 'string') problems.push(`ENV_MAP ${parsed}`);
  }
  return problems;
}

type Env = z.infer<typeof schema>;

/** Every variable the gateway reads (deployment manifests are checked against this list). */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);

export interface UpstreamOptions {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  maxConcurrency: number;
  maxRetries: number;
  /** Consecutive failures of one route (or of the connections) that open its breaker. */
  breakerFailureThreshold: number;
  /** How long an open breaker pauses calls before one probe may pass. */
  breakerCoolDownMs: number;
}

export type UemAuthConfig =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'oauth'; tokenUrl: string; clientId: string; clientSecret: string };

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** True when neither upstream is configured: simulators start in-process with the demo org. */
  demo: boolean;
  /** Unset = start the UEM simulator in-process. */
  uem: { baseUrl: string; tenantCode: string; auth: UemAuthConfig } | undefined;
  /** Unset = start the Harmony simulator in-process. */
  harmony: { baseUrl: string; email: string; password: string; orgId: string } | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  auth: {
    jwtSecret: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    clockSkewSeconds: number;
    /** After a JWKS fetch, how long an unknown `kid` is refused without fetching again. */
    jwksCooldownSeconds: number;
    /** Longest lifetime a caller's JWT may claim (`exp - iat`, or `exp - now` without `iat`). */
    maxTokenLifetimeSeconds: number;
    principalCacheTtlSeconds: number;
    principalStaleIfErrorSeconds: number;
  };
  /** UEM organization group name → Harmony environment name; the `*` key, if any, is the default. */
  envMap: Record<string, string>;
  logLevel: (typeof LOG_LEVELS)[number];
  upstream: UpstreamOptions;
  referenceCacheTtlSeconds: number;
  /** UEM's daily quota, the share of it this gateway may spend, and whether whole-tenant reads are kept as snapshots. */
  tenant: { dailyQuota: number; quotaShare: number; snapshots: boolean };
  maxPageSize: number;
  introspection: boolean;
  shutdownGraceMs: number;
  /** `/readyz`: how long an upstream or database probe's answer is reused, and how long one may take. */
  readiness: { probeIntervalMs: number; probeTimeoutMs: number };
  /** Processes serving one port (cluster mode). */
  workers: number;
  /** OpenTelemetry: spans exported over OTLP/HTTP to `tracesUrl`; undefined = tracing off. */
  tracing?: { tracesUrl: string; serviceName: string; sampleRatio: number };
  maxBodyBytes: number;
  /** GraphQL requests one process executes at once; more wait in order (bounds memory under load). */
  maxConcurrentRequests: number;
  /** Slow clients: Node's server timeouts, the request body's deadline, connections per remote address (0: no cap). */
  http: {
    headersTimeoutMs: number;
    bodyTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    /** How long a client may leave response bytes untaken (a whole /graphql response; an export's next chunk). */
    sendTimeoutMs: number;
    maxConnectionsPerAddress: number;
  };
  /** The heap requests in flight may hold at once, in MiB; undefined = a share of the heap limit. */
  memoryBudgetMb: number | undefined;
  /** Audit rows older than this many days are deleted (in small batches); 0 keeps them all. */
  auditRetentionDays: number;
  idempotency: {
    /** How long a retry with the same key replays the stored answer. */
    ttlSeconds: number;
    /** How long a request whose key is in use by another request waits for it before IDEMPOTENCY_IN_PROGRESS. */
    waitMs: number;
    /** A claim's lease, renewed by its owner while it works; once it runs out the claim counts as interrupted. */
    leaseSeconds: number;
  };
  /** Benchmark only: false turns batching and cross-request caches off (GATEWAY_BATCHING=off). */
  batching: boolean;
  /** GRAPHQL_EXECUTOR: operations compiled by graphql-jit (default), or executed by graphql-js. */
  executor: 'jit' | 'graphql-js';
  safety: SafetyConfig;
  /** The APQ store's bounds (LRU eviction in the database, src/store/documents.repository.ts). */
  apq: { maxEntries: number; maxBytes: number; maxIdleDays: number };
  /** GET /export: the budget of one whole export (analysts: the raised one). */
  exports: { maxCost: number; maxUpstreamRequests: number; analystMaxCost: number; analystMaxUpstreamRequests: number; maxConcurrent: number };
  /**
   * `/subgraph`: the graph as an Apollo Federation v2 subgraph; undefined = off. With `routerSecrets`,
   * only requests presenting one of them in `x-gateway-router-secret` are served.
   */
  subgraph?: { routerSecrets: string[] };
  cors: CorsConfig;
}

/** Cross-origin browser clients (src/http-server/cors.ts). */
export interface CorsConfig {
  /** Allowed page origins: exact (`https://app.example.com`), patterns (`https://*.example.com`, `http://localhost:*`), `*`; empty = off. */
  origins: readonly string[];
  /** `Access-Control-Allow-Credentials: true` (for clients that send `credentials: 'include'`). */
  credentials: boolean;
  /** Request headers allowed besides the built-in list. */
  extraHeaders: readonly string[];
  maxAgeSeconds: number;
}

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

/** Limits checked before execution (README "Limits and refusals"), rate limits, error details. */
export interface SafetyConfig {
  limits: {
    depth: number;
    aliases: number;
    rootFields: number;
    fields: number;
    tokens: number;
    directives: number;
    documentBytes: number;
    variables: number;
    variablesBytes: number;
    /** Nesting of objects and arrays in request JSON (body, variables, extensions). */
    jsonDepth: number;
    /** Estimated comparisons validation would make (src/safety/validation-work.ts). */
    validationWork: number;
    cost: number;
    upstreamRequests: number;
  };
  persistedDocumentsExemptFromCost: boolean;
  rateLimits: {
    HARMONY_USER: RateLimit;
    EXTERNAL_USER: RateLimit;
    apiKey: RateLimit;
    /** Audit rows of changes and partner reads per principal (src/audit/budget.ts). */
    audit: RateLimit;
    /** Audit rows of refusals per principal (`perSecond` may be a fraction). */
    auditRefusal: RateLimit;
    /** APQ registrations per principal (`perSecond` may be a fraction). */
    apq: RateLimit;
  };
  /** Development only: masked errors carry their message and stack. */
  exposeErrors: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The process environment, for tools that pass it on (the only read of `process.env`). */
export function readEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}

/** Parses a whole environment; throws ConfigError listing every problem. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const result = schema.safeParse(source);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => {
        const key = issue.path.join('.') || '(environment)';
        return `${key} ${issue.message.replace(/^Invalid input: /, '')}`;
      });
  problems.push(...crossFieldProblems(source));
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(result.data);
}

function toConfig(env: Env): Config {
  const envMap = parseEnvMap(env.ENV_MAP) as Record<string, string>;
  const uem: Config['uem'] = env.UEM_BASE_URL
    ? {
        baseUrl: env.UEM_BASE_URL.replace(/\/+$/, ''),
        tenantCode: env.UEM_TENANT_CODE as string,
        auth:
          env.UEM_AUTH === 'basic'
            ? { kind: 'basic', username: env.UEM_USERNAME as string, password: env.UEM_PASSWORD as string }
            : {
                kind: 'oauth',
                tokenUrl: env.UEM_OAUTH_TOKEN_URL as string,
                clientId: env.UEM_OAUTH_CLIENT_ID as string,
                clientSecret: env.UEM_OAUTH_CLIENT_SECRET as string,
              },
      }
    : undefined;
  const harmony: Config['harmony'] = env.HARMONY_BASE_URL
    ? {
        baseUrl: env.HARMONY_BASE_URL.replace(/\/+$/, ''),
        email: env.HARMONY_EMAIL as string,
        password: env.HARMONY_PASSWORD as string,
        orgId: env.HARMONY_ORG_ID as string,
      }
    : undefined;
  const demo = !uem && !harmony;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    demo,
    uem,
    harmony,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    auth: {
      jwtSecret: env.AUTH_JWT_SECRET,
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
      jwksCooldownSeconds: env.AUTH_JWKS_COOLDOWN_SECONDS,
      maxTokenLifetimeSeconds: env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
      principalCacheTtlSeconds: env.PRINCIPAL_CACHE_TTL_SECONDS,
      principalStaleIfErrorSeconds: env.PRINCIPAL_STALE_IF_ERROR_SECONDS,
    },
    envMap,
    logLevel: env.LOG_LEVEL,
    upstream: {
      connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: env.UPSTREAM_REQUEST_TIMEOUT_MS,
      maxConnections: env.UPSTREAM_MAX_CONNECTIONS,
      maxConcurrency: env.UPSTREAM_MAX_CONCURRENCY,
      maxRetries: env.UPSTREAM_MAX_RETRIES,
      breakerFailureThreshold: env.UPSTREAM_BREAKER_FAILURE_THRESHOLD,
      breakerCoolDownMs: env.UPSTREAM_BREAKER_COOL_DOWN_MS,
    },
    referenceCacheTtlSeconds: env.REFERENCE_CACHE_TTL_SECONDS,
    tenant: { dailyQuota: env.UEM_DAILY_QUOTA, quotaShare: env.UEM_QUOTA_SHARE, snapshots: env.UEM_SNAPSHOTS === 'on' },
    maxPageSize: env.GRAPHQL_MAX_PAGE_SIZE,
    introspection: env.INTROSPECTION === undefined ? env.NODE_ENV !== 'production' || demo : env.INTROSPECTION === 'true',
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    readiness: { probeIntervalMs: env.READINESS_PROBE_INTERVAL_MS, probeTimeoutMs: env.READINESS_PROBE_TIMEOUT_MS },
    workers: env.WORKERS,
    tracing: tracingOf(env),
    maxBodyBytes: env.MAX_BODY_BYTES,
    maxConcurrentRequests: env.MAX_CONCURRENT_REQUESTS,
    http: {
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: env.HTTP_BODY_TIMEOUT_MS,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      sendTimeoutMs: env.HTTP_SEND_TIMEOUT_MS,
      maxConnectionsPerAddress: env.HTTP_MAX_CONNECTIONS_PER_ADDRESS,
    },
    memoryBudgetMb: env.MEMORY_BUDGET_MB,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS,
    idempotency: {
      ttlSeconds: env.IDEMPOTENCY_KEY_TTL_HOURS * 3600,
      waitMs: env.IDEMPOTENCY_WAIT_SECONDS * 1000,
      leaseSeconds: env.IDEMPOTENCY_LEASE_SECONDS,
    },
    batching: env.GATEWAY_BATCHING === 'on',
    executor: env.GRAPHQL_EXECUTOR,
    safety: {
      limits: {
        depth: env.LIMIT_DEPTH,
        aliases: env.LIMIT_ALIASES,
        rootFields: env.LIMIT_ROOT_FIELDS,
        fields: env.LIMIT_FIELDS,
        tokens: env.LIMIT_TOKENS,
        directives: env.LIMIT_DIRECTIVES,
        documentBytes: env.LIMIT_DOCUMENT_BYTES,
        variables: env.LIMIT_VARIABLES,
        variablesBytes: env.LIMIT_VARIABLES_BYTES,
        jsonDepth: env.LIMIT_JSON_DEPTH,
        validationWork: env.LIMIT_VALIDATION_WORK,
        cost: env.LIMIT_COST,
        upstreamRequests: env.LIMIT_UPSTREAM_REQUESTS,
      },
      persistedDocumentsExemptFromCost: env.PERSISTED_DOCUMENTS_EXEMPT_FROM_COST === 'true',
      rateLimits: {
        HARMONY_USER: { burst: env.RATE_LIMIT_HARMONY_USER_BURST, perSecond: env.RATE_LIMIT_HARMONY_USER_PER_SECOND },
        EXTERNAL_USER: { burst: env.RATE_LIMIT_EXTERNAL_USER_BURST, perSecond: env.RATE_LIMIT_EXTERNAL_USER_PER_SECOND },
        apiKey: { burst: env.RATE_LIMIT_API_KEY_BURST, perSecond: env.RATE_LIMIT_API_KEY_PER_SECOND },
        audit: { burst: env.RATE_LIMIT_AUDIT_BURST, perSecond: env.RATE_LIMIT_AUDIT_PER_SECOND },
        auditRefusal: { burst: env.RATE_LIMIT_AUDIT_REFUSAL_BURST, perSecond: env.RATE_LIMIT_AUDIT_REFUSAL_PER_MINUTE / 60 },
        apq: { burst: env.RATE_LIMIT_APQ_BURST, perSecond: env.RATE_LIMIT_APQ_PER_MINUTE / 60 },
      },
      exposeErrors: env.EXPOSE_ERRORS === 'true' && env.NODE_ENV !== 'production',
    },
    apq: { maxEntries: env.APQ_MAX_ENTRIES, maxBytes: env.APQ_MAX_BYTES, maxIdleDays: env.APQ_MAX_IDLE_DAYS },
    cors: {
      origins: corsOrigins(env.CORS_ORIGINS, env.NODE_ENV !== 'production' || demo ? LOOPBACK_ORIGINS : []) as string[],
      credentials: env.CORS_ALLOW_CREDENTIALS === 'true',
      extraHeaders: listOf(env.CORS_ALLOW_HEADERS),
      maxAgeSeconds: env.CORS_MAX_AGE_SECONDS,
    },
    exports: {
      maxCost: env.EXPORT_MAX_COST,
      maxUpstreamRequests: env.EXPORT_MAX_UPSTREAM_REQUESTS,
      analystMaxCost: env.EXPORT_ANALYST_MAX_COST ?? env.EXPORT_MAX_COST,
      analystMaxUpstreamRequests: env.EXPORT_ANALYST_MAX_UPSTREAM_REQUESTS ?? env.EXPORT_MAX_UPSTREAM_REQUESTS,
      maxConcurrent: env.EXPORT_MAX_CONCURRENT,
    },
    subgraph: env.SUBGRAPH_ENABLED === 'true' ? { routerSecrets: routerSecrets(env.SUBGRAPH_ROUTER_SECRET ?? '') } : undefined,
  };
}

/** Variables that hold secrets: never logged, never echoed in errors. */
export const SECRET_KEYS = [
  'UEM_PASSWORD',
  'UEM_OAUTH_CLIENT_SECRET',
  'UEM_TENANT_CODE',
  'HARMONY_PASSWORD',
  'AUTH_JWT_SECRET',
  'DATABASE_URL',
  'SUBGRAPH_ROUTER_SECRET',
] as const;

function tracingOf(env: z.infer<typeof schema>): Config['tracing'] {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!tracesUrl) return undefined;
  return { tracesUrl, serviceName: env.OTEL_SERVICE_NAME, sampleRatio: env.OTEL_TRACES_SAMPLER_ARG };
}
