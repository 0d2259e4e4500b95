import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import type { OAuthTokenCache } from '../../../src/datasources/uem/uem.auth.js';
import { INFO, startUem, TOKEN, uemDatasource } from './uem.helpers.js';

const DEVICE = 'GET /API/mdm/devices/{id}';
import { rejectionOf, startTestUpstream } from './test-upstream.js';
import { UemDatasource } from '../../../src/datasources/uem/uem.datasource.js';

describe('UEM datasource: authentication', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()?.();
  });
  async function setup(simOptions: Parameters<typeof startUem>[0] = {}, auth: 'basic' | 'oauth' = 'basic', extra: Parameters<typeof uemDatasource>[2] = {}) {
    const sim = await startUem({ sizes: { devices: 20, uemUsers: 20, apps: 5 }, ...simOptions });
    const ds = uemDatasource(sim, auth, extra);
    cleanup.push(() => sim.close(), () => ds.close());
    return { sim, ds };
  }

  it('Basic: sends the tenant code and credentials; a wrong password is not retried', async () => {
    const { sim, ds } = await setup();
    expect(await ds.systemInfo()).toMatchObject({ productName: expect.stringContaining('Workspace ONE') });
    const bad = uemDatasource(sim, 'basic', { auth: { kind: 'basic', username: 'api_admin', password: 'wrong' } });
    cleanup.push(() => bad.close());
    sim.resetStats();
    expect(await rejectionOf(bad.systemInfo())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem', details: { status: 401, upstreamCode: 1005 } });
    expect(sim.stats().byRoute[INFO]).toBe(1);
  });

  it('sends aw-tenant-code, the v1 Accept header and Basic credentials under /API', async () => {
    const seen: Record<string, unknown>[] = [];
    const upstream = await startTestUpstream((r) =>
      r.get('/API/system/info', (req) => (seen.push(req.headers), { status: 200, body: { ProductName: 'X', ProductVersion: '1' } })),
    );
    const ds = UemDatasource.create({ baseUrl: upstream.url, tenantCode: 'key-1', auth: { kind: 'basic', username: 'u', password: 'p:w' } });
    cleanup.push(() => upstream.close(), () => ds.close());
    expect(await ds.systemInfo()).toEqual({ productName: 'X', productVersion: '1' });
    expect(seen[0]).toMatchObject({
      'aw-tenant-code': 'key-1',
      accept: 'application/json;version=1',
      authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}`,
    });
  });

  it('an unknown tenant code is UPSTREAM_UNAVAILABLE with UEM code 1013', async () => {
    const { sim } = await setup();
    const wrong = uemDatasource(sim, 'basic', { tenantCode: 'nope' });
    cleanup.push(() => wrong.close());
    expect(await rejectionOf(wrong.systemInfo())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { status: 403, upstreamCode: 1013 } });
  });

  it('OAuth: one token for many concurrent calls (single in-flight fetch), then cached', async () => {
    const { sim, ds } = await setup({}, 'oauth');
    // Distinct calls (identical GETs in flight would share one request).
    await Promise.all(Array.from({ length: 8 }, (_, i) => ds.getDevice(101 + i)));
    await ds.systemInfo();
    expect(sim.stats().byRoute[TOKEN]).toBe(1);
    expect(sim.stats().byRoute[DEVICE]).toBe(8);
    expect(sim.stats().byRoute[INFO]).toBe(1);
  });

  it('OAuth: renews the token shortly before it expires', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T08:00:00Z'));
    const { sim, ds } = await setup({ clock, tokenTtlSeconds: 3_600 }, 'oauth', { timing: { now: () => clock.now() } });
    await ds.systemInfo();
    clock.advance(3_600_000 - 30_000);
    sim.resetStats();
    await ds.systemInfo();
    // A new token first, then the call: no 401 on the way.
    expect(sim.stats().byRoute).toEqual({ [TOKEN]: 1, [INFO]: 1 });
  });

  it('OAuth: a 401 (token expired upstream) is retried once with a fresh token, one refresh for all', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T08:00:00Z'));
    let lag = 0;
    const { sim, ds } = await setup({ clock, tokenTtlSeconds: 3_600 }, 'oauth', { timing: { now: () => clock.now() - lag } });
    await ds.systemInfo();
    // Only the upstream's clock moves: the datasource still trusts its token.
    clock.advance(3_700_000);
    lag = 3_700_000;
    sim.resetStats();
    await Promise.all(Array.from({ length: 5 }, (_, i) => ds.getDevice(101 + i)));
    expect(sim.stats().byRoute[TOKEN]).toBe(1);
    expect(sim.stats().byRoute[DEVICE]).toBe(10);
    expect((ds.auth as OAuthTokenCache).tokensFetched).toBe(2);
  });

  it('OAuth: a wrong client secret is UPSTREAM_UNAVAILABLE from the token endpoint', async () => {
    const { sim } = await setup();
    const c = sim.credentials;
    const bad = uemDatasource(sim, 'oauth', { auth: { kind: 'oauth', tokenUrl: c.tokenUrl, clientId: c.clientId, clientSecret: 'wrong' } });
    cleanup.push(() => bad.close());
    expect(await rejectionOf(bad.systemInfo())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { operation: 'oauth.token', status: 401 } });
    expect(sim.stats().byRoute[INFO]).toBeUndefined();
  });

  it('counts token fetches and calls for the request that caused them', async () => {
    const { ds } = await setup({}, 'oauth');
    const seen: string[] = [];
    await ds.forRequest({ onUpstreamCall: (u, op) => void seen.push(`${u}:${op}`) }).systemInfo();
    expect(seen).toEqual(['uem:oauth.token', 'uem:system.info']);
  });
});
