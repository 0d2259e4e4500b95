/**
 * `/readyz` probes for real (issue 15: it said UEM was healthy 0.5 s after UEM died). A probe's
 * answer is reused for at most READINESS_PROBE_INTERVAL_MS: the first `/readyz` after that reports
 * an upstream that hangs (the probe times out) or is gone. A call that cannot reach the host makes
 * the cached answer stale at once. A recovered upstream is ready again on the next probe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const INTERVAL_MS = 1_000;
const ADA = 'ada.admin@demo.example';

interface Check {
  ok: boolean;
  detail?: string;
  ageMs: number;
  latencyMs: number;
}
interface Ready {
  ready: boolean;
  checks: { database: Check; uem: Check; harmony: Check };
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ READINESS_PROBE_INTERVAL_MS: String(INTERVAL_MS), READINESS_PROBE_TIMEOUT_MS: '500', UPSTREAM_MAX_RETRIES: '0' });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

async function readyz(): Promise<{ status: number; report: Ready }> {
  const res = await fetch(`${gw.url}/readyz`);
  return { status: res.status, report: (await res.json()) as Ready };
}

/** Waits until the probe behind `report`'s UEM check is one interval old (its answer expires). */
async function untilExpired(report: Ready): Promise<void> {
  const wait = INTERVAL_MS - report.checks.uem.ageMs;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 20));
}

describe('/readyz', () => {
  it('is ready with a real probe of each dependency, answered from cache within the interval', async () => {
    const first = await readyz();
    expect(first.status).toBe(200);
    expect(first.report.checks.uem).toMatchObject({ ok: true, ageMs: expect.any(Number), latencyMs: expect.any(Number) });
    const probes = () => gw.app.simulators.uem!.stats().byRoute['GET /API/system/info'] ?? 0;
    const before = probes();
    const again = await readyz();
    // Within the interval the same answer serves (unless it just expired, when one probe is sent).
    if (again.report.checks.uem.ageMs >= first.report.checks.uem.ageMs) expect(probes()).toBe(before);
    else expect(probes()).toBe(before + 1);
  });

  it('reports an upstream that stops answering on the first check after one interval', async () => {
    const { report } = await readyz();
    expect(report.checks.uem.ok).toBe(true);
    const uem = gw.app.simulators.uem!;
    uem.setFaults({ hangRate: 1 });
    try {
      await untilExpired(report);
      const hung = await readyz();
      expect(hung.status).toBe(503);
      expect(hung.report.checks.uem).toMatchObject({ ok: false, detail: 'timeout' });
      expect(hung.report.checks.harmony.ok).toBe(true);
    } finally {
      uem.clearFaults();
    }
    // Recovered: ready again once the failed answer expires.
    await untilExpired((await readyz()).report);
    const back = await readyz();
    expect(back.status).toBe(200);
    expect(back.report.checks.uem.ok).toBe(true);
  });

  it('reports an upstream that died (the reuse of a cached answer after a failed call is unit-tested)', async () => {
    const { report } = await readyz();
    expect(report.checks.uem.ok).toBe(true);
    await gw.app.simulators.uem!.close();
    // A request that needs UEM finds the host gone: the cached "ok" is stale from then on.
    const result = await gw.gql('{ device(id: "1") { id } }', { as: ADA });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem' });
    const dead = await readyz();
    expect(dead.status).toBe(503);
    expect(dead.report.checks.uem).toMatchObject({ ok: false, detail: 'UPSTREAM_UNAVAILABLE' });
    // Without traffic too: the next probe after the interval still finds it gone.
    await untilExpired(dead.report);
    const still = await readyz();
    expect(still.report.checks.uem.ok).toBe(false);
    expect(still.report.checks.uem.ageMs).toBeLessThan(INTERVAL_MS);
  });
});
