import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import { startHarmonySimulator, type HarmonySimulator } from '../../../src/simulators/harmony/harmony.simulator.js';
import { expectFailure, expectOk, HarmonyTestClient } from './harmony-test-client.js';

const SMALL = { harmonyUsers: 20, externalUsers: 8 };

describe('Harmony login', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: SMALL });
    client = new HarmonyTestClient(sim.url);
  });
  afterAll(() => sim.close());

  it('answers success with the documented top-level fields', async () => {
    const answer = await client.login(sim.credentials.email, sim.credentials.password);
    const body = expectOk(answer);
    expect(Object.keys(body).sort()).toEqual(
      ['authenticationToken', 'cloudAppsUrl', 'defaultOrgId', 'orgAttrs', 'serverUrl', 'sessionTimeoutInSeconds', 'status'].sort(),
    );
    expect(body.authenticationToken).toMatch(/^1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(body).toMatchObject({
      serverUrl: sim.url,
      cloudAppsUrl: expect.stringMatching(/^http:\/\//),
      orgAttrs: [{ orgId: 'demo-org', orgName: 'Demo Organization', orgZoneUrl: sim.url }],
      defaultOrgId: 'demo-org',
      sessionTimeoutInSeconds: 14_400,
    });
    expect(sim.credentials).toEqual({ email: 'integration@demo.example', password: 'demo-password', orgId: 'demo-org' });
  });

  it('gives each login its own token and matches the email case-insensitively', async () => {
    const a = await client.token('Integration@Demo.EXAMPLE');
    const b = await client.token();
    expect(a).not.toBe(b);
    expectOk(await client.get('', a));
    expectOk(await client.get('', b));
  });

  it('lets personas log in with the same password', async () => {
    const token = await client.token('rita.reader@demo.example');
    expect(expectOk(await client.get('', token)).org.orgId).toBe('demo-org');
  });

  it('answers a wrong password or an unknown email with HTTP 200 and a body failure', async () => {
    for (const answer of [
      await client.login(sim.credentials.email, 'not-the-password'),
      await client.login('nobody@demo.example', sim.credentials.password),
      await client.login('pat.partner@partner.example', sim.credentials.password),
    ]) {
      expectFailure(answer, 'INVALID_CREDENTIALS');
      expect(answer.json.operation).toBe('login');
      expect(answer.json.authenticationToken).toBeUndefined();
    }
  });

  it('answers malformed JSON and a missing field with HTTP 400 in the envelope', async () => {
    expectFailure(await client.call('PUT', '/user/login', { rawBody: '{"email": "integration@demo.example",' }), 'INVALID_REQUEST', 400);
    expectFailure(await client.call('PUT', '/user/login', { body: { email: 'integration@demo.example' } }), 'INVALID_REQUEST', 400);
    expectFailure(await client.call('PUT', '/user/login', { rawBody: '[1, 2]' }), 'INVALID_REQUEST', 400);
  });

  it('answers a missing or unknown token with INVALID_TOKEN (HTTP 401)', async () => {
    expectFailure(await client.call('GET', client.orgPath('/users')), 'INVALID_TOKEN', 401);
    expectFailure(await client.get('/users', '1_00000000-0000-4000-a000-000000000000'), 'INVALID_TOKEN', 401);
  });

  it('ends the sessions of a removed user', async () => {
    const admin = await client.token();
    const invited = expectOk(await client.post('/users', admin, { email: 'short.lived@demo.example', roleIds: ['2'] })).user;
    const token = await client.token('short.lived@demo.example');
    expectOk(await client.get('/users', token));
    expectOk(await client.delete(`/users/${invited.userId}`, admin));
    expectFailure(await client.get('/users', token), 'INVALID_TOKEN', 401);
    expectFailure(await client.login('short.lived@demo.example'), 'INVALID_CREDENTIALS');
  });
});

describe('Harmony sessions on the injectable clock', () => {
  const clock = new ManualClock(Date.parse('2024-06-15T12:00:00Z'));
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: SMALL, clock, sessionTimeoutSeconds: 600 });
    client = new HarmonyTestClient(sim.url);
  });
  afterAll(() => sim.close());

  it('announces the configured timeout and ends the session when it passes', async () => {
    const answer = expectOk(await client.login(sim.credentials.email));
    expect(answer.sessionTimeoutInSeconds).toBe(600);
    const token = answer.authenticationToken as string;
    clock.advance(599_000);
    expectOk(await client.get('/roles', token));
    clock.advance(1_000);
    expectFailure(await client.get('/roles', token), 'INVALID_TOKEN', 401);
    const fresh = await client.token();
    expectOk(await client.get('/roles', fresh));
  });

  it('can end every session from the test', async () => {
    const token = await client.token();
    expect(sim.activeSessions()).toBeGreaterThan(0);
    sim.revokeSessions();
    expect(sim.activeSessions()).toBe(0);
    expectFailure(await client.get('/roles', token), 'INVALID_TOKEN', 401);
  });
});

describe('Harmony two-factor login', () => {
  const clock = new ManualClock(Date.parse('2024-06-15T12:00:00Z'));
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: SMALL, clock, tfaRequired: true, tfaCode: '135790' });
    client = new HarmonyTestClient(sim.url);
  });
  afterAll(() => sim.close());

  const tfa = (email: string, code: string, deviceId = 'gateway-1') =>
    client.call('PUT', '/user/login/tfacode', { body: { email, code, deviceId } });

  it('answers the password step with VALIDATE_TFA_LOGIN_EMAIL, then logs in with the code', async () => {
    expect(sim.tfaCode).toBe('135790');
    const first = await client.login(sim.credentials.email, sim.credentials.password, 'gateway-1');
    expectFailure(first, 'VALIDATE_TFA_LOGIN_EMAIL');
    expect(first.json.operation).toBe('login');
    expectFailure(await tfa(sim.credentials.email, '000000'), 'INVALID_TFA_CODE');
    const done = expectOk(await tfa(sim.credentials.email, sim.tfaCode));
    expect(done).toMatchObject({ defaultOrgId: 'demo-org', sessionTimeoutInSeconds: 14_400 });
    expectOk(await client.get('', done.authenticationToken));
    // The code is spent.
    expectFailure(await tfa(sim.credentials.email, sim.tfaCode), 'INVALID_TFA_CODE');
  });

  it('remembers a device that passed the code, not another one', async () => {
    expectOk(await client.login(sim.credentials.email, sim.credentials.password, 'gateway-1'));
    expectFailure(await client.login(sim.credentials.email, sim.credentials.password, 'laptop-7'), 'VALIDATE_TFA_LOGIN_EMAIL');
    expectFailure(await client.login(sim.credentials.email), 'VALIDATE_TFA_LOGIN_EMAIL');
  });

  it('refuses a code without a password step, after ten minutes, or after a wrong password', async () => {
    expectFailure(await tfa('ada.admin@demo.example', sim.tfaCode), 'INVALID_TFA_CODE');
    expectFailure(await client.login('ada.admin@demo.example', 'wrong'), 'INVALID_CREDENTIALS');
    expectFailure(await tfa('ada.admin@demo.example', sim.tfaCode), 'INVALID_TFA_CODE');
    expectFailure(await client.login('ada.admin@demo.example'), 'VALIDATE_TFA_LOGIN_EMAIL');
    clock.advance(10 * 60_000);
    expectFailure(await tfa('ada.admin@demo.example', sim.tfaCode), 'INVALID_TFA_CODE');
  });

  it('can be switched off from the test', async () => {
    sim.setTfaRequired(false);
    expectOk(await client.login('omar.operator@demo.example'));
    sim.setTfaRequired(true);
    expectFailure(await client.login('omar.operator@demo.example'), 'VALIDATE_TFA_LOGIN_EMAIL');
  });
});

describe('Harmony SSO organizations', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: SMALL, ssoEnabled: true, bypassSso: ['integration@demo.example'] });
    client = new HarmonyTestClient(sim.url);
  });
  afterAll(() => sim.close());

  it('refuses password logins except for the Bypass SSO list', async () => {
    expectOk(await client.login(sim.credentials.email));
    const refused = await client.login('rita.reader@demo.example');
    expectFailure(refused, 'SSO_LOGIN_REQUIRED');
    expect(refused.json.operation).toBe('login');
    sim.setBypassSso(['integration@demo.example', 'Rita.Reader@Demo.example']);
    expectOk(await client.login('rita.reader@demo.example'));
  });

  it('still checks the password of a bypassing user first', async () => {
    expectFailure(await client.login(sim.credentials.email, 'wrong'), 'INVALID_CREDENTIALS');
  });

  it('reports the flag on the organization', async () => {
    const token = await client.token();
    expect(expectOk(await client.get('', token)).org).toEqual({
      orgId: 'demo-org',
      orgName: 'Demo Organization',
      ssoEnabled: true,
      subscriptionExpired: false,
      tfaRequired: false,
    });
  });
});

describe('Harmony simulator credentials from options', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: SMALL, email: 'svc@acme.example', password: 's3cret!', orgId: 'acme' });
    client = new HarmonyTestClient(sim.url, 'acme');
  });
  afterAll(() => sim.close());

  it('logs the configured account into the configured organization', async () => {
    expect(sim.credentials).toEqual({ email: 'svc@acme.example', password: 's3cret!', orgId: 'acme' });
    expectFailure(await client.login('svc@acme.example', 'demo-password'), 'INVALID_CREDENTIALS');
    const body = expectOk(await client.login('svc@acme.example', 's3cret!'));
    expect(body.orgAttrs[0].orgId).toBe('acme');
    const users = expectOk(await client.get('/users', body.authenticationToken)).users;
    expect(users[0]).toEqual({ userId: '10001', email: 'svc@acme.example', roles: [{ roleId: '1', active: true }] });
    // Another organization id in the path is not found for this session.
    expectFailure(await client.call('GET', '/orgs/demo-org/users', { token: body.authenticationToken }), 'NOT_FOUND');
  });
});
