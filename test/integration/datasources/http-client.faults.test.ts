import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimHandle } from '../../../src/simulators/common/sim-server.js';
import { waitFor } from '../../helpers/wait.js';
import { rejectionOf, startTestUpstream, tcpHandles, testClient } from './test-upstream.js';

/** Each fault kind of the simulators' server core: a right answer after retries, or a prompt coded error. */
describe('HTTP client: the simulators fault routes', () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await startTestUpstream((r) => {
      r.get('/API/devices', () => ({ status: 200, body: { Devices: [{ Id: { Value: 1 } }], Total: 1 } }));
      r.post('/API/devices/commands', () => ({ status: 202 }));
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.clearFaults();
    sim.resetStats();
  });

  // Each call distinct (identical GETs in flight would share one upstream request).
  let n = 0;
  const get = (client: ReturnType<typeof testClient>) =>
    client.request({ method: 'GET', path: '/API/devices', query: { n: ++n }, operation: 'devices.search' });

  it('latency and jitter: correct answers', async () => {
    sim.setFaults({ latencyMs: 30, jitterMs: 20 });
    const client = testClient(sim.url);
    const results = await Promise.all(Array.from({ length: 5 }, () => get(client)));
    for (const r of results) expect(r.body).toMatchObject({ Total: 1 });
    await client.close();
  });

  it('intermittent 503s: answers after retries; permanent ones: UPSTREAM_UNAVAILABLE', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 24, baseDelayMs: 1, maxDelayMs: 5 } });
    sim.setFaults({ errorRate: 0.5, errorStatus: 503 });
    for (let i = 0; i < 10; i++) expect((await get(client)).body).toMatchObject({ Total: 1 });
    sim.setFaults({ errorRate: 1, errorStatus: 503 });
    expect(await rejectionOf(get(client))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { status: 503 } });
    await client.close();
  });

  it('faults limited to one route leave the others alone', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 0 } });
    sim.setFaults({ errorRate: 1, routes: ['POST /API/devices/commands'] });
    expect((await get(client)).status).toBe(200);
    const err = await rejectionOf(client.request({ method: 'POST', path: '/API/devices/commands', operation: 'devices.command' }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { status: 500 } });
    await client.close();
  });

  it('malformed bodies: answers after retries, or a coded error', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 24, baseDelayMs: 1, maxDelayMs: 5 } });
    sim.setFaults({ malformedRate: 0.5 });
    for (let i = 0; i < 10; i++) expect((await get(client)).body).toMatchObject({ Total: 1 });
    sim.setFaults({ malformedRate: 1 });
    expect(await rejectionOf(get(client))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { upstreamCode: 'malformed' } });
    await client.close();
  });

  it('rate limiting with Retry-After: the answer comes after the wait', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 3, budgetMs: 5_000 }, requestTimeoutMs: 8_000 });
    sim.setFaults({ rateLimitPerSecond: 2 });
    // Six at once: even split over two seconds, at least two meet a 429 first.
    const results = await Promise.all(Array.from({ length: 6 }, () => get(client)));
    for (const r of results) expect(r.body).toMatchObject({ Total: 1 });
    expect(sim.stats().total).toBeGreaterThan(6);
    await client.close();
  });

  it('a hanging upstream: UPSTREAM_TIMEOUT promptly after the configured deadline', async () => {
    const client = testClient(sim.url, { requestTimeoutMs: 300, headersTimeoutMs: 5_000 });
    sim.setFaults({ hangRate: 1 });
    const err = await rejectionOf(get(client));
    // The deadline's own error (the headers timeout would say "in time"), not a measured duration.
    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: 'uem', message: expect.stringMatching(/within 300 ms/) });
    await client.close();
  });

  it('a hang caught by the headers timeout is retried within the deadline', async () => {
    // undici checks headers and body timeouts on a coarse (about 1 s) timer; the deadline is far
    // enough that three attempts fit in it on a busy machine.
    const client = testClient(sim.url, { requestTimeoutMs: 25_000, headersTimeoutMs: 100, retry: { maxRetries: 2 } });
    sim.setFaults({ hangRate: 1 });
    const err = await rejectionOf(get(client));
    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', message: expect.not.stringMatching(/within/) });
    expect(sim.stats().total).toBe(3);
    await client.close();
  });

  it('leaves no socket open after close, even after hangs', async () => {
    const before = tcpHandles();
    const client = testClient(sim.url, { requestTimeoutMs: 200, maxConnections: 4 });
    // Answers or deadlines alike open the sockets this is about (a busy machine may miss 200 ms).
    await Promise.allSettled(Array.from({ length: 8 }, () => get(client)));
    expect(sim.stats().total).toBeGreaterThanOrEqual(1);
    sim.setFaults({ hangRate: 1 });
    await Promise.allSettled(Array.from({ length: 4 }, () => get(client)));
    await client.close();
    await waitFor('the sockets to close', () => tcpHandles() <= before);
  });

  it('keeps the connections of one origin under the cap', async () => {
    sim.setFaults({ latencyMs: 30 });
    const before = tcpHandles();
    const client = testClient(sim.url, { maxConnections: 3, maxConcurrency: 50 });
    let peak = 0;
    const probe = setInterval(() => (peak = Math.max(peak, tcpHandles() - before)), 5);
    await Promise.all(Array.from({ length: 30 }, () => get(client)));
    clearInterval(probe);
    // Each connection is two handles here: the client's socket and the server's.
    expect(peak).toBeLessThanOrEqual(6);
    await client.close();
  });
});
