/**
 * The document step of a request (docs/design.md §2), run after authentication and before Apollo:
 * which document the request names (a trusted document by `documentId` or by the APQ hash, an APQ
 * entry, or free text), whether this principal may run it, and with which access. Apollo then gets
 * the text in `query`; its own APQ is off so both kinds of persisted document share this path.
 *
 * - Free text, and APQ (registration is free text by another name, and a stored entry is text some
 *   other caller sent), are for holders of `sendFreeText` alone — the capability `viewer.can`
 *   answers from. Everyone else (partners, and Harmony users without READ or ADMIN: AGENT_INSTALL or
 *   API_CONSUMER alone, only inactive assignments or roles) runs trusted documents only, and is
 *   refused with PERSISTED_QUERY_REQUIRED; a Harmony user's text that only introspects the schema
 *   is not data, and INTROSPECTION decides it as for everyone.
 * - An unknown `documentId`, or an APQ hash nobody registered yet: PERSISTED_QUERY_NOT_FOUND.
 * - APQ hash plus text registers the text, per-principal budgeted and only once Apollo accepts the
 *   operation (apq-registration.ts).
 * - A GET of a trusted query whose data is set by the document's scope alone may be cached.
 */
import { Kind, parse } from 'graphql';
import type { Principal } from '../auth/principal.js';
import { withPrincipal, type GraphQLContext, type RequestDocument } from '../context.js';
import { ErrorCode, httpStatusOf, isUpstreamError } from '../errors.js';
import { isIntrospectionDocument } from '../safety/introspection.js';
import { sha256Hex, type PersistedDocument } from '../store/documents.repository.js';
import type { ApqRegistration } from './apq-registration.js';
import type { DocumentRegistry } from './registry.js';
import { readDocumentParams, withQueryText, type HttpGraphQLRequest } from './request.js';
import { documentAccess } from './scope.js';
import { copyWith } from '../object-copy.js';

export type PipelineOutcome =
  | { ok: true; request: HttpGraphQLRequest; context: GraphQLContext; cacheable: boolean }
  | { ok: false; status: number; message: string; extensions: Record<string, unknown> };

export interface DocumentPipelineDeps {
  registry: DocumentRegistry;
  /** APQ registrations: budgeted per principal, stored once the operation is accepted. */
  apq: ApqRegistration;
  /** Called when free text is refused (the audit trail records refused mutations). */
  onRefused?(ctx: GraphQLContext, text: string | undefined, variables: unknown, code: ErrorCode): Promise<void>;
}

const HASH = /^[0-9a-f]{64}$/;
const normalizeId = (id: string): string | undefined => {
  const hash = id.trim().replace(/^sha256:/i, '').toLowerCase();
  return HASH.test(hash) ? hash : undefined;
};

const refuse = (code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): PipelineOutcome => ({
  ok: false,
  status: httpStatusOf[code],
  message,
  extensions: { ...extensions, code },
});

/** Apollo Client's persisted-query link retries with the text on this exact message and code. */
const notFound = () => refuse(ErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound');
const required = (p: Principal) =>
  refuse(
    ErrorCode.PERSISTED_QUERY_REQUIRED,
    p.kind === 'EXTERNAL_USER'
      ? 'Partners may only run documents registered for their API groups and APIs: send a documentId.'
      : 'Free-text documents need the READ or ADMIN permission in an active role: send the documentId of a registered document.',
    { capability: 'sendFreeText' },
  );

/** Whether a document reads the caller itself (`viewer`): its response is per-user. */
function readsViewer(body: string): boolean {
  return parse(body, { noLocation: true }).definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.selectionSet.selections.some((s) => s.kind !== Kind.FIELD || s.name.value === 'viewer'),
  );
}

function variablesOf(request: HttpGraphQLRequest): unknown {
  if (request.method === 'GET') return new URLSearchParams(request.search).get('variables');
  const body = request.body as { variables?: unknown } | undefined;
  return body?.variables;
}

export function createDocumentPipeline(deps: DocumentPipelineDeps) {
  const { registry } = deps;

  async function trusted(request: HttpGraphQLRequest, ctx: GraphQLContext, doc: PersistedDocument): Promise<PipelineOutcome> {
    const invalid = registry.isInvalid(doc.hash);
    if (invalid) {
      return refuse(ErrorCode.INTERNAL_SERVER_ERROR, 'This registered document no longer validates against the schema; its owner must register a new version.', {
        reason: 'PERSISTED_DOCUMENT_INVALID',
        documentId: `sha256:${doc.hash}`,
      });
    }
    // Only the list the document's scope is looked up in (cached reference data).
    const [apiGroups, apis] = await Promise.all([
      doc.apiGroup ? ctx.loaders.harmony.apiGroups() : [],
      doc.api ? ctx.loaders.harmony.apis() : [],
    ]);
    const access = documentAccess(ctx.principal, doc, { apiGroups, apis });
    if (!access.allowed) return refuse(ErrorCode.FORBIDDEN, access.reason, { documentId: `sha256:${doc.hash}` });
    const document: RequestDocument = { hash: doc.hash, source: 'persisted', apiGroup: doc.apiGroup, api: doc.api, scopedByDocument: access.scopedByDocument };
    const cacheable = request.method === 'GET' && doc.operationType === 'query' && access.scopedByDocument && !readsViewer(doc.body);
    return { ok: true, request: withQueryText(request, doc.body), context: copyWith(withPrincipal(ctx, access.principal), { document }), cacheable };
  }

  const run = (
    request: HttpGraphQLRequest,
    ctx: GraphQLContext,
    text: string,
    source: 'apq' | 'text',
    hash = sha256Hex(text),
    register?: () => Promise<void>,
  ): PipelineOutcome => ({
    ok: true,
    request: withQueryText(request, text),
    context: copyWith(ctx, { document: { hash, source, apiGroup: null, api: null, scopedByDocument: false, ...(register ? { register } : {}) } }),
    cacheable: false,
  });

  async function decide(request: HttpGraphQLRequest, ctx: GraphQLContext): Promise<PipelineOutcome> {
    const params = readDocumentParams(request);
    const trustedOnly = !ctx.access.holds('sendFreeText');
    if (!params.readable) return trustedOnly ? required(ctx.principal) : { ok: true, request, context: ctx, cacheable: false };
    if (params.apqProblem) return refuse(ErrorCode.BAD_USER_INPUT, params.apqProblem, { reason: 'PERSISTED_QUERY_INVALID' });
    if (params.documentId !== undefined) {
      const hash = normalizeId(params.documentId);
      if (!hash) return refuse(ErrorCode.BAD_USER_INPUT, 'documentId must be "sha256:<64 hex digits>" or the 64 hex digits alone.');
      if (params.query !== undefined && sha256Hex(params.query) !== hash) {
        return refuse(ErrorCode.BAD_USER_INPUT, 'The query text does not match documentId: send one or the other.');
      }
      const doc = await registry.trusted(hash);
      return doc ? trusted(request, ctx, doc) : notFound();
    }
    if (params.apqHash !== undefined) {
      const hash = normalizeId(params.apqHash);
      if (!hash) return refuse(ErrorCode.BAD_USER_INPUT, 'extensions.persistedQuery.sha256Hash must be 64 hex digits.');
      const doc = await registry.trusted(hash);
      if (doc) return trusted(request, ctx, doc);
      // APQ is a bandwidth saver, never a way to run text for a caller held to trusted documents.
      if (trustedOnly) return params.query === undefined ? notFound() : refused(ctx, request, params.query);
      if (params.query === undefined) {
        const body = await registry.apqGet(hash);
        return body === undefined ? notFound() : run(request, ctx, body, 'apq', hash);
      }
      if (sha256Hex(params.query) !== hash) {
        return refuse(ErrorCode.BAD_USER_INPUT, 'provided sha does not match query', { reason: 'PERSISTED_QUERY_HASH_MISMATCH' });
      }
      // Stored already (by anyone): nothing to register. Otherwise stored once the operation is accepted.
      const stored = (await registry.apqGet(hash)) !== undefined;
      const register = stored ? undefined : deps.apq.claim(ctx, hash, params.query);
      return run(request, ctx, params.query, 'apq', hash, register);
    }
    // Asking the schema is not free text: tools of Harmony users get it while INTROSPECTION allows.
    // Only asked of callers held to trusted documents (it parses the text): for the others it decides nothing.
    if (trustedOnly && !(ctx.principal.kind === 'HARMONY_USER' && params.query !== undefined && isIntrospectionDocument(params.query))) {
      return refused(ctx, request, params.query);
    }
    return params.query === undefined ? { ok: true, request, context: ctx, cacheable: false } : run(request, ctx, params.query, 'text');
  }

  async function refused(ctx: GraphQLContext, request: HttpGraphQLRequest, text: string | undefined): Promise<PipelineOutcome> {
    await deps.onRefused?.(ctx, text, variablesOf(request), ErrorCode.PERSISTED_QUERY_REQUIRED);
    return required(ctx.principal);
  }

  /** Never throws for upstream failures (API groups and APIs come from Harmony): they become coded refusals. */
  return async function resolveDocument(request: HttpGraphQLRequest, ctx: GraphQLContext): Promise<PipelineOutcome> {
    try {
      return await decide(request, ctx);
    } catch (err) {
      if (isUpstreamError(err)) return refuse(err.code, err.message, { upstream: err.upstream });
      throw err;
    }
  };
}

export type DocumentPipeline = ReturnType<typeof createDocumentPipeline>;
