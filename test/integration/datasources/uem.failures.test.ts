import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { INFO, SEARCH, startUem, uemDatasource } from './uem.helpers.js';
import { rejectionOf } from './test-upstream.js';

/** Each fault kind of the UEM simulator: a right answer after retries, or a prompt coded error. */
describe('UEM datasource: failure behaviour', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanup.length > 0) await cleanup.pop()?.();
  });
  async function setup(simOptions: Parameters<typeof startUem>[0] = {}, extra: Parameters<typeof uemDatasource>[2] = {}) {
    const sim = await startUem({ sizes: { devices: 50, uemUsers: 30, apps: 5 }, ...simOptions });
    const ds = uemDatasource(sim, 'basic', extra);
    cleanup.push(() => sim.close(), () => ds.close());
    return { sim, ds };
  }

  it('waits out the daily quota instead of spending it: RATE_LIMITED without a call', async () => {
    const registry = new Registry();
    const { sim, ds } = await setup({ dailyQuota: 3 }, { registry });
    for (let i = 0; i < 3; i++) await ds.systemInfo();
    expect(ds.health().quotaRemaining).toBe(0);
    expect(await registry.metrics()).toContain('gateway_upstream_quota_remaining{upstream="uem"} 0');
    sim.resetStats();
    const err = await rejectionOf(ds.searchDevices());
    expect(err).toMatchObject({ code: 'RATE_LIMITED', upstream: 'uem', details: { upstreamCode: 'QUOTA_EXHAUSTED' } });
    expect((err as { details: { retryAfterMs: number } }).details.retryAfterMs).toBeGreaterThan(0);
    expect(sim.stats().total).toBe(0);
  });

  it('a 429 for the spent quota (Retry-After beyond the budget) is RATE_LIMITED at once', async () => {
    const { sim, ds } = await setup({ dailyQuota: 1 });
    await ds.systemInfo();
    // A second gateway instance that has not seen the quota headers yet.
    const other = uemDatasource(sim);
    cleanup.push(() => other.close());
    sim.resetStats();
    const err = await rejectionOf(other.systemInfo());
    expect(err).toMatchObject({ code: 'RATE_LIMITED', details: { status: 429, upstreamCode: 1029 } });
    expect(sim.stats().byRoute[INFO]).toBe(1);
    expect(err).toHaveProperty('details.retryAfterMs', expect.any(Number));
  });

  it('a role missing a permission is UPSTREAM_UNAVAILABLE with UEM code 1016, naming the category', async () => {
    const { ds } = await setup({ missingPermissions: ['tags'] });
    const err = await rejectionOf(ds.searchTags());
    expect(err).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { status: 403, upstreamCode: 1016, reason: 'UEM_ROLE_CATEGORY_MISSING', roleCategory: 'Settings > Tags > Tags' },
    });
    expect((err as Error).message).toContain('set Settings > Tags > Tags to Edit');
    expect((await ds.searchDevices()).total).toBe(50);
  });

  it('per-second rate limits with Retry-After: answers after the wait', async () => {
    const { sim, ds } = await setup({}, { http: { requestTimeoutMs: 8_000, retry: { maxRetries: 4, budgetMs: 5_000 } } });
    sim.setFaults({ rateLimitPerSecond: 2 });
    const pages = await Promise.all(Array.from({ length: 4 }, () => ds.searchDevices({}, 0, 10)));
    for (const page of pages) expect(page.total).toBe(50);
  });

  it('malformed bodies and 5xx: answers after retries for reads, coded errors when persistent', async () => {
    const { sim, ds } = await setup({}, { http: { retry: { maxRetries: 24, baseDelayMs: 1, maxDelayMs: 5 } } });
    sim.setFaults({ malformedRate: 0.3, errorRate: 0.3, errorStatus: 502 });
    for (let i = 0; i < 5; i++) expect((await ds.searchDevices({}, 0, 10)).items).toHaveLength(10);
    sim.setFaults({ malformedRate: 1 });
    expect(await rejectionOf(ds.searchDevices())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { upstreamCode: 'malformed' } });
  });

  it('a hang: UPSTREAM_TIMEOUT within the configured deadline', async () => {
    const { sim, ds } = await setup({}, { http: { requestTimeoutMs: 400 } });
    sim.setFaults({ hangRate: 1, routes: [SEARCH] });
    // The deadline's own error, not a measured duration.
    expect(await rejectionOf(ds.searchDevices())).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: 'uem', message: expect.stringMatching(/within 400 ms/) });
  });

  it("a route's breaker opens on repeated failures, refuses that route without calls, and recovers after the cool-down", async () => {
    let shift = 0;
    const { sim, ds } = await setup(
      {},
      { timing: { now: () => Date.now() + shift }, http: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, coolDownMs: 30_000 } } },
    );
    sim.setFaults({ errorRate: 1, errorStatus: 503, routes: ['GET /API/mdm/devices/search'] });
    for (let i = 0; i < 3; i++) await rejectionOf(ds.searchDevices());
    expect(ds.health().breaker).toBe('open');
    expect(ds.health().routes).toContainEqual(expect.objectContaining({ route: 'devices.search', state: 'open' }));
    sim.resetStats();
    expect(await rejectionOf(ds.searchDevices())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { upstreamCode: 'CIRCUIT_OPEN' } });
    expect(sim.stats().total).toBe(0);
    // Another route of the same upstream is not paused.
    expect((await ds.systemInfo()).productVersion).toBeTruthy();
    expect(ds.health().connection).toBe('closed');
    sim.clearFaults();
    shift = 30_000;
    expect(ds.health().breaker).toBe('half-open');
    expect((await ds.searchDevices()).total).toBe(50);
    expect(ds.health().breaker).toBe('closed');
  });
});
