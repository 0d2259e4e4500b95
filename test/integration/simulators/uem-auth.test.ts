import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/simulators/common/clock.js';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import { basicAuth, startTestSimulator, type UemTestClient } from './uem-test-client.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('UEM simulator authentication', () => {
  let sim: UemSimulator;
  let client: UemTestClient;
  let clock: ManualClock;

  beforeAll(async () => {
    ({ sim, client, clock } = await startTestSimulator({ sizes: { devices: 200, uemUsers: 100 } }));
  });
  afterAll(() => sim.close());

  const token = async (form: string, headers: Record<string, string> = {}) => {
    const res = await fetch(sim.credentials.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form,
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const bearer = (t: unknown) => ({ 'aw-tenant-code': 'demo-tenant-code', authorization: `Bearer ${String(t)}` });

  it('exposes the docs/interfaces.md default credentials and the token URL', () => {
    expect(sim.credentials).toEqual({
      tenantCode: 'demo-tenant-code',
      username: 'api_admin',
      password: 'demo-password',
      clientId: 'demo-client',
      clientSecret: 'demo-secret',
      tokenUrl: `${sim.url}/connect/token`,
    });
  });

  it('accepts Basic with the tenant code', async () => {
    const r = await client.get('/API/system/info');
    expect(r.status, r.text).toBe(200);
    expect(r.json.ProductVersion).toMatch(/^\d+\.\d+/);
  });

  it('answers 403 with 1013 for a missing or wrong tenant code', async () => {
    const cases: Record<string, string>[] = [
      { authorization: basicAuth('api_admin', 'demo-password') },
      { authorization: basicAuth('api_admin', 'demo-password'), 'aw-tenant-code': 'nope' },
    ];
    for (const headers of cases) {
      const r = await client.get('/API/mdm/devices/search', { headers });
      expect(r.status, r.text).toBe(403);
      expect(r.json).toEqual({ errorCode: 1013, message: expect.any(String), activityId: expect.stringMatching(UUID) });
    }
  });

  it('answers 401 with 1005 for a wrong password, an unknown user or no credentials', async () => {
    for (const authorization of [basicAuth('api_admin', 'wrong'), basicAuth('someone', 'demo-password'), '']) {
      const headers: Record<string, string> = { 'aw-tenant-code': 'demo-tenant-code' };
      if (authorization) headers.authorization = authorization;
      const r = await client.get('/API/mdm/devices/search', { headers });
      expect(r.status, r.text).toBe(401);
      expect(r.json.errorCode).toBe(1005);
      expect(r.json.activityId).toMatch(UUID);
    }
  });

  it('issues OAuth tokens for form credentials and for client id and secret sent as Basic', async () => {
    const form = await token('grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret');
    expect(form.status).toBe(200);
    expect(form.json).toMatchObject({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
    const basic = await token('grant_type=client_credentials', { authorization: basicAuth('demo-client', 'demo-secret') });
    expect(basic.status).toBe(200);
    expect(basic.json.access_token).not.toBe(form.json.access_token);
    const r = await client.get('/API/mdm/devices/101', { headers: bearer(basic.json.access_token) });
    expect(r.status, r.text).toBe(200);
    expect(r.json.Id.Value).toBe(101);
  });

  it('refuses a wrong client secret and other grant types', async () => {
    const wrong = await token('grant_type=client_credentials&client_id=demo-client&client_secret=nope');
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toBe('invalid_client');
    const grant = await token('grant_type=password&client_id=demo-client&client_secret=demo-secret');
    expect(grant.status).toBe(400);
    expect(grant.json.error).toBe('unsupported_grant_type');
  });

  it('honours expires_in on the injected clock and refuses unknown tokens with 1005', async () => {
    const { json } = await token('grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret');
    clock.advance(3_599_000);
    expect((await client.get('/API/system/info', { headers: bearer(json.access_token) })).status).toBe(200);
    clock.advance(1_000);
    const expired = await client.get('/API/system/info', { headers: bearer(json.access_token) });
    expect(expired.status).toBe(401);
    expect(expired.json.errorCode).toBe(1005);
    const unknown = await client.get('/API/system/info', { headers: bearer('made-up') });
    expect(unknown.status).toBe(401);
    expect(unknown.json.errorCode).toBe(1005);
  });

  it('needs the tenant code with a bearer token too', async () => {
    const { json } = await token('grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret');
    const r = await client.get('/API/system/info', { headers: { authorization: `Bearer ${String(json.access_token)}` } });
    expect(r.status).toBe(403);
    expect(r.json.errorCode).toBe(1013);
  });
});

describe('UEM simulator with configured credentials and a role lacking permissions', () => {
  let sim: UemSimulator;
  let client: UemTestClient;

  beforeAll(async () => {
    ({ sim, client } = await startTestSimulator({
      sizes: { devices: 100, uemUsers: 50 },
      tenantCode: 'other-code',
      username: 'svc',
      password: 'pw',
      clientId: 'cid',
      clientSecret: 'cs',
      tokenTtlSeconds: 60,
      missingPermissions: ['tags', 'compliance', 'bulk'],
    }));
  });
  afterAll(() => sim.close());

  it('uses the configured credentials', async () => {
    expect((await client.get('/API/system/info')).status).toBe(200);
    const old = await client.get('/API/system/info', {
      headers: { 'aw-tenant-code': 'demo-tenant-code', authorization: basicAuth('svc', 'pw') },
    });
    expect(old.status).toBe(403);
    const res = await fetch(sim.credentials.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=cid&client_secret=cs',
    });
    expect(await res.json()).toMatchObject({ expires_in: 60, token_type: 'Bearer' });
  });

  it('answers 403 with 1016 naming the missing permission, and serves the other categories', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/API/mdm/tags/search', 'Settings > Tags'],
      ['GET', '/API/mdm/devices/101/compliance', 'Device Management > Compliance'],
      ['GET', '/API/mdm/devices/bulksettings', 'Device Management > Bulk Management'],
      ['POST', '/API/mdm/devices/commands/bulk?command=Lock&searchby=DeviceId', 'Device Management > Bulk Management'],
    ];
    for (const [method, path, label] of cases) {
      const r = await client.call(method, path, method === 'POST' ? { body: { BulkValues: { Value: ['101'] } } } : {});
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(403);
      expect(r.json.errorCode).toBe(1016);
      expect(r.json.message).toContain(label);
    }
    expect(sim.state.commandHistory(101)).toEqual([]);
    for (const path of ['/API/mdm/devices/search?pagesize=1', '/API/system/groups/search', '/API/mdm/devices/extensivesearch?pagesize=1']) {
      expect((await client.get(path)).status, path).toBe(200);
    }
  });
});
