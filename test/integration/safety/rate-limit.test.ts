/**
 * Rate limits: a token bucket per principal (burst, then the sustained rate), an extra one per API
 * key, RATE_LIMITED with HTTP 429 and Retry-After, admins included, state in the shared database.
 * The token is taken at the door, before the document is read: requests refused by validation or
 * by the document step (a partner's free text) cost their sender a token too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADMIN, JSON_HEADERS, codesOf, expectNoUemRequest, raw, resetUpstreams } from './safety.kit.js';

/** About 30 KB of root fields the schema does not have (over the validation-work limit, and each a validation error). */
const invalidDocument = `{ ${Array.from({ length: 2400 }, (_, i) => `unknownField${i}`).join(' ')} }`;

const ENV = {
  RATE_LIMIT_HARMONY_USER_BURST: '5',
  RATE_LIMIT_HARMONY_USER_PER_SECOND: '1',
  RATE_LIMIT_API_KEY_BURST: '3',
  RATE_LIMIT_API_KEY_PER_SECOND: '1',
};

describe('rate limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(ENV);
    // The sustained rate (at least 1 token/s in the configuration) would race slow requests on a
    // busy machine: here buckets refill at one token per 10,000 s, so only the burst counts.
    const store = gw.app.services.store.rateLimit;
    const takeTokens = store.takeTokens;
    store.takeTokens = (input) => takeTokens({ ...input, refillPerSecond: 0.0001 });
  });
  afterAll(() => gw?.close());

  it('lets a burst through, then refuses an admin with 429, RATE_LIMITED and Retry-After, before any upstream request', async () => {
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await gw.gql('{ viewer { email } }', { as: ADMIN }));
    const statuses = results.map((r) => r.status);
    // The burst of 5, then nothing until a token refills.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = results[5];
    expect(errorCodes(refused!)).toEqual(['RATE_LIMITED']);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused!.body.errors?.[0]?.extensions).toMatchObject({ bucket: 'principal', retryAfterSeconds: expect.any(Number) });

    resetUpstreams(gw);
    const again = await gw.gql('{ devices(first: 5) { totalCount } }', { as: ADMIN });
    expect(again.status).toBe(429);
    expectNoUemRequest(gw, 'rate-limited request');
    // Another principal has a bucket of its own.
    expectData(await gw.gql('{ viewer { email } }', { as: 'rita.reader@demo.example' }));
  });

  it('keeps the buckets in the shared database: what another instance took counts here', async () => {
    const email = 'omar.operator@demo.example';
    expectData(await gw.gql('{ viewer { email } }', { as: email }));
    // Another gateway instance on the same database empties the bucket.
    const store = gw.app.services.store.rateLimit;
    for (let i = 0; i < 10; i++) await store.takeTokens({ key: `principal:HARMONY_USER:${email}`, capacity: 5, refillPerSecond: 1 });
    const result = await gw.gql('{ viewer { email } }', { as: email });
    expect(result.status).toBe(429);
  });

  it('limits each API key on its own bucket as well', async () => {
    const { plainKey } = await gw.app.services.store.apiKeys.createApiKey({
      ownerEmail: 'lena.logs@demo.example',
      kind: 'HARMONY_USER',
      label: 'rate limit test',
      createdBy: ADMIN,
    });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await gw.gql('{ viewer { email } }', { headers: { 'x-api-key': plainKey } }));
    results.push(await gw.gql('{ viewer { email } }', { headers: { authorization: `ApiKey ${plainKey}` } }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(results[3]!.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', bucket: 'apiKey' });
    expect(results[3]!.headers.get('retry-after')).toBeTruthy();
  });
});

describe('the token is taken before the document is read', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ ...ENV, RATE_LIMIT_EXTERNAL_USER_BURST: '4', RATE_LIMIT_EXTERNAL_USER_PER_SECOND: '1' });
  }, 120_000);
  afterAll(() => gw?.close());

  it('charges a huge document that fails validation: 429 past the burst, without reading the document', async () => {
    const headers = { ...JSON_HEADERS, authorization: `Bearer ${await gw.token('rita.reader@demo.example')}` };
    const body = JSON.stringify({ query: invalidDocument });
    expect(body.length).toBeGreaterThan(25_000);
    const results = await Promise.all(Array.from({ length: 12 }, () => raw(gw, { body, headers })));
    const refused = results.filter((r) => r.status === 429);
    // A burst of 5 refilled at 1 a second: whatever the machine's speed, most of the 12 are refused.
    expect(refused.length, JSON.stringify(results.map((r) => r.status))).toBeGreaterThanOrEqual(1);
    for (const r of refused) {
      expect(codesOf(r)).toEqual(['RATE_LIMITED']);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    // The others are refused too: by the validation-work estimate or by validation.
    for (const r of results.filter((x) => x.status !== 429)) {
      expect(r.status, r.text.slice(0, 300)).toBe(400);
      expect(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']).toContain(codesOf(r)[0]);
    }
  });

  it("charges a partner's refused free text the same way (every principal kind)", async () => {
    const { plainKey } = await gw.app.services.store.apiKeys.createApiKey({
      ownerEmail: 'pat.partner@partner.example',
      kind: 'EXTERNAL_USER',
      label: 'door test',
      createdBy: ADMIN,
    });
    const body = JSON.stringify({ query: `mutation { ${Array.from({ length: 500 }, (_, i) => `f${i}: sendDeviceCommand(input: { deviceIds: ["1"], command: SYNC }) { results { status } }`).join(' ')} }` });
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await raw(gw, { body, headers: { ...JSON_HEADERS, 'x-api-key': plainKey } }));
    const statuses = results.map((r) => r.status);
    expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
    expect(codesOf(results[0]!)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    expect(statuses, JSON.stringify(statuses)).toContain(429);
    expect(codesOf(results.find((r) => r.status === 429)!)).toEqual(['RATE_LIMITED']);
  });
});
