import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { SimHandle } from '../../../src/simulators/common/sim-server.js';
import { rejectionOf, startTestUpstream, testClient } from './test-upstream.js';

const upstream = { status: 500, delayMs: 0, inFlight: 0, maxInFlight: 0 };
const arrivals: number[] = [];

describe('HTTP client: circuit breaker and concurrency limit', () => {
  let sim: SimHandle;

  beforeAll(async () => {
    sim = await startTestUpstream((r) => {
      r.get('/work', async (req) => {
        arrivals.push(Number(req.query.get('i') ?? -1));
        upstream.inFlight++;
        upstream.maxInFlight = Math.max(upstream.maxInFlight, upstream.inFlight);
        await new Promise((resolve) => setTimeout(resolve, upstream.delayMs));
        upstream.inFlight--;
        return { status: upstream.status, body: { ok: upstream.status === 200 } };
      });
      r.get('/missing', () => ({ status: 404, body: {} }));
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.resetStats();
    Object.assign(upstream, { status: 500, delayMs: 0, inFlight: 0, maxInFlight: 0 });
    arrivals.length = 0;
  });

  const calls = () => sim.stats().byRoute['GET /work'] ?? 0;

  it('opens after consecutive failures, probes once when half-open, and closes on success', async () => {
    let shift = 0;
    const registry = new Registry();
    const client = testClient(
      sim.url,
      { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, coolDownMs: 10_000 } },
      { registry, timing: { now: () => Date.now() + shift } },
    );
    const get = (n?: number) => client.request({ method: 'GET', path: '/work', query: { n }, operation: 'work' });
    for (let i = 0; i < 3; i++) expect(await rejectionOf(get())).toMatchObject({ details: { status: 500 } });
    expect(client.health().breaker).toBe('open');
    expect(await registry.metrics()).toContain('gateway_upstream_breaker_state{upstream="uem"} 2');

    const refused = await rejectionOf(get());
    expect(refused).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem', details: { upstreamCode: 'CIRCUIT_OPEN' } });
    expect((refused as { details: { retryAfterMs: number } }).details.retryAfterMs).toBeGreaterThan(9_000);
    expect(calls()).toBe(3);

    // Cool-down over, upstream still failing: the one probe fails and the breaker opens again.
    shift += 10_000;
    expect(client.health().breaker).toBe('half-open');
    expect(await registry.metrics()).toContain('gateway_upstream_breaker_state{upstream="uem"} 1');
    await rejectionOf(get());
    expect(calls()).toBe(4);
    expect(client.health().breaker).toBe('open');

    // Next cool-down, upstream healthy again but slow: one probe passes, a concurrent call is refused.
    shift += 10_000;
    upstream.status = 200;
    upstream.delayMs = 100;
    // Two different calls (identical GETs in flight would share one request).
    const [probe, other] = await Promise.allSettled([get(1), get(2)]);
    expect(probe).toMatchObject({ status: 'fulfilled', value: { body: { ok: true } } });
    expect(other).toMatchObject({ status: 'rejected', reason: { details: { upstreamCode: 'CIRCUIT_OPEN' } } });
    expect(client.health().breaker).toBe('closed');
    await get();
    expect(calls()).toBe(6);
    expect(await registry.metrics()).toContain('gateway_upstream_breaker_state{upstream="uem"} 0');
    await client.close();
  });

  it('counts only unhealthy answers: 404s keep it closed and reset the count', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, coolDownMs: 10_000 } });
    for (let i = 0; i < 5; i++) {
      await rejectionOf(client.request({ method: 'GET', path: '/work', operation: 'work' }));
      await rejectionOf(client.request({ method: 'GET', path: '/missing', operation: 'missing' }));
    }
    expect(client.health().breaker).toBe('closed');
    await client.close();
  });

  it('queues calls beyond the concurrency limit in order instead of rejecting them', async () => {
    upstream.status = 200;
    upstream.delayMs = 30;
    const client = testClient(sim.url, { maxConcurrency: 2 });
    const pending = Array.from({ length: 8 }, (_, i) => client.request({ method: 'GET', path: '/work', query: { i }, operation: 'work' }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(client.health()).toMatchObject({ inFlight: 2, queued: 6 });
    expect((await Promise.all(pending)).every((r) => r.status === 200)).toBe(true);
    expect(upstream.maxInFlight).toBe(2);
    // FIFO with two slots: each call reaches the upstream at most one place away from its turn.
    expect(arrivals).toHaveLength(8);
    arrivals.forEach((i, position) => expect(Math.abs(i - position)).toBeLessThanOrEqual(1));
    expect(client.health()).toMatchObject({ inFlight: 0, queued: 0 });
    await client.close();
  });

  it('ends a call still queued at the deadline with UPSTREAM_TIMEOUT', async () => {
    upstream.status = 200;
    upstream.delayMs = 400;
    const client = testClient(sim.url, { maxConcurrency: 1, requestTimeoutMs: 250, retry: { maxRetries: 0 } });
    const results = await Promise.allSettled([1, 2].map(() => client.request({ method: 'GET', path: '/work', operation: 'work' })));
    for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'UPSTREAM_TIMEOUT' } });
    expect(calls()).toBe(1);
    expect(client.health()).toMatchObject({ inFlight: 0, queued: 0 });
    await client.close();
  });
});
