/**
 * Deeply nested JSON anywhere in a request (issue 15): the variables, the extensions, any other
 * key of a POST body, a GET's `variables` and `extensions`, the variables of an export. Each is
 * answered 400 BAD_USER_INPUT with `reason: JSON_TOO_DEEP` and the limit, never a 500 (a walk of
 * 100,000 levels used to overflow the stack in the variables-size check), and nothing is asked of
 * the upstreams. JSON within LIMIT_JSON_DEPTH still runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { exportGet } from '../export/export.kit.js';
import { ADMIN, JSON_HEADERS, codesOf, expectNoUemRequest, raw, resetUpstreams, type RawResult } from './safety.kit.js';

const LIMIT = 32;
const QUERY = 'query Who($e: String!) { person(email: $e) { email } }';

/** `{"a":{"a":…1…}}` as text, `depth` objects deep (built as text: no recursion anywhere). */
const nestedObjectText = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArrayText = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedValue = (depth: number): unknown => JSON.parse(nestedObjectText(depth));

function expectTooDeep(result: { status: number; text: string }, codes: unknown[], extensions: Record<string, unknown> | undefined) {
  expect(result.status, result.text.slice(0, 500)).toBe(400);
  expect(codes, result.text.slice(0, 500)).toEqual(['BAD_USER_INPUT']);
  expect(extensions).toMatchObject({ reason: 'JSON_TOO_DEEP', max: LIMIT });
}

describe('nested JSON in a request', () => {
  let gw: TestGateway;
  let auth: Record<string, string>;
  beforeAll(async () => {
    gw = await startTestGateway({ LIMIT_JSON_DEPTH: String(LIMIT) });
    auth = { authorization: `Bearer ${await gw.token(ADMIN)}` };
    expectData(await gw.gql('{ viewer { email } }', { as: ADMIN })); // the caller is resolved (and cached) first
  }, 120_000);
  afterAll(() => gw?.close());

  const post = (body: string) => raw(gw, { body, headers: { ...JSON_HEADERS, ...auth } });
  const firstExtensions = (r: RawResult) => r.json?.errors?.[0]?.extensions;

  it('answers variables 100,000 levels deep with 400 JSON_TOO_DEEP, before any upstream request', async () => {
    resetUpstreams(gw);
    for (const deep of [nestedObjectText(100_000), nestedArrayText(200_000)]) {
      const result = await post(`{"query":${JSON.stringify(QUERY)},"variables":{"e":"ada.admin@demo.example","x":${deep}}}`);
      expectTooDeep(result, codesOf(result), firstExtensions(result));
    }
    expectNoUemRequest(gw, 'deep variables');
    expect(gw.app.simulators.harmony!.stats().total).toBe(0);
  });

  it('refuses the same depth in the extensions or in any other key of the body', async () => {
    for (const body of [
      `{"query":"{ viewer { email } }","extensions":{"x":${nestedObjectText(50_000)}}}`,
      `{"query":"{ viewer { email } }","whatever":${nestedArrayText(50_000)}}`,
      `[${nestedArrayText(50_000)}]`,
    ]) {
      const result = await post(body);
      expectTooDeep(result, codesOf(result), firstExtensions(result));
    }
  });

  it("refuses a GET's variables and extensions nested past the limit", async () => {
    for (const name of ['variables', 'extensions']) {
      const value = name === 'variables' ? { e: 'ada.admin@demo.example', x: nestedValue(LIMIT + 5) } : { x: nestedValue(LIMIT + 5) };
      const search = `?query=${encodeURIComponent(QUERY)}&${name}=${encodeURIComponent(JSON.stringify(value))}`;
      const result = await raw(gw, { method: 'GET', search, headers: { ...auth, accept: 'application/json' } });
      expectTooDeep(result, codesOf(result), firstExtensions(result));
    }
  });

  it("refuses an export's variables and extensions nested past the limit", async () => {
    const tooDeep = await exportGet(gw, { query: '{ devices(first: 5) { nodes { id } } }', variables: { x: nestedValue(LIMIT + 5) } });
    expectTooDeep(tooDeep, tooDeep.errors().map((e) => e.extensions?.code), tooDeep.errors()[0]?.extensions);
    const deepExtensions = await exportGet(gw, { query: '{ devices(first: 5) { nodes { id } } }', extensions: { x: nestedValue(LIMIT + 5) } });
    expectTooDeep(deepExtensions, deepExtensions.errors().map((e) => e.extensions?.code), deepExtensions.errors()[0]?.extensions);
  });

  it('runs requests whose JSON stays within the limit', async () => {
    // The body is one level, `variables` a second: the value may nest LIMIT - 2 more.
    const within = await gw.gql<{ person: { email: string } | null }>(QUERY, { as: ADMIN, variables: { e: 'ada.admin@demo.example', x: nestedValue(LIMIT - 2) } });
    expect(expectData(within).person?.email).toBe('ada.admin@demo.example');
    const over = await gw.gql(QUERY, { as: ADMIN, variables: { e: 'ada.admin@demo.example', x: nestedValue(LIMIT - 1) } });
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'JSON_TOO_DEEP' });
  });
});
