/**
 * The document-naming parts of a GraphQL-over-HTTP request, read from a POST body or a GET query
 * string, and the rewrite handed to Apollo Server once the document is known: `query` set to the
 * document text, `documentId` and the APQ extension removed (Apollo's own APQ is off).
 */
import { copyWith } from '../object-copy.js';
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
  /** Why `extensions.persistedQuery` cannot be read, when it is there but malformed. */
  apqProblem?: string;
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

/** The APQ hash of `extensions.persistedQuery` (version 1, as Apollo Client sends it), or why it is unreadable. */
function persistedQueryOf(extensions: Record<string, unknown> | undefined): Pick<DocumentParams, 'apqHash' | 'apqProblem'> {
  const persisted = extensions?.persistedQuery;
  if (persisted === undefined) return { apqHash: undefined };
  if (!isRecord(persisted) || typeof persisted.sha256Hash !== 'string') {
    return { apqHash: undefined, apqProblem: 'extensions.persistedQuery must be an object with a string sha256Hash (and version 1).' };
  }
  if (persisted.version !== undefined && persisted.version !== 1) {
    return { apqHash: undefined, apqProblem: 'Unsupported persisted query version: only version 1 is.' };
  }
  return { apqHash: persisted.sha256Hash };
}

export function readDocumentParams(request: HttpGraphQLRequest): DocumentParams {
  const apq = persistedQueryOf(extensionsOf(request));
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    return { query: params.get('query') ?? undefined, documentId: params.get('documentId') ?? undefined, ...apq, readable: true };
  }
  const body = request.body;
  if (!isRecord(body)) return { query: undefined, documentId: undefined, apqHash: undefined, readable: false };
  return {
    query: typeof body.query === 'string' ? body.query : undefined,
    documentId: typeof body.documentId === 'string' ? body.documentId : undefined,
    ...apq,
    readable: true,
  };
}

/** The request Apollo executes: the document's text in `query`, the naming parts removed. */
export function withQueryText(request: HttpGraphQLRequest, text: string): HttpGraphQLRequest {
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    params.delete('documentId');
    // Extensions that are not a JSON object are left as sent: Apollo Server refuses them with a 400.
    const extensions = extensionsOf(request);
    if (extensions) {
      params.delete('extensions');
      const { persistedQuery: _apq, ...rest } = extensions;
      if (Object.keys(rest).length > 0) params.set('extensions', JSON.stringify(rest));
    }
    params.set('query', text);
    return copyWith(request, { search: `?${params.toString()}` });
  }
  const { documentId: _id, extensions, ...rest } = request.body as Record<string, unknown>;
  const body: Record<string, unknown> = copyWith(rest, { query: text });
  if (isRecord(extensions)) {
    const { persistedQuery: _apq, ...others } = extensions;
    if (Object.keys(others).length > 0) body.extensions = others;
  } else if (extensions !== undefined) {
    body.extensions = extensions; // not an object: Apollo Server refuses it with a 400
  }
  return copyWith(request, { body });
}
