/**
 * Shared by the persona suite: demo devices per environment (read from the UEM simulator's state),
 * partner API keys created through `createApiKey` as ada, requests made with such a key, and
 * requests made as a persona the way that persona can make them (free text, or a trusted document).
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { expectData, type GqlResult, type TestGateway } from './gateway.js';
import { ADA, allows, GROUP_OF, type Env } from './matrix.table.js';

/** Enrolled device ids of an environment's organization group, skipping the first `skip`. */
export function devicesIn(gw: TestGateway, env: Env, count: number, skip = 0): string[] {
  return [...gw.app.simulators.uem!.state.devices.values()]
    .filter((d) => d.locationGroupId === GROUP_OF[env] && d.enrollmentStatus === 'Enrolled')
    .slice(skip, skip + count)
    .map((d) => String(d.id));
}

/** The environment of a demo device id. */
export function envOfDevice(gw: TestGateway, id: string): Env | undefined {
  const group = gw.app.simulators.uem!.state.devices.get(Number(id))?.locationGroupId;
  return (Object.entries(GROUP_OF) as [Env, number][]).find(([, g]) => g === group)?.[0];
}

const CREATE_KEY = `mutation Create($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`;

/** An API key for `ownerEmail`, created through the GraphQL API by ada. */
export async function createKey(gw: TestGateway, ownerEmail: string, kind: 'EXTERNAL_USER' | 'HARMONY_USER' = 'EXTERNAL_USER'): Promise<string> {
  const data = expectData(
    await gw.gql<{ createApiKey: { key: string } }>(CREATE_KEY, { as: ADA, variables: { input: { ownerEmail, kind, label: 'matrix' } } }),
    CREATE_KEY,
  );
  return data.createApiKey.key;
}

/** A request authenticated with an API key. */
export function withKey<T = Record<string, unknown>>(gw: TestGateway, key: string, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  return gw.gql<T>(query, { variables, headers: { authorization: `ApiKey ${key}` } });
}

/** Asserts a single FORBIDDEN error at `path`, with no data at the root. */
export function expectForbiddenAt(result: GqlResult<unknown>, path: (string | number)[], label: string): void {
  const errors = result.body.errors ?? [];
  expect(errors.map((e) => [e.extensions?.code, e.path]), `${label}: ${JSON.stringify(result.body)}`).toEqual([['FORBIDDEN', path]]);
}

/** A short description of a response for assertion messages. */
export const show = (label: string, result: GqlResult<unknown>) => `${label}\nrequest id: ${result.requestId}\n${JSON.stringify(result.body).slice(0, 1500)}`;

const REGISTER = `mutation Register($input: RegisterPersistedDocumentsInput!) { registerPersistedDocuments(input: $input) { created unchanged } }`;
const trustedByApp = new WeakMap<RunningApp, Set<string>>();

/** `query` registered by ada as a trusted document of the persona suite (no API group); its id. */
export async function trust(gw: TestGateway, query: string): Promise<string> {
  const hash = createHash('sha256').update(query, 'utf8').digest('hex');
  const trusted = trustedByApp.get(gw.app) ?? new Set<string>();
  trustedByApp.set(gw.app, trusted);
  if (!trusted.has(hash)) {
    const input = { manifest: JSON.stringify({ [hash]: query }), clientName: 'persona-matrix' };
    expectData(await gw.gql(REGISTER, { as: ADA, variables: { input } }), REGISTER);
    trusted.add(hash);
  }
  return `sha256:${hash}`;
}

/**
 * `query` as `persona`: free text for holders of `sendFreeText`; for everyone else (refused free
 * text with PERSISTED_QUERY_REQUIRED) the same text as a trusted document, so the cells behind
 * that door are still checked field by field.
 */
export async function asPersona<T = Record<string, unknown>>(
  gw: TestGateway,
  persona: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult<T>> {
  if (allows(persona, 'sendFreeText')) return gw.gql<T>(query, { as: persona, variables });
  return gw.gql<T>(query, { as: persona, variables, documentId: await trust(gw, query) });
}
