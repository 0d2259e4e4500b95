import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { SimHandle } from '../../../src/simulators/common/sim-server.js';
import { sleep } from '../../../src/datasources/upstream-http/timing.js';
import { rejectionOf, startTestUpstream, testClient } from './test-upstream.js';

/** Answers `failures` times with `status` (and headers), then 200. */
const flaky = { remaining: 0, status: 503, headers: {} as Record<string, string> };

describe('HTTP client: retries', () => {
  let sim: SimHandle;
  let quotaReset = 0;

  beforeAll(async () => {
    sim = await startTestUpstream((r) => {
      const handler = () => {
        if (flaky.remaining > 0) {
          flaky.remaining--;
          return { status: flaky.status, headers: flaky.headers, body: { errorCode: 1, message: 'try later' } };
        }
        return { status: 200, body: { ok: true } };
      };
      r.get('/flaky', handler);
      r.post('/flaky', handler);
      r.get('/quota', () => ({
        status: 200,
        headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(quotaReset) },
        body: { ok: true },
      }));
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.resetStats();
    flaky.remaining = 0;
    flaky.status = 503;
    flaky.headers = {};
  });

  const calls = (route: string) => sim.stats().byRoute[route] ?? 0;

  it('retries an idempotent GET on 5xx, 408 and 429 until it succeeds', async () => {
    const registry = new Registry();
    const client = testClient(sim.url, {}, { registry });
    for (const status of [500, 502, 503, 504, 408, 429]) {
      flaky.remaining = 2;
      flaky.status = status;
      const res = await client.request({ method: 'GET', path: '/flaky', operation: 'flaky' });
      expect(res.body, String(status)).toEqual({ ok: true });
    }
    expect(calls('GET /flaky')).toBe(18);
    expect(await registry.metrics()).toContain('gateway_upstream_retries_total{upstream="uem",operation="flaky"} 12');
    await client.close();
  });

  it('stops after maxRetries with the last error', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 3 } });
    flaky.remaining = 100;
    const err = await rejectionOf(client.request({ method: 'GET', path: '/flaky', operation: 'flaky' }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { status: 503, upstreamCode: 1 } });
    expect(calls('GET /flaky')).toBe(4);
    await client.close();
  });

  it('never retries a POST unless it is marked idempotent', async () => {
    const client = testClient(sim.url);
    flaky.remaining = 1;
    const err = await rejectionOf(client.request({ method: 'POST', path: '/flaky', body: {}, operation: 'write' }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { status: 503 } });
    expect(calls('POST /flaky')).toBe(1);

    flaky.remaining = 1;
    const res = await client.request({ method: 'POST', path: '/flaky', body: {}, operation: 'lookup', idempotent: true });
    expect(res.body).toEqual({ ok: true });
    expect(calls('POST /flaky')).toBe(3);
    await client.close();
  });

  it('does not retry 4xx other than 408 and 429', async () => {
    const client = testClient(sim.url);
    for (const status of [400, 401, 403, 404, 409]) {
      flaky.remaining = 1;
      flaky.status = status;
      await rejectionOf(client.request({ method: 'GET', path: '/flaky', operation: 'flaky' }));
    }
    expect(calls('GET /flaky')).toBe(5);
    await client.close();
  });

  it('waits what Retry-After asks, with full-jitter backoff otherwise', async () => {
    const waits: number[] = [];
    const timing = { random: () => 0.5, sleep: (ms: number, signal?: AbortSignal) => (waits.push(ms), sleep(0, signal)) };
    const client = testClient(sim.url, { requestTimeoutMs: 10_000, retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 250, budgetMs: 10_000 } }, { timing });
    flaky.remaining = 3;
    flaky.status = 503;
    await client.request({ method: 'GET', path: '/flaky', operation: 'flaky' });
    expect(waits).toEqual([50, 100, 125]);

    waits.length = 0;
    flaky.remaining = 1;
    flaky.status = 429;
    flaky.headers = { 'retry-after': '2' };
    await client.request({ method: 'GET', path: '/flaky', operation: 'flaky' });
    expect(waits).toEqual([2_000]);

    waits.length = 0;
    flaky.remaining = 1;
    flaky.headers = { 'retry-after': new Date(Date.now() + 4_000).toUTCString() };
    await client.request({ method: 'GET', path: '/flaky', operation: 'flaky' });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(2_000);
    expect(waits[0]).toBeLessThanOrEqual(4_000);
    await client.close();
  });

  it('answers RATE_LIMITED at once when Retry-After is beyond the retry budget', async () => {
    const client = testClient(sim.url, { retry: { budgetMs: 1_000 } });
    flaky.remaining = 5;
    flaky.status = 429;
    flaky.headers = { 'retry-after': '30' };
    const err = await rejectionOf(client.request({ method: 'GET', path: '/flaky', operation: 'flaky' }));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: 30_000, status: 429 } });
    expect(calls('GET /flaky')).toBe(1);
    await client.close();
  });

  it('spends at most the retry budget on backoff', async () => {
    const waits: number[] = [];
    const timing = { random: () => 0.99, sleep: (ms: number, signal?: AbortSignal) => (waits.push(ms), sleep(0, signal)) };
    const client = testClient(sim.url, { retry: { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 100, budgetMs: 250 } }, { timing });
    flaky.remaining = 100;
    await rejectionOf(client.request({ method: 'GET', path: '/flaky', operation: 'flaky' }));
    expect(waits).toEqual([99, 99]);
    expect(calls('GET /flaky')).toBe(3);
    await client.close();
  });

  it('waits for the quota reset instead of spending the quota, or fails without a call', async () => {
    const waits: number[] = [];
    const timing = { sleep: (ms: number, signal?: AbortSignal) => (waits.push(ms), sleep(0, signal)) };
    const registry = new Registry();
    const client = testClient(sim.url, { requestTimeoutMs: 10_000, retry: { budgetMs: 5_000 } }, { timing, registry });
    quotaReset = Math.floor(Date.now() / 1000) + 3;
    await client.request({ method: 'GET', path: '/quota', operation: 'quota' });
    expect(client.health().quotaRemaining).toBe(0);
    expect(await registry.metrics()).toContain('gateway_upstream_quota_remaining{upstream="uem"} 0');
    await client.request({ method: 'GET', path: '/flaky', operation: 'flaky' });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(1_000);

    const strict = testClient(sim.url, { retry: { budgetMs: 500 } });
    quotaReset = Math.floor(Date.now() / 1000) + 3_600;
    await strict.request({ method: 'GET', path: '/quota', operation: 'quota' });
    const before = calls('GET /flaky');
    const err = await rejectionOf(strict.request({ method: 'GET', path: '/flaky', operation: 'flaky' }));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', details: { upstreamCode: 'QUOTA_EXHAUSTED' } });
    expect((err as { details: { retryAfterMs: number } }).details.retryAfterMs).toBeGreaterThan(3_000_000);
    expect(calls('GET /flaky')).toBe(before);
    await Promise.all([client.close(), strict.close()]);
  });
});
