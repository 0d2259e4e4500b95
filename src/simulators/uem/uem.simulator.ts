/**
 * The Workspace ONE UEM simulator: the seeded demo tenant served over HTTP with the wire format of
 * `docs/upstreams/uem.md`. Every API route passes, in order: the `aw-tenant-code` header (403, 1013),
 * Basic or bearer authentication (401, 1005), the daily quota (429 with Retry-After, 1029) and
 * the permission category of the route (403, 1016, with `missingPermissions`).
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../common/clock.js';
import type { FaultConfig } from '../common/faults.js';
import { Router, type Handler, type SimRequest, type SimResponse } from '../common/router.js';
import { startSimServer, type SimErrorKind, type SimHandle } from '../common/sim-server.js';
import type { DatasetSizes } from '../dataset/demo-org.js';
import { registerAppRoutes } from './uem.apps.routes.js';
import { authenticate, TokenStore, tokenHandler, type UemCredentials } from './uem.auth.js';
import { registerCommandRoutes } from './uem.commands.routes.js';
import { DEFAULT_BULK_SETTINGS, type BulkSettings, type UemRouteContext } from './uem.context.js';
import { generateUemDataset, resolveSizes } from './uem.dataset.js';
import { registerDeviceRoutes } from './uem.devices.routes.js';
import { htmlNotFound, UemErrorCode, uemError } from './uem.errors.js';
import { registerGroupRoutes } from './uem.groups.routes.js';
import { PERMISSION_LABELS, type PermissionCategory } from './uem.permissions.js';
import { DailyQuota } from './uem.quota.js';
import { UemState } from './uem.state.js';
import { registerSystemRoutes } from './uem.system.routes.js';
import { registerTagRoutes } from './uem.tags.routes.js';
import { registerUserRoutes } from './uem.users.routes.js';
import { answeredVersion } from './uem.versioning.js';

export { generateUemDataset } from './uem.dataset.js';
export { UemState } from './uem.state.js';
export type { BulkSettings } from './uem.context.js';
export type { PermissionCategory } from './uem.permissions.js';

export interface UemSimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  seed?: number;
  sizes?: Partial<DatasetSizes>;
  /** Drives LastSeen at generation, token expiry, the quota day and install settling. */
  clock?: Clock;
  tenantCode?: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of OAuth tokens (`expires_in`), 3600 by default. */
  tokenTtlSeconds?: number;
  /** Calls per UTC day, 250,000 by default. */
  dailyQuota?: number;
  bulkSettings?: Partial<BulkSettings>;
  /** Permission categories the API admin's role lacks: their routes answer 403 (errorCode 1016). */
  missingPermissions?: PermissionCategory[];
  /** How long an install stays Pending, on the clock (30 s by default). */
  installDelayMs?: number;
  /** Share of installs that end Failed (0.2 by default), drawn from the seed. */
  installFailureRate?: number;
  /** How long an accepted command stays Queued before the device picks it up, on the clock (5 s by default). */
  commandSendDelayMs?: number;
  /** How long a command stays Sent before the device reports Completed or Failed (20 s by default). */
  commandCompleteDelayMs?: number;
  /** Share of commands that end Failed (0.1 by default), drawn from the seed. */
  commandFailureRate?: number;
  faults?: FaultConfig;
}

export interface UemSimulator extends SimHandle {
  credentials: UemCredentials & { tokenUrl: string };
  /** The live in-memory tenant, for tests to compare raw data with the HTTP answers. */
  state: UemState;
  /** OAuth access tokens issued and not yet expired (tests check none of them reaches a log). */
  issuedTokens(): string[];
}

export const DEFAULT_UEM_CREDENTIALS: Readonly<UemCredentials> = {
  tenantCode: 'demo-tenant-code',
  username: 'api_admin',
  password: 'demo-password',
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
};

const TOKEN_ROUTE = '/connect/token';

const ERROR_CODES: Readonly<Record<SimErrorKind, number>> = {
  fault: UemErrorCode.INJECTED_FAULT,
  'rate-limit': UemErrorCode.TOO_MANY_REQUESTS,
  'bad-json': UemErrorCode.MALFORMED_JSON,
  'too-large': UemErrorCode.INVALID_REQUEST,
  internal: UemErrorCode.INTERNAL,
};

export async function startUemSimulator(options: UemSimulatorOptions = {}): Promise<UemSimulator> {
  const clock = options.clock ?? systemClock;
  const sizes = resolveSizes(options.sizes);
  const seed = options.seed ?? sizes.seed;
  const state = new UemState(generateUemDataset({ seed, sizes, now: clock.now() }), {
    clock,
    install: { seed, delayMs: options.installDelayMs ?? 30_000, failureRate: options.installFailureRate ?? 0.2 },
    commands: {
      seed,
      sendDelayMs: options.commandSendDelayMs ?? 5_000,
      completeDelayMs: options.commandCompleteDelayMs ?? 20_000,
      failureRate: options.commandFailureRate ?? 0.1,
    },
  });
  const credentials: UemCredentials = {
    tenantCode: options.tenantCode ?? DEFAULT_UEM_CREDENTIALS.tenantCode,
    username: options.username ?? DEFAULT_UEM_CREDENTIALS.username,
    password: options.password ?? DEFAULT_UEM_CREDENTIALS.password,
    clientId: options.clientId ?? DEFAULT_UEM_CREDENTIALS.clientId,
    clientSecret: options.clientSecret ?? DEFAULT_UEM_CREDENTIALS.clientSecret,
  };
  const tokens = new TokenStore(clock, options.tokenTtlSeconds ?? 3600);
  const quota = new DailyQuota(clock, options.dailyQuota ?? 250_000);
  const missing = new Set<PermissionCategory>(options.missingPermissions ?? []);
  const router = new Router();

  const guarded = (category: PermissionCategory | null, handler: Handler): Handler => (req) => {
    const refused = authenticate(req, credentials, tokens);
    if (refused) return refused;
    if (!quota.take()) {
      const r = uemError(429, UemErrorCode.QUOTA_EXCEEDED, 'The daily API quota of this tenant is spent.');
      return { ...r, headers: { 'retry-after': String(quota.retryAfterSeconds()) } };
    }
    if (category !== null && missing.has(category)) {
      return uemError(403, UemErrorCode.PERMISSION_DENIED, `The admin's role lacks the permission ${PERMISSION_LABELS[category]}.`);
    }
    return handler(req);
  };

  const ctx: UemRouteContext = {
    state,
    bulkSettings: { ...DEFAULT_BULK_SETTINGS, ...options.bulkSettings },
    route: (method, template, category, handler) => {
      router.add(method, template, guarded(category, handler));
    },
  };
  router.post(TOKEN_ROUTE, tokenHandler(credentials, tokens));
  registerSystemRoutes(ctx);
  registerDeviceRoutes(ctx);
  registerCommandRoutes(ctx);
  registerGroupRoutes(ctx);
  registerTagRoutes(ctx);
  registerUserRoutes(ctx);
  registerAppRoutes(ctx);

  const decorate = (req: Pick<SimRequest, 'headers'> & { template?: string }, res: SimResponse): SimResponse => {
    const headers: Record<string, string> = { ...res.headers, 'x-correlation-id': randomUUID() };
    if (req.template !== TOKEN_ROUTE) {
      Object.assign(headers, quota.headers(), { 'x-api-version': String(answeredVersion(req.headers)) });
    }
    return { ...res, headers };
  };

  const server = await startSimServer({
    host: options.host,
    port: options.port,
    router,
    now: () => clock.now(),
    errorResponse: (status, kind, message) => uemError(status, ERROR_CODES[kind], message),
    notFound: (req) => decorate(req, htmlNotFound(req.path)),
    decorate: (req, res) => decorate(req ?? { headers: {} }, res),
    malformedBody: '{"Devices":[{"Id":{"Value":',
  });
  if (options.faults) server.setFaults(options.faults);
  return { ...server, credentials: { ...credentials, tokenUrl: `${server.url}${TOKEN_ROUTE}` }, state, issuedTokens: () => tokens.live() };
}
