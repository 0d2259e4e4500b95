import { createServer, type Server } from 'node:http';
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

  it('counts only unhealthy answers: 404s on the route keep it closed and reset the count', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, coolDownMs: 10_000 } });
    for (let i = 0; i < 5; i++) {
      await rejectionOf(client.request({ method: 'GET', path: '/work', operation: 'work' }));
      await rejectionOf(client.request({ method: 'GET', path: '/missing', operation: 'work' }));
    }
    expect(client.health().breaker).toBe('closed');
    await client.close();
  });

  it('opens only the failing route: other routes of the upstream keep being served', async () => {
    const registry = new Registry();
    const client = testClient(sim.url, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, coolDownMs: 60_000 } }, { registry });
    for (let i = 0; i < 2; i++) await rejectionOf(client.request({ method: 'GET', path: '/work', operation: 'work' }));
    expect(await rejectionOf(client.request({ method: 'GET', path: '/work', operation: 'work' }))).toMatchObject({ details: { upstreamCode: 'CIRCUIT_OPEN' } });
    upstream.status = 200;
    // The same path under another route name is another breaker.
    expect((await client.request({ method: 'GET', path: '/work', query: { n: 1 }, operation: 'work.other' })).status).toBe(200);
    expect(client.health()).toMatchObject({ breaker: 'open', connection: 'closed' });
    const metrics = await registry.metrics();
    expect(metrics).toContain('gateway_upstream_route_breaker_state{upstream="uem",operation="work"} 2');
    expect(metrics).toContain('gateway_upstream_route_breaker_state{upstream="uem",operation="work.other"} 0');
    expect(metrics).toContain('gateway_upstream_route_breaker_state{upstream="uem",operation="connection"} 0');
    expect(metrics).toContain('gateway_upstream_breaker_transitions_total{upstream="uem",operation="work",state="open"} 1');
    await client.close();
  });

  it('opens the connection breaker when the host refuses connections; a probe still goes out and its success closes it', async () => {
    const port = await freedPort();
    const client = testClient(`http://127.0.0.1:${port}`, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, coolDownMs: 60_000 } });
    for (const operation of ['a', 'b']) {
      expect(await rejectionOf(client.request({ method: 'GET', path: '/x', operation }))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    }
    const health = client.health();
    expect(health).toMatchObject({ breaker: 'open', connection: 'open' });
    expect(health.lastConnectionFailureAt).toBeGreaterThan(0);
    // The routes were not blamed for an unreachable host.
    expect(health.routes.filter((r) => r.route !== 'connection').map((r) => r.state)).toEqual(['closed', 'closed']);
    expect(await rejectionOf(client.request({ method: 'GET', path: '/x', operation: 'c' }))).toMatchObject({ details: { upstreamCode: 'CIRCUIT_OPEN' } });

    const server = await listenOn(port);
    try {
      expect(await rejectionOf(client.request({ method: 'GET', path: '/x', operation: 'c' }))).toMatchObject({ details: { upstreamCode: 'CIRCUIT_OPEN' } });
      expect((await client.request({ method: 'GET', path: '/x', operation: 'c', probe: { timeoutMs: 2_000 } })).status).toBe(200);
      expect(client.health()).toMatchObject({ breaker: 'closed', connection: 'closed' });
      expect((await client.request({ method: 'GET', path: '/x', operation: 'a' })).status).toBe(200);
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
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

/** A loopback port that was free a moment ago and has nothing listening on it now. */
async function freedPort(): Promise<number> {
  const server = await listenOn(0);
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

function listenOn(port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
