/**
 * One bounded load run with autocannon against the gateway (loopback only), and the simulators'
 * request counters. A response counts as an error when it is not a 2xx, times out, or carries
 * GraphQL `errors`.
 */
import autocannon from 'autocannon';
import type { ScenarioRequest } from './scenarios.js';

export interface LoadResult {
  /** Responses per second over the run. */
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** Responses (any status) plus timeouts and connection errors. */
  completed: number;
  errors: number;
  durationSec: number;
}

export interface LoadOptions {
  connections: number;
  durationSec: number;
  /** Paced load: requests per second over all connections (default: as fast as answered). */
  overallRate?: number;
}

/** Per-request timeout: generous, since batching off makes some scenarios take seconds. */
const REQUEST_TIMEOUT_SEC = 30;

export async function runLoad(gatewayUrl: string, request: ScenarioRequest, options: LoadOptions): Promise<LoadResult> {
  // Varied arguments (pages, filters) rotate over the whole run, so that identical requests in
  // flight at the same moment, which share one upstream call, do not flatter the figures.
  const variants = request.variants && request.variants.length > 1 ? request.variants : undefined;
  let next = 0;
  const instance = autocannon({
    url: `${gatewayUrl}/graphql`,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    ...(variants ? { requests: [{ setupRequest: (req) => ({ ...req, body: variants[next++ % variants.length] }) }] } : {}),
    connections: options.connections,
    duration: options.durationSec,
    timeout: REQUEST_TIMEOUT_SEC,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    verifyBody: (body) => !body.includes('"errors":'),
  });
  // autocannon stops on its own after `duration`; this is the bound should a response never end.
  const watchdog = setTimeout(() => instance.stop(), (options.durationSec + REQUEST_TIMEOUT_SEC + 5) * 1000);
  try {
    const result = await instance;
    const responses = Object.values(result.statusCodeStats).reduce((sum, s) => sum + s.count, 0);
    const durationSec = result.duration > 0 ? result.duration : options.durationSec;
    return {
      rps: round(responses / durationSec, 1),
      p50Ms: result.latency.p50,
      p90Ms: result.latency.p90,
      p99Ms: result.latency.p99,
      completed: responses + result.errors,
      errors: result.errors + result.non2xx + result.mismatches,
      durationSec: round(durationSec, 2),
    };
  } finally {
    clearTimeout(watchdog);
  }
}

export interface SimStats {
  total: number;
  byRoute: Record<string, number>;
}

export async function simStats(baseUrl: string): Promise<SimStats> {
  const res = await fetch(`${baseUrl}/__sim/stats`);
  if (!res.ok) throw new Error(`GET ${baseUrl}/__sim/stats answered ${res.status}`);
  return (await res.json()) as SimStats;
}

export async function resetSimStats(...baseUrls: string[]): Promise<void> {
  await Promise.all(
    baseUrls.map(async (url) => {
      const res = await fetch(`${url}/__sim/stats/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`POST ${url}/__sim/stats/reset answered ${res.status}`);
    }),
  );
}

/** One request outside the load generator: its status, GraphQL errors and time. */
export async function sendOnce(gatewayUrl: string, request: ScenarioRequest): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${gatewayUrl}/graphql`, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  const ms = performance.now() - started;
  try {
    return { status: res.status, body: JSON.parse(text) as { data?: unknown }, ms };
  } catch {
    return { status: res.status, body: { errors: [{ message: `non-JSON response: ${text.slice(0, 200)}` }] }, ms };
  }
}

export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};
