import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import { HARMONY_BASE } from '../../../src/simulators/harmony/harmony.paths.js';
import { startHarmonySimulator, type HarmonySimulator } from '../../../src/simulators/harmony/harmony.simulator.js';
import { expectFailure, expectOk, HarmonyTestClient } from './harmony-test-client.js';
import { waitFor } from '../../helpers/wait.js';

const SMALL = { harmonyUsers: 15, externalUsers: 5 };
const USERS = `GET ${HARMONY_BASE}/orgs/{orgId}/users`;

const control = async (origin: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${origin}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('Harmony simulator faults', () => {
  const clock = new ManualClock(Date.parse('2024-06-15T12:00:00.000Z'));
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let token: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: SMALL, clock });
    client = new HarmonyTestClient(sim.url);
    token = await client.token();
  });
  afterEach(async () => {
    expect((await control(sim.url, 'DELETE', 'faults')).status).toBe(200);
  });
  afterAll(() => sim.close());

  it('adds latency, and clears it', async () => {
    expect((await control(sim.url, 'PUT', 'faults', { latencyMs: 200, jitterMs: 20 })).json).toEqual({ latencyMs: 200, jitterMs: 20 });
    expect((await control(sim.url, 'GET', 'faults')).json).toEqual({ latencyMs: 200, jitterMs: 20 });
    // A lower bound only: a busy machine makes requests slower, never faster.
    const started = performance.now();
    expectOk(await client.get('/roles', token));
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // Cleared: with ten minutes of latency left behind, this request would outlive the test.
    await control(sim.url, 'PUT', 'faults', { latencyMs: 600_000 });
    await control(sim.url, 'DELETE', 'faults');
    expect((await control(sim.url, 'GET', 'faults')).json).toEqual({});
    expectOk(await client.get('/roles', token));
  });

  it('answers injected errors with the status asked for, in the envelope', async () => {
    await control(sim.url, 'PUT', 'faults', { errorRate: 1, errorStatus: 503 });
    expectFailure(await client.get('/roles', token), 'SERVICE_UNAVAILABLE', 503);
    expectFailure(await client.login(sim.credentials.email), 'SERVICE_UNAVAILABLE', 503);
    await control(sim.url, 'PUT', 'faults', { errorRate: 1 });
    expectFailure(await client.get('/roles', token), 'SERVICE_UNAVAILABLE', 500);
    // A 4xx fault speaks as Harmony would (a 401 makes a client log in again).
    await control(sim.url, 'PUT', 'faults', { errorRate: 1, errorStatus: 401 });
    expectFailure(await client.get('/roles', token), 'INVALID_TOKEN', 401);
    await control(sim.url, 'PUT', 'faults', { errorRate: 1, errorStatus: 400 });
    expectFailure(await client.get('/roles', token), 'INVALID_REQUEST', 400);
  });

  it('sends a malformed body with HTTP 200', async () => {
    await control(sim.url, 'PUT', 'faults', { malformedRate: 1 });
    const answer = await client.get('/users', token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(answer.json).toBeUndefined();
    expect(() => JSON.parse(answer.text)).toThrow(SyntaxError);
  });

  it('limits the rate per second of the clock with 429 and retry-after', async () => {
    await control(sim.url, 'PUT', 'faults', { rateLimitPerSecond: 2 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await client.get('/roles', token));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
    expectFailure(answers[2]!, 'RATE_LIMITED', 429);
    expect(answers[2]!.headers.get('retry-after')).toBe('1');
    clock.advance(1_000);
    expectOk(await client.get('/roles', token));
  });

  it('limits faults to the listed route templates', async () => {
    await control(sim.url, 'PUT', 'faults', { errorRate: 1, errorStatus: 502, routes: [USERS] });
    expectFailure(await client.get('/users', token), 'SERVICE_UNAVAILABLE', 502);
    expectOk(await client.get('/roles', token));
    expectOk(await client.post('/users', token, { email: 'routes.case@demo.example', roleIds: ['2'] }));
    // The template alone applies to every method.
    await control(sim.url, 'PUT', 'faults', { errorRate: 1, routes: [`${HARMONY_BASE}/orgs/{orgId}/roles/{roleId}`] });
    expectFailure(await client.put('/roles/4', token, { name: 'Logs' }), 'SERVICE_UNAVAILABLE', 500);
    expectFailure(await client.delete('/roles/4', token), 'SERVICE_UNAVAILABLE', 500);
    expectOk(await client.get('/roles', token));
  });

  it('refuses an invalid fault configuration', async () => {
    expect((await control(sim.url, 'PUT', 'faults', { errorRate: 2 })).status).toBe(400);
    expect((await control(sim.url, 'PUT', 'faults', { explode: true })).status).toBe(400);
  });

  it('times out a hanging request on the client side', async () => {
    await control(sim.url, 'PUT', 'faults', { hangRate: 1, routes: [USERS] });
    await expect(
      fetch(`${sim.url}${HARMONY_BASE}/orgs/demo-org/users`, { headers: { authToken: token }, signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expectOk(await client.get('/roles', token));
  });
});

describe('Harmony simulator hanging requests and close()', () => {
  it('closes promptly with a request hanging, leaving no socket behind', async () => {
    const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const serversBefore = count('TCPServerWrap');
    const socketsBefore = count('TCPSocketWrap');
    const sim = await startHarmonySimulator({ sizes: SMALL, faults: { hangRate: 1 } });
    expect(count('TCPServerWrap')).toBe(serversBefore + 1);
    const pending = fetch(`${sim.url}${HARMONY_BASE}/user/login`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: sim.credentials.email, password: sim.credentials.password }),
    });
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor('the login to reach the simulator', () => sim.stats().byRoute[`PUT ${HARMONY_BASE}/user/login`] === 1);
    // The request hangs for ever: a close that waited for it would never return.
    await sim.close();
    expect(await outcome).toBe('failed');
    expect(count('TCPServerWrap')).toBe(serversBefore);
    await waitFor('the hung connection to be gone', () => count('TCPSocketWrap') <= socketsBefore);
    expect(sim.stats().byRoute[`PUT ${HARMONY_BASE}/user/login`]).toBe(1);
    await expect(fetch(`${sim.url}/__sim/stats`)).rejects.toThrow();
  });
});

describe('Harmony simulator stats', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: SMALL });
    client = new HarmonyTestClient(sim.url);
  });
  afterAll(() => sim.close());

  it('counts requests by route template, not by concrete path, and resets', async () => {
    const token = await client.token();
    await client.get('/roles/3/environment-access', token);
    await client.get('/roles/4/environment-access', token);
    await client.put('/users/10003/roles/4', token, { active: true });
    await client.get('/nothing-here', token);
    const stats = await control(sim.url, 'GET', 'stats');
    expect(stats.json).toEqual({
      total: 4,
      byRoute: {
        [`PUT ${HARMONY_BASE}/user/login`]: 1,
        [`GET ${HARMONY_BASE}/orgs/{orgId}/roles/{roleId}/environment-access`]: 2,
        [`PUT ${HARMONY_BASE}/orgs/{orgId}/users/{userId}/roles/{roleId}`]: 1,
      },
      traceparents: [],
      // One at a time: each request was answered before the next was sent.
      peakInFlight: {
        [`PUT ${HARMONY_BASE}/user/login`]: 1,
        [`GET ${HARMONY_BASE}/orgs/{orgId}/roles/{roleId}/environment-access`]: 1,
        [`PUT ${HARMONY_BASE}/orgs/{orgId}/users/{userId}/roles/{roleId}`]: 1,
      },
    });
    expect(sim.stats()).toEqual(stats.json);
    expect((await control(sim.url, 'POST', 'stats/reset')).status).toBe(200);
    expect(sim.stats()).toEqual({ total: 0, byRoute: {}, traceparents: [], peakInFlight: {} });
    await client.get('/roles', token);
    sim.resetStats();
    expect((await control(sim.url, 'GET', 'stats')).json).toEqual({ total: 0, byRoute: {}, traceparents: [], peakInFlight: {} });
  });
});
