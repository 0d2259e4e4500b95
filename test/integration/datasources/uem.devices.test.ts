import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import type { UemDatasource } from '../../../src/datasources/uem/uem.datasource.js';
import { SEARCH, startUem, uemDatasource } from './uem.helpers.js';
import { rejectionOf } from './test-upstream.js';

const BY_IDS = 'POST /API/mdm/devices/id';
const BULK = 'POST /API/mdm/devices/commands/bulk';

describe('UEM datasource: devices', () => {
  let sim: UemSimulator;
  let ds: UemDatasource;
  beforeAll(async () => {
    sim = await startUem({ sizes: { devices: 1_200, uemUsers: 200, apps: 20 }, bulkSettings: { LockDevice: 3 } });
    ds = uemDatasource(sim, 'oauth', { tuning: { maxIdsPerRead: 250, pageConcurrency: 3 } });
  });
  afterAll(async () => {
    await ds.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.clearFaults();
    sim.resetStats();
  });

  it('searches one page and maps the v1 device into the domain shape', async () => {
    const page = await ds.searchDevices({}, 1, 50);
    expect(page).toMatchObject({ page: 1, pageSize: 50, total: 1_200 });
    expect(page.items).toHaveLength(50);
    const first = page.items[0];
    const raw = sim.state.devices.get(first?.id ?? -1);
    expect(raw).toBeDefined();
    expect(first).toMatchObject({
      serialNumber: raw?.serialNumber,
      uemPlatform: raw?.platform,
      uemEnrollmentStatus: raw?.enrollmentStatus,
      organizationGroupId: raw?.locationGroupId,
      userId: raw?.userId,
      lastSeen: new Date(raw?.lastSeen ?? 0).toISOString(),
    });
    expect(first?.lastSeen).toMatch(/Z$/);
  });

  it('passes filters and order, and reads 204 as an empty page', async () => {
    const apple = await ds.searchDevices({ platform: 'Apple', organizationGroupId: 571 }, 0, 500, { orderBy: 'LastSeen', sortOrder: 'DESC' });
    expect(apple.items.every((d) => d.uemPlatform === 'Apple' && d.organizationGroupId === 571)).toBe(true);
    const seen = apple.items.map((d) => d.lastSeen ?? '');
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(await ds.searchDevices({ model: 'No Such Model' })).toEqual({ items: [], page: 0, pageSize: 500, total: 0 });
    expect((await ds.searchDevices({}, 99, 500)).items).toEqual([]);
  });

  it('fetches every page once Total is known, the rest with bounded concurrency', async () => {
    const all = await ds.allDevices();
    expect(all.total).toBe(1_200);
    expect(new Set(all.items.map((d) => d.id)).size).toBe(1_200);
    expect(sim.stats().byRoute[SEARCH]).toBe(3);
    expect(await ds.allDevices({ model: 'No Such Model' })).toEqual({ items: [], total: 0 });
  });

  it('reads one device (null when unknown) and devices by id in chunks (unknown ids absent)', async () => {
    const someId = [...sim.state.devices.keys()][10] as number;
    expect((await ds.getDevice(someId))?.id).toBe(someId);
    expect(await ds.getDevice(99_999_999)).toBeNull();
    const ids = [...sim.state.devices.keys()].slice(0, 600);
    const devices = await ds.getDevicesByIds([...ids, '99999999', ids[0] as number]);
    expect(devices.map((d) => d.id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(sim.stats().byRoute[BY_IDS]).toBe(3);
  });

  it('retries the by-id batch read (marked idempotent) through injected 503s', async () => {
    const patient = uemDatasource(sim, 'basic', { http: { retry: { maxRetries: 12, baseDelayMs: 1, maxDelayMs: 5 } } });
    sim.setFaults({ errorRate: 0.4, errorStatus: 503, routes: [BY_IDS] });
    const ids = [...sim.state.devices.keys()].slice(0, 40);
    // Until a retry was needed (at 40 % errors that takes a few rounds at most).
    let rounds = 0;
    while (rounds < 50 && (sim.stats().byRoute[BY_IDS] ?? 0) === rounds) {
      expect(await patient.getDevicesByIds(ids)).toHaveLength(40);
      rounds++;
    }
    expect(sim.stats().byRoute[BY_IDS]).toBeGreaterThan(rounds);
    await patient.close();
  });

  it('reads apps, compliance and the extensive search of devices', async () => {
    const device = [...sim.state.devices.values()].find((d) => d.enrollmentStatus === 'Enrolled' && d.failingPolicies.length > 0);
    if (!device) throw new Error('the dataset has no non-compliant enrolled device');
    const apps = await ds.deviceApps(device.id);
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.some((a) => a.managed === false)).toBe(true);
    const compliance = await ds.deviceCompliance(device.id);
    expect(compliance).toMatchObject({ overallStatus: 'NonCompliant' });
    expect(compliance?.policies.some((p) => p.compliant === false && p.actionsTaken.length > 0)).toBe(true);
    expect(await ds.deviceCompliance(99_999_999)).toBeNull();
    expect(await rejectionOf(ds.deviceApps(99_999_999))).toMatchObject({ code: 'NOT_FOUND', details: { upstreamCode: 5061 } });
    const extensive = await ds.extensiveSearch({ organizationGroupId: 572 }, 0, 20);
    expect(extensive.items.length).toBeGreaterThan(0);
    expect(extensive.items[0]?.customAttributes.length).toBeGreaterThan(0);
  });

  it('caches the bulk settings', async () => {
    const a = await ds.bulkSettings();
    const b = await ds.bulkSettings();
    expect(a).toEqual(b);
    expect(a.lockDevice).toBe(3);
    expect(sim.stats().byRoute['GET /API/mdm/devices/bulksettings'] ?? 0).toBeLessThanOrEqual(1);
  });

  it('sends a command to one device; unknown and unenrolled devices are coded errors', async () => {
    const enrolled = [...sim.state.devices.values()].find((d) => d.enrollmentStatus === 'Enrolled');
    const unenrolled = [...sim.state.devices.values()].find((d) => d.enrollmentStatus === 'Unenrolled');
    if (!enrolled || !unenrolled) throw new Error('the dataset lacks enrolled or unenrolled devices');
    await ds.sendCommand(enrolled.id, 'SyncDevice');
    expect(sim.state.commandHistory(enrolled.id).at(-1)).toMatchObject({ command: 'SyncDevice', via: 'single' });
    expect(await rejectionOf(ds.sendCommand(99_999_999, 'Lock'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejectionOf(ds.sendCommand(unenrolled.id, 'Lock'))).toMatchObject({ code: 'BAD_USER_INPUT', details: { upstreamCode: 5075 } });
  });

  it('sends a bulk command in chunks of the bulk limit and turns faults into per-item results', async () => {
    const enrolled = [...sim.state.devices.values()].filter((d) => d.enrollmentStatus === 'Enrolled').slice(0, 5);
    const unenrolled = [...sim.state.devices.values()].find((d) => d.enrollmentStatus === 'Unenrolled');
    const ids = [...enrolled.map((d) => d.id), unenrolled?.id ?? 0, 99_999_999];
    const results = await ds.sendBulkCommand(ids, 'Lock');
    expect(results.map((r) => r.item)).toEqual(ids.map(String));
    expect(results.slice(0, 5).every((r) => r.status === 'ACCEPTED' && r.errorCode === null)).toBe(true);
    expect(results[5]).toMatchObject({ status: 'FAILED', errorCode: '5075', message: 'Device is not enrolled.' });
    expect(results[6]).toMatchObject({ status: 'FAILED', errorCode: '5061', message: 'Device not found.' });
    expect(sim.stats().byRoute[BULK]).toBe(3);
    for (const d of enrolled) expect(sim.state.commandHistory(d.id).at(-1)).toMatchObject({ command: 'Lock', via: 'bulk' });
  });

  it('keeps every item when a bulk chunk fails as a whole, and never resends a bulk write', async () => {
    sim.setFaults({ errorRate: 1, errorStatus: 503, routes: [BULK] });
    const ids = [...sim.state.devices.keys()].slice(0, 4);
    const results = await ds.sendBulkCommand(ids, 'SyncDevice');
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.status === 'FAILED' && r.errorCode === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(sim.stats().byRoute[BULK]).toBe(1);
  });
});
