/**
 * Small response helpers shared by the routes: JSON, GraphQL-shaped errors, content negotiation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** The media type a GraphQL response is sent with, as the client asked (GraphQL over HTTP). */
export function graphqlMediaType(req: IncomingMessage): string {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/graphql-response+json')
    ? 'application/graphql-response+json; charset=utf-8'
    : 'application/json; charset=utf-8';
}

/** A request-level GraphQL error response (no `data`), e.g. 401 UNAUTHENTICATED or 413. */
export function sendGraphQLError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  extensions: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  sendGraphQLErrors(req, res, status, [{ message, extensions }], headers);
}

/** The same with several errors (e.g. a document's validation errors). */
export function sendGraphQLErrors(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  errors: readonly GraphQLFormattedError[],
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify({ errors });
  res.writeHead(status, {
    'content-type': graphqlMediaType(req),
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Adds names to the response's `Vary` header, keeping those already set (once each). */
export function appendVary(res: ServerResponse, names: string): void {
  const current = res.getHeader('vary');
  const all = [...String(current ?? '').split(','), ...names.split(',')].map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  res.setHeader('vary', [...new Set(all)].join(', '));
}
