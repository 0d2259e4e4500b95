import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
