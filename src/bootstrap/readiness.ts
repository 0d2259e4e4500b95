/**
 * `/readyz`: the database answers, and each upstream answers a real probe with valid credentials
 * (UEM's `/system/info`, Harmony's organization), each within READINESS_PROBE_TIMEOUT_MS. A probe's
 * result is reused for at most READINESS_PROBE_INTERVAL_MS (a busy load balancer does not spend the
 * upstream quota), and sooner when a call has since failed to reach that upstream's host, so an
 * upstream that stops answering is reported within one interval. Probes go through the breakers'
 * bypass: an open breaker never hides a recovered upstream, and a successful probe closes it.
 *
 * Readiness is about the upstream as a whole: a route whose breaker is open is reported (with its
 * remaining pause) without making the instance unready, since every instance shares that upstream.
 */
import type { UpstreamHealth } from '../datasources/upstream-http/http-client.js';
import type { UpstreamName } from '../errors.js';
import type { ReadinessReport } from '../server.js';

type Check = { ok: boolean; detail?: string; [key: string]: unknown };

/** What readiness needs of a datasource. */
export interface ProbedUpstream {
  probe(timeoutMs: number): Promise<void>;
  health(): UpstreamHealth;
}

export interface ReadinessDeps {
  ping(): Promise<void>;
  upstreams: Record<UpstreamName, ProbedUpstream>;
  /** How long a probe's result is reused. */
  intervalMs: number;
  /** How long one probe may take before it counts as failed. */
  timeoutMs: number;
  now?: () => number;
}

interface Probe {
  at: number;
  /** When the result came back (Infinity while in flight). */
  settledAt: number;
  result: Promise<{ ok: boolean; detail?: string; latencyMs: number }>;
}

const describe = (err: unknown) => {
  const e = err as { code?: unknown };
  return typeof e?.code === 'string' ? e.code : 'unreachable';
};

class ProbeTimeout extends Error {
  readonly code = 'timeout';
}

/** Runs `run` within `timeoutMs`; never rejects. */
async function timed(run: () => Promise<unknown>, timeoutMs: number): Promise<{ ok: boolean; detail?: string; latencyMs: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), timeoutMs);
  });
  try {
    await Promise.race([run(), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, detail: describe(err), latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** The route breakers that are not closed, by route (the connection breaker reported on its own). */
function pausedRoutes(health: UpstreamHealth): Record<string, { state: string; retryInMs: number }> {
  const paused: Record<string, { state: string; retryInMs: number }> = {};
  for (const r of health.routes) if (r.route !== 'connection' && r.state !== 'closed') paused[r.route] = { state: r.state, retryInMs: r.retryInMs };
  return paused;
}

export function createReadiness(deps: ReadinessDeps): () => Promise<ReadinessReport> {
  const now = deps.now ?? Date.now;
  const probes = new Map<string, Probe>();

  /** The cached probe of `name`, or a new one when it is too old or `stale(settledAt)` says so. */
  function probe(name: string, run: () => Promise<unknown>, stale: (settledAt: number) => boolean = () => false): Promise<Check> {
    const at = now();
    let cached = probes.get(name);
    if (!cached || at - cached.at >= deps.intervalMs || stale(cached.settledAt)) {
      const fresh: Probe = { at, settledAt: Infinity, result: timed(run, deps.timeoutMs) };
      void fresh.result.then(() => (fresh.settledAt = now()));
      probes.set(name, (cached = fresh));
    }
    const probedAt = cached.at;
    return cached.result.then((r) => ({ ...r, ageMs: Math.max(0, now() - probedAt) }));
  }

  function upstream(name: UpstreamName): Promise<Check> {
    const ds = deps.upstreams[name];
    // A call that could not reach the host after the last probe answered makes that answer stale.
    const failedSince = (settledAt: number) => (ds.health().lastConnectionFailureAt ?? -Infinity) > settledAt;
    return probe(name, () => ds.probe(deps.timeoutMs), failedSince).then((check) => {
      const health = ds.health();
      return {
        ...check,
        breaker: health.breaker,
        connection: health.connection,
        pausedRoutes: pausedRoutes(health),
        ...(name === 'uem' ? { quotaRemaining: health.quotaRemaining ?? null } : {}),
      };
    });
  }

  return async () => {
    const [database, uem, harmony] = await Promise.all([probe('database', () => deps.ping()), upstream('uem'), upstream('harmony')]);
    const checks = { database, uem, harmony };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };
}
