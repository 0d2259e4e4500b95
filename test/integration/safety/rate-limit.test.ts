/**
 * Rate limits: a token bucket per principal (burst, then the sustained rate), an extra one per API
 * key, RATE_LIMITED with HTTP 429 and Retry-After, admins included, state in the shared database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADMIN, expectNoUemRequest, resetUpstreams } from './safety.kit.js';

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
