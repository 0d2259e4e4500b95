import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseResponse } from '../../../src/datasources/upstream-http/validate.js';
import type { SimHandle } from '../../../src/simulators/common/sim-server.js';
import { startTestUpstream, testClient } from './test-upstream.js';

let upstream: SimHandle;
beforeAll(async () => {
  upstream = await startTestUpstream((r) =>
    r
      .get('/items/{id}', (req) => ({ status: 200, body: { id: req.params.id } }))
      .post('/items', () => ({ status: 201, body: { created: true } })),
  );
});
afterAll(async () => {
  await upstream.close();
});

describe('identical GETs in flight', () => {
  it('share one upstream request; different GETs and writes do not', async () => {
    upstream.setFaults({ latencyMs: 50 });
    upstream.resetStats();
    const client = testClient(upstream.url);
    const same = await Promise.all(Array.from({ length: 5 }, () => client.request({ method: 'GET', path: '/items/1', operation: 'items.get' })));
    expect(same.map((r) => r.body)).toEqual(Array(5).fill({ id: '1' }));
    expect(upstream.stats().byRoute['GET /items/{id}']).toBe(1);

    await Promise.all([
      client.request({ method: 'GET', path: '/items/1', operation: 'items.get' }),
      client.request({ method: 'GET', path: '/items/2', operation: 'items.get' }),
      client.request({ method: 'POST', path: '/items', body: {}, operation: 'items.create' }),
      client.request({ method: 'POST', path: '/items', body: {}, operation: 'items.create' }),
    ]);
    expect(upstream.stats().byRoute).toEqual({ 'GET /items/{id}': 3, 'POST /items': 2 });
    upstream.clearFaults();
    await client.close();
  });

  it('counts the calls sharing a response, and it keeps its body until the last has read it', async () => {
    upstream.setFaults({ latencyMs: 50 });
    upstream.resetStats();
    const client = testClient(upstream.url);
    const call = { upstream: 'uem' as const, operation: 'items.get' };
    const item = z.object({ id: z.string() });
    const shared = await Promise.all(Array.from({ length: 3 }, () => client.request({ method: 'GET', path: '/items/7', operation: 'items.get' })));
    const res = shared[0]!;
    expect(shared.every((r) => r === res)).toBe(true);
    expect(res.readers).toBe(3);
    const read = shared.map((r) => {
      const value = parseResponse(item, r, call);
      return { value, bodyAfter: r.body };
    });
    expect(read.map((r) => r.value)).toEqual(Array(3).fill({ id: '7' }));
    // One parse for all three (the same object), and the body let go after the third read only.
    expect(new Set(read.map((r) => r.value)).size).toBe(1);
    expect(read.map((r) => r.bodyAfter === undefined)).toEqual([false, false, true]);
    // A call after the shared one settled sends its own request and gets its own body.
    const later = await client.request({ method: 'GET', path: '/items/7', operation: 'items.get' });
    expect(later).not.toBe(res);
    expect(later.readers).toBe(1);
    expect(parseResponse(item, later, call)).toEqual({ id: '7' });
    expect(upstream.stats().byRoute['GET /items/{id}']).toBe(2);
    upstream.clearFaults();
    await client.close();
  });

  it('can be switched off (the benchmark compares with batching and sharing off)', async () => {
    upstream.setFaults({ latencyMs: 50 });
    upstream.resetStats();
    const client = testClient(upstream.url, { coalesceGets: false });
    await Promise.all(Array.from({ length: 3 }, () => client.request({ method: 'GET', path: '/items/1', operation: 'items.get' })));
    expect(upstream.stats().byRoute['GET /items/{id}']).toBe(3);
    upstream.clearFaults();
    await client.close();
  });
});
