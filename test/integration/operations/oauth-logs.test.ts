/**
 * A gateway on UEM OAuth client credentials (tokens that expire, a refresh, a 401 answered by one
 * retry with a fresh token) and Harmony sessions: at debug level its logs hold neither the client
 * secret, the tenant code, the passwords, nor any access or session token the upstreams issued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import { secretsIn } from '../../helpers/log-leaks.js';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let sims: Simulators;
let gw: TestGateway;

beforeAll(async () => {
  sims = await startSimulators({ sizes: { devices: 200, uemUsers: 80 }, uem: { tokenTtlSeconds: 1 } });
  const { uem, harmony } = sims;
  gw = await startTestGateway({
    UEM_BASE_URL: uem.url,
    UEM_TENANT_CODE: uem.credentials.tenantCode,
    UEM_AUTH: 'oauth',
    UEM_OAUTH_TOKEN_URL: uem.credentials.tokenUrl,
    UEM_OAUTH_CLIENT_ID: uem.credentials.clientId,
    UEM_OAUTH_CLIENT_SECRET: uem.credentials.clientSecret,
    HARMONY_BASE_URL: harmony.url,
    HARMONY_EMAIL: harmony.credentials.email,
    HARMONY_PASSWORD: harmony.credentials.password,
    HARMONY_ORG_ID: harmony.credentials.orgId,
  });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await sims?.close();
});

describe('logs of a gateway on OAuth', () => {
  it('answer across token expiry and hold no credential or token', async () => {
    const query = '{ devices(first: 3) { nodes { id user { email } } } }';
    expectData(await gw.gql(query, { as: 'ada.admin@demo.example' }), query);
    const tokens = sims.uem.issuedTokens();
    await new Promise((r) => setTimeout(r, 1_100));
    expectData(await gw.gql(query, { as: 'ada.admin@demo.example' }), query);
    const issued = [...tokens, ...sims.uem.issuedTokens()];
    expect(issued.length).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 200));
    const secrets = new Map<string, string>([
      [sims.uem.credentials.clientSecret, 'UEM OAuth client secret'],
      [sims.uem.credentials.tenantCode, 'UEM tenant code'],
      [sims.harmony.credentials.password, 'Harmony password'],
      ...issued.map((t): [string, string] => [t, 'a UEM access token']),
    ]);
    expect(gw.logs.text()).toContain('"msg":"upstream call"');
    expect(secretsIn(gw.logs.text(), secrets)).toEqual([]);
  });
});
