/**
 * Breakers per upstream route (issue 15): with Harmony's external-users route failing, its breaker
 * opens and pauses that route only; role reads and role writes keep reaching Harmony, the gateway
 * stays ready, and `/readyz` and `/metrics` name the paused route. After the cool-down one probe
 * goes out and its success closes the breaker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const ADA = 'ada.admin@demo.example';
const ORG = '/jitterbit-cloud-restful-service/orgs/{orgId}';
const EXTERNAL_USERS = `GET ${ORG}/external-users`;
const EXTERNAL = '{ externalUsers(first: 5) { totalCount nodes { email } } }';
const COOL_DOWN_MS = 1_500;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    UPSTREAM_MAX_RETRIES: '0',
    UPSTREAM_BREAKER_FAILURE_THRESHOLD: '2',
    UPSTREAM_BREAKER_COOL_DOWN_MS: String(COOL_DOWN_MS),
  });
  // The caller is resolved (Harmony users, roles, access) before the route fails.
  expectData(await gw.gql('{ viewer { email } roles { name } }', { as: ADA }));
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

const harmony = () => gw.app.simulators.harmony!;
const routeCalls = (route: string) => harmony().stats().byRoute[route] ?? 0;

interface Ready {
  ready: boolean;
  checks: Record<string, { ok: boolean; breaker?: string; pausedRoutes?: Record<string, { state: string; retryInMs: number }> }>;
}

describe('breakers per upstream route', () => {
  it('pause the failing route only: role reads and writes still reach Harmony', async () => {
    harmony().setFaults({ errorRate: 1, errorStatus: 503, routes: [EXTERNAL_USERS] });
    for (let i = 0; i < 2; i++) {
      const failed = await gw.gql(EXTERNAL, { as: ADA });
      expect(failed.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony' });
    }
    const sent = routeCalls(EXTERNAL_USERS);
    const paused = await gw.gql(EXTERNAL, { as: ADA });
    expect(paused.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony', upstreamCode: 'CIRCUIT_OPEN' });
    expect(routeCalls(EXTERNAL_USERS)).toBe(sent);

    // A role write, then a role read that must go to Harmony (the write invalidated the cache).
    const rolesBefore = routeCalls(`GET ${ORG}/roles`);
    const created = expectData(
      await gw.gql<{ createRole: { role: { id: string; name: string } } }>(
        'mutation($input: CreateRoleInput!) { createRole(input: $input) { role { id name } } }',
        { as: ADA, variables: { input: { name: 'Breaker Auditors', permissions: ['READ'] } } },
      ),
    );
    expect(created.createRole.role.name).toBe('Breaker Auditors');
    const roles = expectData(await gw.gql<{ roles: { name: string }[] }>('{ roles { name } }', { as: ADA }));
    expect(roles.roles.map((r) => r.name)).toContain('Breaker Auditors');
    expect(harmony().stats().byRoute[`POST ${ORG}/roles`]).toBe(1);
    expect(routeCalls(`GET ${ORG}/roles`)).toBeGreaterThan(rolesBefore);
  });

  it('report the paused route in /readyz and /metrics without making the gateway unready', async () => {
    const res = await fetch(`${gw.url}/readyz`);
    const report = (await res.json()) as Ready;
    expect(res.status).toBe(200);
    expect(report.checks.harmony).toMatchObject({ ok: true, breaker: 'open', connection: 'closed' });
    expect(report.checks.harmony!.pausedRoutes).toEqual({ 'externalUsers.list': { state: 'open', retryInMs: expect.any(Number) } });
    expect(report.checks.uem!.pausedRoutes).toEqual({});

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toContain('gateway_upstream_route_breaker_state{upstream="harmony",operation="externalUsers.list"} 2');
    expect(metrics).toContain('gateway_upstream_route_breaker_state{upstream="harmony",operation="roles.list"} 0');
    expect(metrics).toContain('gateway_upstream_breaker_state{upstream="harmony"} 2');
    expect(metrics).toMatch(/gateway_upstream_breaker_transitions_total\{upstream="harmony",operation="externalUsers.list",state="open"\} 1\b/);
  });

  it('after the cool-down, one probe goes out; its success closes the breaker', async () => {
    harmony().clearFaults();
    const opened = await readyRetryMs();
    await new Promise((r) => setTimeout(r, opened + 50));
    const sent = routeCalls(EXTERNAL_USERS);
    const data = expectData(await gw.gql<{ externalUsers: { totalCount: number } }>(EXTERNAL, { as: ADA }));
    expect(data.externalUsers.totalCount).toBeGreaterThan(0);
    expect(routeCalls(EXTERNAL_USERS)).toBe(sent + 1);
    const report = (await (await fetch(`${gw.url}/readyz`)).json()) as Ready;
    expect(report.checks.harmony).toMatchObject({ breaker: 'closed', pausedRoutes: {} });
  });
});

/** How long the external-users breaker still pauses calls, as /readyz says. */
async function readyRetryMs(): Promise<number> {
  const report = (await (await fetch(`${gw.url}/readyz`)).json()) as Ready;
  return report.checks.harmony?.pausedRoutes?.['externalUsers.list']?.retryInMs ?? 0;
}
