/**
 * The readiness cache, on a fake clock: a probe's answer is reused within the interval, re-probed
 * after it or as soon as a call has failed to reach the host since the answer came back; a probe
 * that does not answer within the timeout counts as failed; open route breakers are reported
 * without making the upstream unready.
 */
import { describe, expect, it } from 'vitest';
import { createReadiness, type ProbedUpstream } from '../../../src/bootstrap/readiness.js';
import type { UpstreamHealth } from '../../../src/datasources/upstream-http/http-client.js';
import type { UpstreamName } from '../../../src/errors.js';

function fakeUpstream(name: UpstreamName) {
  const state = { probes: 0, fail: undefined as string | undefined, hang: false, lastConnectionFailureAt: undefined as number | undefined, routes: [] as UpstreamHealth['routes'] };
  const upstream: ProbedUpstream = {
    async probe() {
      state.probes++;
      if (state.hang) return new Promise<void>(() => {});
      if (state.fail) throw Object.assign(new Error('down'), { code: state.fail });
    },
    health: (): UpstreamHealth => ({
      upstream: name,
      breaker: state.routes.some((r) => r.state === 'open') ? 'open' : 'closed',
      connection: 'closed',
      breakerRetryInMs: 0,
      routes: [{ route: 'connection', state: 'closed', retryInMs: 0 }, ...state.routes],
      lastConnectionFailureAt: state.lastConnectionFailureAt,
      inFlight: 0,
      queued: 0,
      quotaRemaining: undefined,
    }),
  };
  return { state, upstream };
}

function setup() {
  let now = 1_000;
  const uem = fakeUpstream('uem');
  const harmony = fakeUpstream('harmony');
  const readiness = createReadiness({
    ping: async () => {},
    upstreams: { uem: uem.upstream, harmony: harmony.upstream },
    intervalMs: 5_000,
    timeoutMs: 30,
    now: () => now,
  });
  return { uem, harmony, readiness, advance: (ms: number) => (now += ms), at: () => now };
}

describe('readiness', () => {
  it('reuses an answer within the interval and probes again after it', async () => {
    const { uem, readiness, advance } = setup();
    expect((await readiness()).ready).toBe(true);
    advance(4_999);
    const cached = await readiness();
    expect(uem.state.probes).toBe(1);
    expect(cached.checks.uem).toMatchObject({ ok: true, ageMs: 4_999 });
    uem.state.fail = 'UPSTREAM_UNAVAILABLE';
    advance(1);
    const report = await readiness();
    expect(uem.state.probes).toBe(2);
    expect(report).toMatchObject({ ready: false, checks: { uem: { ok: false, detail: 'UPSTREAM_UNAVAILABLE', ageMs: 0 } } });
  });

  it('probes again at once when a call failed to reach the host after the last answer', async () => {
    const { uem, readiness, advance, at } = setup();
    await readiness();
    advance(100);
    uem.state.lastConnectionFailureAt = at();
    uem.state.fail = 'UPSTREAM_UNAVAILABLE';
    const report = await readiness();
    expect(uem.state.probes).toBe(2);
    expect(report.ready).toBe(false);
    // The probe's own failure does not make its answer stale.
    uem.state.lastConnectionFailureAt = at();
    await readiness();
    expect(uem.state.probes).toBe(2);
  });

  it('counts a probe that does not answer within the timeout as failed', async () => {
    const { harmony, readiness } = setup();
    harmony.state.hang = true;
    const report = await readiness();
    expect(report).toMatchObject({ ready: false, checks: { harmony: { ok: false, detail: 'timeout' }, uem: { ok: true } } });
  });

  it('reports open route breakers without making the upstream unready', async () => {
    const { harmony, readiness } = setup();
    harmony.state.routes = [
      { route: 'externalUsers.list', state: 'open', retryInMs: 7_000 },
      { route: 'roles.list', state: 'closed', retryInMs: 0 },
    ];
    const report = await readiness();
    expect(report.ready).toBe(true);
    expect(report.checks.harmony).toMatchObject({ ok: true, breaker: 'open', pausedRoutes: { 'externalUsers.list': { state: 'open', retryInMs: 7_000 } } });
    expect(Object.keys(report.checks.harmony!.pausedRoutes as object)).toEqual(['externalUsers.list']);
  });
});
