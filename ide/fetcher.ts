/**
 * The IDE's fetcher: one POST per operation to the gateway, as GraphQL over HTTP asks, with the
 * headers editor's headers. Without credentials it answers locally with how to add them instead
 * of sending a request that can only fail.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import { credentialOf, NO_CREDENTIALS_MESSAGE, type Headers } from './credentials.js';

export interface FetcherParams {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

/** An answer made in the browser (nothing was sent, or the gateway's body was unreadable). */
const localError = (message: string): ExecutionResult => ({ data: null, errors: [new GraphQLError(message)] });

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export function createFetcher(endpoint: string, fetchImpl: Fetch = (input, init) => fetch(input, init)) {
  return async function fetcher(params: FetcherParams, options?: { headers?: Headers }): Promise<ExecutionResult> {
    const headers = options?.headers;
    if (!credentialOf(headers)) return localError(NO_CREDENTIALS_MESSAGE);
    const sent: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    for (const [name, value] of Object.entries(headers ?? {})) if (typeof value === 'string') sent[name] = value;
    const response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: sent,
      body: JSON.stringify({ query: params.query, operationName: params.operationName ?? undefined, variables: params.variables ?? undefined }),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as ExecutionResult;
    } catch {
      return localError(`The gateway answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
  };
}
