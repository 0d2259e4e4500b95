import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/simulators/common/clock.js';
import { startUemSimulator, type UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import { waitFor } from '../../helpers/wait.js';
import { UemTestClient } from './uem-test-client.js';

const small = { sizes: { devices: 60, uemUsers: 40 } };

describe('UEM simulator fault injection through /__sim/faults', () => {
  let sim: UemSimulator;
  let client: UemTestClient;

  beforeAll(async () => {
    sim = await startUemSimulator({ ...small, clock: systemClock });
    client = new UemTestClient(sim);
  });
  afterEach(async () => {
    await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  });
  afterAll(() => sim.close());

  const putFaults = async (faults: Record<string, unknown>) => {
    const r = await fetch(`${sim.url}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    expect(r.status, await r.clone().text()).toBe(200);
  };

  it('adds latency', async () => {
    await putFaults({ latencyMs: 150 });
    const started = performance.now();
    expect((await client.get('/API/system/info')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('injects errors with the configured status in the UEM error shape', async () => {
    await putFaults({ errorRate: 1, errorStatus: 503 });
    const r = await client.get('/API/mdm/devices/search');
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ errorCode: 1999, message: expect.any(String), activityId: expect.any(String) });
    expect(r.headers.get('x-correlation-id')).toBeTruthy();
    await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
    expect((await client.get('/API/mdm/devices/search')).status).toBe(200);
  });

  it('sends malformed JSON bodies', async () => {
    await putFaults({ malformedRate: 1 });
    const r = await client.get('/API/mdm/devices/101');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/json/);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('rate-limits per second with 429, Retry-After and the UEM error shape', async () => {
    await putFaults({ rateLimitPerSecond: 2 });
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await client.get('/API/system/info'));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
    expect(limited[0]?.json.errorCode).toBe(1028);
  });

  it('limits faults to the listed route templates', async () => {
    await putFaults({ errorRate: 1, routes: ['GET /API/mdm/devices/{id}', '/API/mdm/tags/search'] });
    expect((await client.get('/api/mdm/devices/101')).status).toBe(500);
    expect((await client.get('/API/mdm/tags/search')).status).toBe(500);
    expect((await client.get('/API/mdm/devices/search')).status).toBe(200);
    expect((await client.get('/API/system/info')).status).toBe(200);
  });

  it('refuses an invalid fault body', async () => {
    const r = await fetch(`${sim.url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 2 }) });
    expect(r.status).toBe(400);
  });
});

describe('UEM simulator hung requests', () => {
  it('never answers a hung request, and close() destroys its socket promptly', async () => {
    const sim = await startUemSimulator({ ...small, faults: { hangRate: 1 } });
    const client = new UemTestClient(sim);
    let settled = false;
    const pending = client.get('/API/system/info').then(
      () => 'answered',
      () => 'connection closed',
    );
    void pending.then(() => (settled = true));
    await waitFor('the request to reach the simulator', () => sim.stats().byRoute['GET /API/system/info'] === 1);
    expect(settled).toBe(false);
    // The request hangs for ever: a close that waited for it would never return.
    await sim.close();
    expect(await pending).toBe('connection closed');
  });
});
