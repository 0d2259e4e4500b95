/**
 * Who runs a trusted document. Partners (external users) run only documents registered under the
 * API groups granted to them in Harmony; Harmony users with API_CONSUMER and READ access in the
 * group's environment run the same documents. Both then read with the document's scope: a request
 * principal holding READ in the group's environment and nothing else, so the ordinary capability
 * checks and row scope apply and nothing on the Harmony side is reachable. Harmony users who may
 * send free text run documents with their own access.
 */
import { holds } from '../auth/capabilities.js';
import type { Principal } from '../auth/principal.js';
import type { HarmonyApiGroup } from '../datasources/harmony/harmony.schemas.js';
import type { PersistedDocument } from '../store/documents.repository.js';

export type DocumentAccess =
  | { allowed: true; principal: Principal; scopedByDocument: boolean }
  | { allowed: false; reason: string };

/** The API group a document is registered under, by id or by name (any case). */
export function groupOf(document: PersistedDocument, groups: readonly HarmonyApiGroup[]): HarmonyApiGroup | undefined {
  const wanted = document.apiGroup?.trim().toLowerCase();
  if (!wanted) return undefined;
  return groups.find((g) => g.apiGroupId.toLowerCase() === wanted) ?? groups.find((g) => g.name.toLowerCase() === wanted);
}

/** The principal a document runs with: READ in the group's environment, nothing else. */
export function documentScopedPrincipal(p: Principal, envId: string): Principal {
  return {
    ...p,
    isAdmin: false,
    permissions: new Set(['READ']),
    access: new Map([[envId, new Set(['READ'] as const)]]),
  };
}

export function documentAccess(p: Principal, document: PersistedDocument, groups: readonly HarmonyApiGroup[]): DocumentAccess {
  const group = groupOf(document, groups);
  if (p.kind === 'EXTERNAL_USER') {
    if (!group || !p.apiGroupIds.includes(group.apiGroupId) || !holds(p, 'runPartnerDocuments', group.envId)) {
      return { allowed: false, reason: 'This document is not registered under an API group granted to you.' };
    }
    return { allowed: true, principal: documentScopedPrincipal(p, group.envId), scopedByDocument: true };
  }
  if (holds(p, 'sendFreeText')) return { allowed: true, principal: p, scopedByDocument: false };
  if (group && holds(p, 'runPartnerDocuments', group.envId)) {
    return { allowed: true, principal: documentScopedPrincipal(p, group.envId), scopedByDocument: true };
  }
  // Viewer-only callers (AGENT_INSTALL alone, …) run documents as they would send the text.
  return { allowed: true, principal: p, scopedByDocument: false };
}
