import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import type { HarmonySimulator } from '../../../src/simulators/harmony/harmony.simulator.js';
import { HarmonyLoginError } from '../../../src/datasources/harmony/harmony.errors.js';
import { UpstreamError } from '../../../src/errors.js';
import { harmonyDatasource, startHarmony } from './harmony.helpers.js';
import { rejectionOf } from './test-upstream.js';

const LOGIN = 'PUT /jitterbit-cloud-restful-service/user/login';
const USERS = 'GET /jitterbit-cloud-restful-service/orgs/{orgId}/users';

describe('Harmony datasource: login and session', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()?.();
  });
  async function setup(options: Parameters<typeof startHarmony>[0] = {}, extra: Parameters<typeof harmonyDatasource>[1] = {}) {
    const sim = await startHarmony(options);
    const ds = harmonyDatasource(sim, extra);
    cleanup.push(() => sim.close(), () => ds.close());
    return { sim, ds };
  }
  const logins = (sim: HarmonySimulator) => sim.stats().byRoute[LOGIN] ?? 0;

  it('logs in once at start-up and reuses the token', async () => {
    const { sim, ds } = await setup();
    const org = await ds.start();
    expect(org).toMatchObject({ orgId: 'demo-org', tfaRequired: false });
    await Promise.all([ds.users(), ds.roles(), ds.environments()]);
    expect(logins(sim)).toBe(1);
    expect(ds.session.loginCount).toBe(1);
  });

  it('makes one login for many concurrent first calls (single-flight)', async () => {
    const { sim, ds } = await setup();
    await Promise.all(Array.from({ length: 10 }, () => ds.users()));
    expect(logins(sim)).toBe(1);
  });

  it('logs in again once when the session was revoked (INVALID_TOKEN), for any number of calls', async () => {
    const { sim, ds } = await setup();
    await ds.start();
    sim.revokeSessions();
    const results = await Promise.all(Array.from({ length: 5 }, () => ds.users()));
    for (const users of results) expect(users.length).toBeGreaterThan(5);
    expect(logins(sim)).toBe(2);
  });

  it('renews the token when the session times out (simulator clock)', async () => {
    const clock = new ManualClock(Date.parse('2026-01-05T09:00:00Z'));
    let lag = 0;
    const { sim, ds } = await setup({ clock, sessionTimeoutSeconds: 3_600 }, { timing: { now: () => clock.now() - lag } });
    await ds.users();
    // Only the upstream's clock moves: the token is rejected (401 INVALID_TOKEN), the call logs in again.
    clock.advance(3_600_000);
    lag = 3_600_000;
    sim.resetStats();
    await ds.users();
    expect(sim.stats().byRoute).toEqual({ [USERS]: 2, [LOGIN]: 1 });
    // Both clocks near the end of the new session: the datasource renews before sending.
    lag = 0;
    clock.advance(3_600_000 - 30_000);
    sim.resetStats();
    await ds.users();
    expect(sim.stats().byRoute).toEqual({ [USERS]: 1, [LOGIN]: 1 });
    expect(ds.session.loginCount).toBe(3);
  });

  it('also re-logs in when the token is rejected with a write', async () => {
    const { sim, ds } = await setup();
    await ds.start();
    sim.revokeSessions();
    const role = await ds.createRole({ name: 'Relogin Writers', permissions: ['READ'] });
    expect(role).toMatchObject({ name: 'Relogin Writers', active: true, builtIn: false });
    expect(sim.state.roles.filter((r) => r.name === 'Relogin Writers')).toHaveLength(1);
  });

  it('makes a two-factor organization a clear start-up error', async () => {
    const { sim, ds } = await setup({ tfaRequired: true });
    const err = await rejectionOf(ds.start());
    expect(err).toBeInstanceOf(HarmonyLoginError);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ reason: 'TFA_REQUIRED', code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony', details: { upstreamCode: 'VALIDATE_TFA_LOGIN_EMAIL' } });
    expect((err as Error).message).toMatch(/two-factor/);
    expect(logins(sim)).toBe(1);
  });

  it('names the reason for other login refusals', async () => {
    const wrongPassword = await setup({}, { password: 'nope' });
    expect(await rejectionOf(wrongPassword.ds.start())).toMatchObject({ reason: 'INVALID_CREDENTIALS' });
    const sso = await setup({ ssoEnabled: true });
    expect(await rejectionOf(sso.ds.start())).toMatchObject({ reason: 'SSO_REQUIRED' });
    const otherOrg = await setup({}, { orgId: 'someone-else' });
    expect(await rejectionOf(otherOrg.ds.start())).toMatchObject({ reason: 'ORG_NOT_AVAILABLE' });
  });

  it('counts logins and calls for the request that caused them', async () => {
    const { ds } = await setup();
    const seen: string[] = [];
    const scoped = ds.forRequest({ onUpstreamCall: (upstream, operation) => void seen.push(`${upstream}:${operation}`) });
    await scoped.users();
    await scoped.apiGroups();
    expect(seen).toEqual(['harmony:login', 'harmony:users.list', 'harmony:apiGroups.list']);
  });
});
