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
import type { EnvironmentMap } from './domain/environment-map.js';
import type { DocumentRegistry } from './documents/registry.js';
import { createLoaders, type LoaderSettings, type Loaders, type TtlCache } from './loaders/index.js';
import type { Logger } from './logger.js';
import type { Database } from './store/database.types.js';
import type { BoundStore } from './store/bound.js';
import type { UpstreamName } from './errors.js';

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
  environmentMap: EnvironmentMap;
  loaderSettings: LoaderSettings;
  /** Trusted documents and the APQ store (database behind an in-memory LRU). */
  documents: DocumentRegistry;
}

/** What one request's work is counted in (reported in logs and, on request, in extensions). */
export type UpstreamCallCounts = Record<UpstreamName, number>;

export interface RequestScope {
  requestId: string;
  loaders: Loaders;
  uem: UemDatasource;
  harmony: HarmonyDatasource;
  upstreamCalls: UpstreamCallCounts;
}

/** How the request named its document (set by the document pipeline in src/documents/). */
export interface RequestDocument {
  /** sha256 hex of the document text (the trusted document's or APQ hash, or of the free text). */
  hash: string;
  source: 'persisted' | 'apq' | 'text';
  /** The API group a trusted document is registered under. */
  apiGroup: string | null;
  /** True when the caller runs with the access of the document's API group (partners, API consumers). */
  scopedByDocument: boolean;
}

export interface GraphQLContext extends RequestScope {
  principal: Principal;
  services: GatewayServices;
  /** The operation's name as the client sent it (for the audit trail and logs). */
  operationName?: string | null;
  /** query, mutation or subscription, once the operation is resolved. */
  operationKind?: string;
  /** Error codes raised while the operation ran (for the request log line). */
  errorCodes?: string[];
  document?: RequestDocument;
  /** Root mutation fields `withAudit` already recorded in this request (the denial plugin skips them). */
  auditedFields?: Set<string>;
}

/** Fresh loaders and datasource views for one request, counting its upstream calls. */
export function createRequestScope(services: GatewayServices, requestId: string): RequestScope {
  const upstreamCalls: UpstreamCallCounts = { uem: 0, harmony: 0 };
  const onUpstreamCall = (upstream: UpstreamName) => {
    upstreamCalls[upstream]++;
  };
  const uem = services.uem.forRequest({ onUpstreamCall });
  const harmony = services.harmony.forRequest({ onUpstreamCall });
  return {
    requestId,
    uem,
    harmony,
    upstreamCalls,
    loaders: createLoaders({ uem, harmony }, services.cache, services.loaderSettings),
  };
}
