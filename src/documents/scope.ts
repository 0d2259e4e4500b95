/**
 * Who runs a trusted document. A document may be registered under an API group or under an API
 * (never both). Partners (external users) run only documents of the API groups granted to them in
 * Harmony, and of the APIs granted to them — on their own, or through a granted group that holds
 * the API — in the environment the API is published in; Harmony users with API_CONSUMER and READ
 * access in the group's (API's) environment run the same documents. Both then read with the
 * document's scope: a request principal holding READ in that environment and nothing else, so the
 * ordinary capability checks and row scope apply and nothing on the Harmony side is reachable.
 * Harmony users who may send free text run documents with their own access.
 */
import { holds } from '../auth/capabilities.js';
import type { Principal } from '../auth/principal.js';
import type { HarmonyApi, HarmonyApiGroup } from '../datasources/harmony/harmony.schemas.js';
import type { PersistedDocument } from '../store/documents.repository.js';

export type DocumentAccess =
  | { allowed: true; principal: Principal; scopedByDocument: boolean }
  | { allowed: false; reason: string };

/** What a document's scope is looked up in: the organization's API groups and published APIs. */
export interface ScopeCatalog {
  apiGroups: readonly HarmonyApiGroup[];
  apis: readonly HarmonyApi[];
}

/** The environment a document's scope lives in, and whether an external user holds its grant. */
interface DocumentScope {
  envId: string;
  granted(p: Principal): boolean;
}

const named = (value: string | null) => value?.trim().toLowerCase() || undefined;

/** The API group a document is registered under, by id or by name (any case). */
export function groupOf(document: Pick<PersistedDocument, 'apiGroup'>, groups: readonly HarmonyApiGroup[]): HarmonyApiGroup | undefined {
  const wanted = named(document.apiGroup);
  if (!wanted) return undefined;
  return groups.find((g) => g.apiGroupId.toLowerCase() === wanted) ?? groups.find((g) => g.name.toLowerCase() === wanted);
}

/**
 * The API a document is registered under: by id, or by name (any case) when exactly one API has
 * it (the same name in two environments names neither: register such documents by id).
 */
export function apiOf(document: Pick<PersistedDocument, 'api'>, apis: readonly HarmonyApi[]): HarmonyApi | undefined {
  const wanted = named(document.api);
  if (!wanted) return undefined;
  const byId = apis.find((a) => a.apiId.toLowerCase() === wanted);
  if (byId) return byId;
  const byName = apis.filter((a) => a.name.toLowerCase() === wanted);
  return byName.length === 1 ? byName[0] : undefined;
}

function scopeOf(document: PersistedDocument, catalog: ScopeCatalog): DocumentScope | undefined {
  if (document.api) {
    const api = apiOf(document, catalog.apis);
    return api && { envId: api.envId, granted: (p) => p.apis.some((a) => a.apiId === api.apiId && a.envId === api.envId) };
  }
  const group = groupOf(document, catalog.apiGroups);
  return group && { envId: group.envId, granted: (p) => p.apiGroupIds.includes(group.apiGroupId) };
}

/** The principal a document runs with: READ in the scope's environment, nothing else. */
export function documentScopedPrincipal(p: Principal, envId: string): Principal {
  return {
    ...p,
    isAdmin: false,
    permissions: new Set(['READ']),
    access: new Map([[envId, new Set(['READ'] as const)]]),
  };
}

export function documentAccess(p: Principal, document: PersistedDocument, catalog: ScopeCatalog): DocumentAccess {
  const scope = scopeOf(document, catalog);
  if (p.kind === 'EXTERNAL_USER') {
    if (!scope || !scope.granted(p) || !holds(p, 'runPartnerDocuments', scope.envId)) {
      return {
        allowed: false,
        reason: document.api
          ? 'This document is registered under an API that is not granted to you.'
          : 'This document is not registered under an API group granted to you.',
      };
    }
    return { allowed: true, principal: documentScopedPrincipal(p, scope.envId), scopedByDocument: true };
  }
  if (holds(p, 'sendFreeText')) return { allowed: true, principal: p, scopedByDocument: false };
  if (scope && holds(p, 'runPartnerDocuments', scope.envId)) {
    return { allowed: true, principal: documentScopedPrincipal(p, scope.envId), scopedByDocument: true };
  }
  // Viewer-only callers (AGENT_INSTALL alone, …) run documents as they would send the text.
  return { allowed: true, principal: p, scopedByDocument: false };
}
