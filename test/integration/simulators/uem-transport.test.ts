import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/simulators/common/clock.js';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import { startTestSimulator, TEST_NOW, UEM_DATE, type UemTestClient } from './uem-test-client.js';

/** TEST_NOW is 2025-06-15 12:00 UTC; the next UTC midnight is 2025-06-16 00:00. */
const NEXT_MIDNIGHT_S = Date.UTC(2025, 5, 16) / 1000;

describe('UEM simulator transport', () => {
  let sim: UemSimulator;
  let client: UemTestClient;

  beforeAll(async () => {
    ({ sim, client } = await startTestSimulator({ sizes: { devices: 300, uemUsers: 120 } }));
  });
  afterAll(() => sim.close());

  it('answers x-api-version 1 when no version, version 1, or an unknown version is asked', async () => {
    for (const accept of ['application/json', 'application/json;version=1', 'application/json; version=2', 'application/json;version=9']) {
      const r = await client.get('/API/mdm/devices/101', { extraHeaders: { accept } });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-api-version'), accept).toBe('1');
      expect(r.json.Id).toEqual({ Value: 101 });
    }
  });

  it('serves the /api prefix and mixed-case paths like /API', async () => {
    const upper = await client.get('/API/mdm/devices/search?pagesize=3');
    const lower = await client.get('/api/mdm/devices/search?pagesize=3');
    const mixed = await client.get('/Api/MDM/Devices/Search?pagesize=3');
    expect(upper.status).toBe(200);
    expect(lower.json).toEqual(upper.json);
    expect(mixed.json).toEqual(upper.json);
  });

  it('reads query names case-insensitively', async () => {
    const a = await client.get('/API/mdm/devices/search?PageSize=4&Page=1&Platform=Apple&OrderBy=LastSeen&SortOrder=DESC');
    const b = await client.get('/API/mdm/devices/search?pagesize=4&page=1&platform=Apple&orderby=LastSeen&sortorder=DESC');
    expect(a.status).toBe(200);
    expect(a.json).toEqual(b.json);
    expect(a.json.PageSize).toBe(4);
    expect(a.json.Page).toBe(1);
    expect(a.json.Devices.every((d: { Platform: string }) => d.Platform === 'Apple')).toBe(true);
  });

  it('puts a correlation id and the quota headers on every answer, errors and HTML 404 included', async () => {
    const answers = [
      await client.get('/API/system/info'),
      await client.get('/API/mdm/devices/999999'),
      await client.get('/API/mdm/devices/search', { headers: {} }),
      await client.get('/API/no/such/route'),
    ];
    const ids = new Set<string>();
    for (const r of answers) {
      const id = r.headers.get('x-correlation-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(id ?? '');
      expect(r.headers.get('x-ratelimit-limit')).toBe('250000');
      expect(Number(r.headers.get('x-ratelimit-remaining'))).toBeLessThan(250000);
      expect(Number(r.headers.get('x-ratelimit-reset'))).toBe(NEXT_MIDNIGHT_S);
    }
    expect(ids.size).toBe(answers.length);
  });

  it('answers an unknown route with an HTML 404', async () => {
    const r = await client.get('/API/mdm/nothing/here');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toMatch(/^<!DOCTYPE html>/);
    expect(r.json).toBeUndefined();
  });

  it('answers a malformed JSON body with 400 in the UEM error shape', async () => {
    for (const path of ['/API/mdm/devices/id', '/API/mdm/tags/11/adddevices', '/API/system/users/adduser']) {
      const r = await client.call('POST', path, { rawBody: '{"BulkValues": {"Value": [' });
      expect(r.status, path).toBe(400);
      expect(r.json).toEqual({ errorCode: 1002, message: expect.any(String), activityId: expect.any(String) });
    }
  });

  it('writes dates as ISO with milliseconds and no zone, and "never" as year 1', async () => {
    const r = await client.get('/API/mdm/devices/101');
    for (const key of ['LastSeen', 'LastEnrolledOn', 'LastComplianceCheckOn']) expect(r.json[key], key).toMatch(UEM_DATE);
    const info = await client.get('/API/system/info');
    expect(info.json.CurrentServerTime).toBe('2025-06-15T12:00:00.000');
    const apps = await client.get('/API/mdm/devices/101/apps');
    const notInstalled = apps.json.DeviceApps.filter((a: { Status: string }) => a.Status !== 'Installed');
    for (const a of notInstalled) expect(a.InstalledDate).toBe('0001-01-01T00:00:00.000');
  });

  it('counts requests by route template in /__sim/stats and resets them', async () => {
    expect((await fetch(`${sim.url}/__sim/stats/reset`, { method: 'POST' })).status).toBe(200);
    await client.get('/API/mdm/devices/101');
    await client.get('/api/mdm/devices/102');
    await client.get('/API/mdm/devices/search?pagesize=1');
    const stats = (await (await fetch(`${sim.url}/__sim/stats`)).json()) as { total: number; byRoute: Record<string, number> };
    expect(stats.total).toBe(3);
    expect(stats.byRoute).toEqual({ 'GET /API/mdm/devices/{id}': 2, 'GET /API/mdm/devices/search': 1 });
    expect(sim.stats().byRoute['GET /API/mdm/devices/{id}']).toBe(2);
    await fetch(`${sim.url}/__sim/stats/reset`, { method: 'POST' });
    expect(sim.stats().total).toBe(0);
  });
});

describe('UEM simulator daily quota', () => {
  let sim: UemSimulator;
  let client: UemTestClient;
  let clock: ManualClock;

  beforeAll(async () => {
    ({ sim, client, clock } = await startTestSimulator({ sizes: { devices: 50, uemUsers: 30 }, dailyQuota: 3 }));
  });
  afterAll(() => sim.close());

  it('counts down, then answers 429 with Retry-After until the next UTC midnight', async () => {
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await client.get('/API/system/info');
      expect(r.status).toBe(200);
      remaining.push(r.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const over = await client.get('/API/mdm/devices/search');
    expect(over.status).toBe(429);
    expect(over.json).toEqual({ errorCode: 1029, message: expect.any(String), activityId: expect.any(String) });
    expect(Number(over.headers.get('retry-after'))).toBe(NEXT_MIDNIGHT_S - TEST_NOW / 1000);
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    clock.set(Date.UTC(2025, 5, 16, 0, 0, 1));
    const nextDay = await client.get('/API/system/info');
    expect(nextDay.status).toBe(200);
    expect(nextDay.headers.get('x-ratelimit-remaining')).toBe('2');
  });
});
