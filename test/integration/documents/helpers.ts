/**
 * Helpers of the trusted-documents suites: manifests in both formats (hashed with the rule the
 * gateway verifies: sha256 of the body as sent), registration through the mutation, and raw
 * GraphQL-over-HTTP calls naming a document by id (POST body, GET query parameter) or by APQ hash.
 */
import { createHash } from 'node:crypto';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { expectData, type GqlResult, type TestGateway } from '../../helpers/gateway.js';

export const ADA = 'ada.admin@demo.example';
export const sha256 = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

/** graphql-codegen client preset / Relay: `{ "<sha256>": "<document>" }`. */
export const flatManifest = (...bodies: string[]) => Object.fromEntries(bodies.map((b) => [sha256(b), b]));

/** Apollo's apollo-persisted-query-manifest version 1. */
export function apolloManifest(...bodies: string[]) {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: bodies.map((body) => {
      const op = parse(body).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      return { id: sha256(body), body, name: op?.name?.value ?? '', type: op?.operation ?? 'query' };
    }),
  };
}

const REGISTER = `mutation Register($input: RegisterPersistedDocumentsInput!) {
  registerPersistedDocuments(input: $input) { created unchanged updated }
}`;
export type Registered = { created: string[]; unchanged: string[]; updated: string[] };

/** `scope`: an API group (name or id), or `{ api }` for documents registered under an API. */
export type Scope = string | { api: string; apiGroup?: string };

export function registerRaw(gw: TestGateway, manifest: unknown, clientName: string, scope?: Scope) {
  const scoped = typeof scope === 'object' ? scope : { apiGroup: scope };
  return gw.gql<{ registerPersistedDocuments: Registered }>(REGISTER, {
    as: ADA,
    variables: { input: { manifest: JSON.stringify(manifest), clientName, ...scoped } },
  });
}

export async function register(gw: TestGateway, manifest: unknown, clientName: string, scope?: Scope): Promise<Registered> {
  return expectData(await registerRaw(gw, manifest, clientName, scope), REGISTER).registerPersistedDocuments;
}

export type Auth = { jwt: string } | { apiKey: string };
export const authHeaders = (auth: Auth): Record<string, string> =>
  'jwt' in auth ? { authorization: `Bearer ${auth.jwt}` } : { authorization: `ApiKey ${auth.apiKey}` };

export interface Call {
  documentId?: string;
  query?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
  operationName?: string;
  method?: 'GET' | 'POST';
}

/** One GraphQL-over-HTTP request, as a client library would send it. */
export async function call<T = Record<string, unknown>>(gw: TestGateway, auth: Auth, request: Call): Promise<GqlResult<T>> {
  const { method = 'POST', ...fields } = request;
  let res: Response;
  if (method === 'GET') {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    res = await fetch(`${gw.url}/graphql?${params}`, { headers: authHeaders(auth) });
  } else {
    res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders(auth) }, body: JSON.stringify(fields) });
  }
  const text = await res.text();
  let body: GqlResult<T>['body'];
  try {
    body = JSON.parse(text) as GqlResult<T>['body'];
  } catch {
    throw new Error(`non-JSON response ${res.status}: ${text.slice(0, 300)}`);
  }
  return { status: res.status, headers: res.headers, body, requestId: res.headers.get('x-request-id') };
}

/** A working API key for an external user, created by ADMIN. */
export async function partnerKey(gw: TestGateway, email: string): Promise<string> {
  const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`;
  const data = expectData(
    await gw.gql<{ createApiKey: { key: string } }>(CREATE, { as: ADA, variables: { input: { ownerEmail: email, kind: 'EXTERNAL_USER', label: 'test' } } }),
    CREATE,
  );
  return data.createApiKey.key;
}
