/**
 * Shared by the persona suite: demo devices per environment (read from the UEM simulator's state),
 * partner API keys created through `createApiKey` as ada, and requests made with such a key.
 */
import { expect } from 'vitest';
import { expectData, type GqlResult, type TestGateway } from './gateway.js';
import { ADA, GROUP_OF, type Env } from './matrix.table.js';

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
