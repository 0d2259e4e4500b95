/**
 * The per-request context: who is calling (resolved once), the request's loaders and datasource
 * views, and the process-wide services. Nothing in here outlives the request except `services`.
 */
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Principal } from './auth/principal.js';
import type { HarmonyDatasource } from './datasources/harmony/harmony.datasource.js';
import type { UemDatasource } from './datasources/uem/uem.datasource.js';
import type { CursorCodec } from './graphql/cursor.js';
import type { Access } from './auth/access/access.js';
import type { AccessPolicy } from './auth/access/policy.js';
import type { DocumentRegistry } from './documents/registry.js';
import type { AuditBudget } from './audit/budget.js';
import { createLoaders, StaleLog, type LoaderSettings, type Loaders, type TtlCache } from './loaders/index.js';
import type { Logger } from './logger.js';
import type { Database } from './store/database.types.js';
import type { BoundStore } from './store/bound.js';
import type { UpstreamName } from './errors.js';
import type { RequestTrace } from './observability/tracing.js';
import type { IdempotencyService } from './idempotency/idempotent-run.js';
import type { MemoryLease } from './safety/memory-budget.js';
import type { UemSnapshots } from './tenant/snapshots.js';
import type { QuotaLedger } from './tenant/quota-ledger.js';
import type { Plan } from './loaders/plans.js';
import { copyWith } from './object-copy.js';

/** Long-lived, shared by all requests of this process. */
export interface GatewayServices {
  config: Config;
  logger: Logger;
  uem: UemDatasource;
  harmony: HarmonyDatasource;
  db: Kysely<Database>;
  /** The repositories, bound to the database. */
  store: BoundStore;
  cache: TtlCache;
  cursors: CursorCodec;
  /** ENV_MAP, and the factory of each request's access service (`GraphQLContext.access`). */
  access: AccessPolicy;
  loaderSettings: LoaderSettings;
  /** Trusted documents and the APQ store (database behind an in-memory LRU). */
  documents: DocumentRegistry;
  /** Idempotency keys: claim, record progress, replay, reconcile after an interruption. */
  idempotency: IdempotencyService;
  /** Audit rows per principal (RATE_LIMIT_AUDIT_*). */
  auditBudget: AuditBudget;
  /** UEM's whole-tenant reads kept in the store, and the tenant's sizes (src/tenant/). */
  snapshots: UemSnapshots;
  /** UEM requests this process spent today, and the day's forecast. */
  quota: QuotaLedger;
  /**
   * Plans a root field the way its resolver will run it (row scope, filters, the tenant's sizes),
   * for the pre-execution estimate; undefined leaves the field to the static estimate.
   */
  planner?: RootPlanner;
}

export type RootPlanner = (ctx: GraphQLContext, field: string, args: Record<string, unknown>) => Promise<Plan | undefined>;

/** What one request's work is counted in (reported in logs and, on request, in extensions). */
export type UpstreamCallCounts = Record<UpstreamName, number>;

export interface RequestScope {
  requestId: string;
  loaders: Loaders;
  uem: UemDatasource;
  harmony: HarmonyDatasource;
  upstreamCalls: UpstreamCallCounts;
  /** The request's tracing span (a no-op when tracing is off). */
  trace?: RequestTrace;
  /** The settings this request's loaders were made with (writes renew the loaders with them). */
  loaderSettings: LoaderSettings;
  /** Cached lists this request was answered from while their upstream failed (`extensions.stale`). */
  staleLog: StaleLog;
}

/** How the request named its document (set by the document pipeline in src/documents/). */
export interface RequestDocument {
  /** sha256 hex of the document text (the trusted document's or APQ hash, or of the free text). */
  hash: string;
  source: 'persisted' | 'apq' | 'text';
  /** The API group a trusted document is registered under. */
  apiGroup: string | null;
  /** The API a trusted document is registered under (a document has a group or an API, not both). */
  api: string | null;
  /** True when the caller runs with the access of the document's API group or API (partners, API consumers). */
  scopedByDocument: boolean;
  /** An APQ registration to store once the operation is accepted (src/documents/apq-registration.ts). */
  register?: () => Promise<void>;
}

export interface ExecutionRecord {
  operationName?: string | null;
  /** query, mutation or subscription, once the operation is resolved. */
  operationKind?: string;
  /** Codes of the errors answered (request-level and field errors). */
  errorCodes: string[];
  /** What the first error said about why (`extensions.limit` or `extensions.reason`), for refusal metrics. */
  reason?: string;
}

export interface GraphQLContext extends RequestScope {
  principal: Principal;
  /**
   * The access service of this principal over this request's loaders (src/auth/access/): the one
   * place that decides which UEM objects the caller may see or act on. Made with the principal
   * (`requestContext`, `withPrincipal`): a context with another principal or other loaders gets its own.
   */
  access: Access;
  services: GatewayServices;
  /** The operation's name as the client sent it (for the audit trail and logs). */
  operationName?: string | null;
  /**
   * What the request log line and metrics learn while the operation runs. Shared by reference
   * (Apollo runs each operation on a shallow copy of the context).
   */
  execution?: ExecutionRecord;
  document?: RequestDocument;
  /** Root mutation fields `withAudit` already recorded in this request (the denial plugin skips them). */
  auditedFields?: Set<string>;
  /**
   * The request's share of the process's memory budget; the safety plugin reserves the operation's
   * estimated peak in it before execution. Shared by reference; the server (or the export) releases it.
   */
  memory?: MemoryLease;
  /**
   * The rate-limit token taken at the door, before the document was read (src/safety/request-tokens.ts);
   * shared by reference, so the first operation executed spends it and later ones (export pages) take their own.
   */
  requestToken?: { unspent: boolean };
}

/** The context of a request once its caller is known. */
export function requestContext(scope: RequestScope, principal: Principal, services: GatewayServices): GraphQLContext {
  return copyWith(scope, { principal, services, access: services.access.forRequest(principal, scope.loaders) });
}

/** The same request under another principal (a trusted document's access) or with fresh loaders (an export's page). */
export function withPrincipal(ctx: GraphQLContext, principal: Principal, scope: RequestScope = ctx): GraphQLContext {
  // Not a spread followed by fields (src/object-copy.ts).
  return Object.assign({}, ctx, scope, { principal, access: ctx.services.access.forRequest(principal, scope.loaders) });
}

/**
 * Fresh loaders and datasource views for one request: its upstream calls are counted, logged at
 * debug level with the request id, and traced when tracing is on.
 */
export function createRequestScope(services: GatewayServices, requestId: string, trace?: RequestTrace): RequestScope {
  const upstreamCalls: UpstreamCallCounts = { uem: 0, harmony: 0 };
  const debug = services.logger.isLevelEnabled('debug');
  const onUpstreamCall = (upstream: UpstreamName, operation: string) => {
    upstreamCalls[upstream]++;
    const span = trace?.upstreamCall(upstream, operation);
    if (!span && !debug) return undefined;
    return {
      headers: span?.headers,
      done(status: string, durationMs: number) {
        span?.end(status);
        if (debug) services.logger.debug({ requestId, upstream, operation, status, durationMs: Math.round(durationMs * 10) / 10 }, 'upstream call');
      },
    };
  };
  const uem = services.uem.forRequest({ onUpstreamCall });
  const harmony = services.harmony.forRequest({ onUpstreamCall });
  const { uem: uemSettings } = services.loaderSettings;
  const loaderSettings = trace
    ? {
        ...services.loaderSettings,
        uem: {
          ...uemSettings,
          onBatch: (loader: string, keys: number) => {
            uemSettings.onBatch?.(loader, keys);
            return trace.loaderBatch(loader, keys);
          },
        },
      }
    : services.loaderSettings;
  const staleLog = new StaleLog();
  return {
    requestId,
    uem,
    harmony,
    upstreamCalls,
    trace,
    loaderSettings,
    staleLog,
    loaders: createLoaders({ uem, harmony }, services.cache, loaderSettings, services.snapshots, staleLog),
  };
}
