/**
 * Each limit refuses with QUERY_TOO_COMPLEX naming the limit, its value and the measured figure,
 * before any upstream request; the cost and upstream-request figures are reported on request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { sha256Hex } from '../../../src/store/documents.repository.js';
import { ADMIN, JSON_HEADERS, deepQuery, expectNoUemRequest, raw, refusalOf, resetUpstreams } from './safety.kit.js';

const ENV = {
  LIMIT_DEPTH: '6',
  LIMIT_ALIASES: '3',
  LIMIT_ROOT_FIELDS: '4',
  LIMIT_FIELDS: '200',
  LIMIT_TOKENS: '400',
  LIMIT_DIRECTIVES: '3',
  LIMIT_DOCUMENT_BYTES: '2000',
  LIMIT_VARIABLES: '3',
  LIMIT_VARIABLES_BYTES: '500',
  LIMIT_COST: '1000',
  LIMIT_UPSTREAM_REQUESTS: '30',
};

const CASES: { limit: string; query: string; variables?: Record<string, unknown>; max: number; measured: number }[] = [
  { limit: 'depth', query: deepQuery(7), max: 6, measured: 7 },
  { limit: 'aliases', query: '{ a: viewer { email } b: viewer { email } c: viewer { email } d: viewer { e: email } }', max: 3, measured: 5 },
  { limit: 'rootFields', query: '{ viewer { email } environments { name } roles { name } apiGroups { name } ...R } fragment R on Query { environments { id } }', max: 4, measured: 5 },
  // Short tokens: the document stays under LIMIT_DOCUMENT_BYTES, which is checked first.
  { limit: 'tokens', query: `{ viewer { ${'a '.repeat(400)} } }`, max: 400, measured: 405 },
  { limit: 'directives', query: '{ viewer { email @include(if: true) kind @skip(if: false) permissions @include(if: true) ...V @skip(if: false) } } fragment V on Viewer { email }', max: 3, measured: 4 },
  { limit: 'documentBytes', query: `{ viewer { email } }${' '.repeat(2100)}`, max: 2000, measured: 2120 },
  {
    limit: 'variables',
    query:
      'query ($a: String!, $b: String!, $c: String!, $d: ID!) { person(email: $a) { email } harmonyUser(email: $b) { email } externalUser(email: $c) { email } uemUser(id: $d) { id } }',
    variables: { a: 'a@x.example', b: 'b@x.example', c: 'c@x.example', d: '1' },
    max: 3,
    measured: 4,
  },
  { limit: 'variablesBytes', query: 'query ($e: String!) { person(email: $e) { email } }', variables: { e: 'x'.repeat(600) }, max: 500, measured: 608 },
  { limit: 'cost', query: '{ devices(first: 500) { nodes { id user { email } } } }', max: 1000, measured: 1001 },
  { limit: 'upstreamRequests', query: '{ devices(first: 40) { nodes { id compliance { status } } } }', max: 30, measured: 41 },
];

describe('limits before execution', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(ENV);
    await gw.gql('{ viewer { email } }', { as: ADMIN });
  }, 120_000);
  afterAll(() => gw?.close());

  for (const c of CASES) {
    it(`refuses over ${c.limit} with the limit, its value and the measured figure`, async () => {
      resetUpstreams(gw);
      const result = await gw.gql(c.query, { as: ADMIN, variables: c.variables });
      expect(result.status, JSON.stringify(result.body)).toBe(400);
      expect(errorCodes(result)).toEqual(['QUERY_TOO_COMPLEX']);
      const figures = refusalOf(result);
      expect(figures?.limit).toBe(c.limit);
      expect(figures?.max).toBe(c.max);
      expect(figures?.measured).toBe(c.measured);
      expectNoUemRequest(gw, c.limit);
    });
  }

  it('exempts registered persisted documents from the cost limit, never from the depth limit', async () => {
    const costly = '{ devices(first: 500) { nodes { id user { email } } } }';
    const deep = deepQuery(7);
    await gw.app.services.documents.register({ [sha256Hex(costly)]: costly, [sha256Hex(deep)]: deep }, { clientName: 'safety-test', createdBy: ADMIN });
    const run = (body: string) => raw(gw, { body: JSON.stringify({ documentId: `sha256:${sha256Hex(body)}` }), headers: JSON_HEADERS, as: ADMIN });
    const accepted = await run(costly);
    expect(accepted.status, accepted.text.slice(0, 300)).toBe(200);
    expect(accepted.json?.errors).toBeUndefined();
    const refused = await run(deep);
    expect(refused.status).toBe(400);
    expect(refusalOf(refused)).toEqual({ limit: 'depth', max: 6, measured: 7 });
  });

  it('reports the cost and upstream requests when asked with x-gateway-cost', async () => {
    const query = '{ devices(first: 20) { nodes { id user { firstName } } } }';
    const plain = await gw.gql(query, { as: ADMIN });
    expectData(plain);
    expect(plain.body).not.toHaveProperty('extensions');
    const asked = await gw.gql(query, { as: ADMIN, headers: { 'x-gateway-cost': '1' } });
    expectData(asked);
    const cost = (asked.body as { extensions?: { cost?: Record<string, unknown> } }).extensions?.cost;
    expect(cost).toMatchObject({
      estimated: 1 + 20 * 2,
      limit: 1000,
      // The first request read the user directory (20 users: 2 pages beat 20 GETs), which is cached:
      // the plan of this one counts the device search alone, and that is what it sends.
      upstreamRequests: { estimated: { uem: 1, harmony: 0, total: 1 }, limit: 30, actual: { uem: 1, harmony: expect.any(Number) } },
    });
  });
});

describe('the upstream budget against UEM quota left', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, { simulators: { uem: { dailyQuota: 10 } } });
  }, 120_000);
  afterAll(() => gw?.close());

  it('refuses an operation estimated over the quota left, before any UEM request', async () => {
    expectData(await gw.gql('{ devices(first: 1) { totalCount } }', { as: ADMIN }));
    const left = gw.app.services.uem.health().quotaRemaining;
    expect(left).toBeLessThan(10);
    resetUpstreams(gw);
    const result = await gw.gql('{ devices(first: 20) { nodes { id apps { name } } } }', { as: ADMIN });
    expect(result.status).toBe(400);
    expect(refusalOf(result)).toEqual({ limit: 'uemQuotaRemaining', max: left, measured: 21 });
    expectNoUemRequest(gw, 'quota');
    // A cheap one still passes.
    expectData(await gw.gql('{ devices(first: 1) { nodes { id } } }', { as: ADMIN }));
  });
});
