/**
 * `/readyz`: the database answers, and each upstream answers with valid credentials (UEM's
 * `/system/info`, Harmony's organization). Probes are cached for a few seconds so a busy load
 * balancer does not spend the upstream quota; breaker states are reported as they are.
 */
import type { HarmonyDatasource } from '../datasources/harmony/harmony.datasource.js';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { ReadinessReport } from '../server.js';

type Check = { ok: boolean; detail?: string; [key: string]: unknown };

export interface ReadinessDeps {
  ping(): Promise<void>;
  uem: UemDatasource;
  harmony: HarmonyDatasource;
  cacheMs?: number;
}

const describe = (err: unknown) => {
  const e = err as { code?: unknown; message?: unknown };
  return typeof e?.code === 'string' ? e.code : 'unreachable';
};

async function probe(run: () => Promise<unknown>, extra: Record<string, unknown>): Promise<Check> {
  try {
    await run();
    return { ok: true, ...extra };
  } catch (err) {
    return { ok: false, detail: describe(err), ...extra };
  }
}

export function createReadiness(deps: ReadinessDeps): () => Promise<ReadinessReport> {
  const cacheMs = deps.cacheMs ?? 5_000;
  let last: { at: number; report: Promise<ReadinessReport> } | undefined;
  const run = async (): Promise<ReadinessReport> => {
    const uemHealth = deps.uem.health();
    const harmonyHealth = deps.harmony.health();
    const [database, uem, harmony] = await Promise.all([
      probe(() => deps.ping(), {}),
      probe(() => deps.uem.systemInfo(), { breaker: uemHealth.breaker, quotaRemaining: uemHealth.quotaRemaining ?? null }),
      probe(() => deps.harmony.organization(), { breaker: harmonyHealth.breaker }),
    ]);
    const checks = { database, uem, harmony };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= cacheMs) last = { at: now, report: run() };
    return last.report;
  };
}
