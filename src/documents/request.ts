/**
 * The document-naming parts of a GraphQL-over-HTTP request, read from a POST body or a GET query
 * string, and the rewrite handed to Apollo Server once the document is known: `query` set to the
 * document text, `documentId` and the APQ extension removed (Apollo's own APQ is off).
 */
export interface HttpGraphQLRequest {
  method: string;
  body: unknown;
  search: string;
}

export interface DocumentParams {
  query: string | undefined;
  documentId: string | undefined;
  /** `extensions.persistedQuery.sha256Hash`. */
  apqHash: string | undefined;
  /** Whether the request could be read as one GraphQL request (not a batch, not malformed). */
  readable: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function extensionsOf(request: HttpGraphQLRequest): Record<string, unknown> | undefined {
  if (request.method === 'GET') {
    const raw = new URLSearchParams(request.search).get('extensions');
    if (!raw) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return isRecord(request.body) && isRecord(request.body.extensions) ? request.body.extensions : undefined;
}

export function readDocumentParams(request: HttpGraphQLRequest): DocumentParams {
  const persisted = extensionsOf(request)?.persistedQuery;
  const apqHash = isRecord(persisted) && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    return { query: params.get('query') ?? undefined, documentId: params.get('documentId') ?? undefined, apqHash, readable: true };
  }
  const body = request.body;
  if (!isRecord(body)) return { query: undefined, documentId: undefined, apqHash: undefined, readable: false };
  return {
    query: typeof body.query === 'string' ? body.query : undefined,
    documentId: typeof body.documentId === 'string' ? body.documentId : undefined,
    apqHash,
    readable: true,
  };
}

/** The request Apollo executes: the document's text in `query`, the naming parts removed. */
export function withQueryText(request: HttpGraphQLRequest, text: string): HttpGraphQLRequest {
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    params.delete('documentId');
    const extensions = extensionsOf(request);
    params.delete('extensions');
    if (extensions) {
      const { persistedQuery: _apq, ...rest } = extensions;
      if (Object.keys(rest).length > 0) params.set('extensions', JSON.stringify(rest));
    }
    params.set('query', text);
    return { ...request, search: `?${params.toString()}` };
  }
  const { documentId: _id, extensions, ...rest } = request.body as Record<string, unknown>;
  const body: Record<string, unknown> = { ...rest, query: text };
  if (isRecord(extensions)) {
    const { persistedQuery: _apq, ...others } = extensions;
    if (Object.keys(others).length > 0) body.extensions = others;
  }
  return { ...request, body };
}
