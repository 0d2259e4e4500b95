/**
 * The gateway's own metrics (the upstream ones live with the HTTP layer): GraphQL requests by
 * operation and outcome with a latency histogram, refusals by limit, cross-request cache hits and
 * misses, DataLoader batch sizes, and Node's process metrics (event-loop lag, memory, CPU, GC).
 * Label values are bounded: operation names are cut to known characters and length, outcomes and
 * codes come from small sets, never ids or emails.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CacheStats } from '../loaders/ttl-cache.js';
import type { MemoryBudget } from '../safety/memory-budget.js';

/** Operation names come from clients: keep the label set bounded. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'invalid';
}

export interface GatewayMetrics {
  requests: Counter<'operation' | 'kind' | 'outcome'>;
  duration: Histogram<'operation' | 'outcome'>;
  refusals: Counter<'code' | 'reason'>;
  loaderBatch: Histogram<'loader'>;
  exports: Counter<'format' | 'outcome'>;
  exportRows: Counter<'format'>;
  connectionsRefused: Counter<'reason'>;
  /** Audit rows of refusals and partner reads dropped past a principal's audit budget. */
  auditSuppressed: Counter;
  /** APQ registrations of accepted operations by outcome: stored, limited (over the principal's budget). */
  apqRegistrations: Counter<'outcome'>;
  /** Reports the cross-request cache's counters (read on each scrape). */
  observeCache(stats: CacheStats): void;
  /** Reports the memory budget (read on each scrape). */
  observeMemory(budget: MemoryBudget): void;
}

/** How often the event-loop delay is sampled (prom-client's `eventLoopMonitoringPrecision`). */
export const EVENT_LOOP_SAMPLE_MS = 100;

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  let cacheStats: CacheStats = { hits: 0, misses: 0, staleServed: 0 };
  // The event-loop delay histogram samples with a timer: prom-client's default, every 10 ms, was most
  // of an idle gateway's CPU (~6 ms a second) and was charged to whatever few requests came meanwhile.
  // Every 100 ms still sees each stall of 100 ms or more, and shorter ones in proportion.
  collectDefaultMetrics({ register: registry, prefix: 'gateway_process_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Lookups in the cross-request reference cache, by result (hit, miss, stale served while an upstream failed).',
    labelNames: ['result'],
    registers,
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, cacheStats.hits);
      this.inc({ result: 'miss' }, cacheStats.misses);
      this.inc({ result: 'stale' }, cacheStats.staleServed);
    },
  });
  let memory: MemoryBudget | undefined;
  new Gauge({
    name: 'gateway_memory_budget_bytes',
    help: 'The memory budget: the heap bytes requests in flight may reserve at once (MEMORY_BUDGET_MB, or automatic).',
    registers,
    collect() {
      if (memory) this.set(memory.limit);
    },
  });
  new Gauge({
    name: 'gateway_memory_reserved_bytes',
    help: 'The most bytes of the memory budget reserved at once since the previous scrape (requests refused OVERLOADED when it is full).',
    registers,
    collect() {
      if (memory) this.set(memory.takePeak());
    },
  });
  return {
    observeCache(stats) {
      cacheStats = stats;
    },
    observeMemory(budget) {
      memory = budget;
    },
    connectionsRefused: new Counter({
      name: 'gateway_http_connections_refused_total',
      help: 'Connections closed as soon as they were accepted, by reason (per_address: over HTTP_MAX_CONNECTIONS_PER_ADDRESS).',
      labelNames: ['reason'],
      registers,
    }),
    requests: new Counter({
      name: 'gateway_graphql_requests_total',
      help: 'GraphQL requests by operation name, operation kind and outcome (ok, partial, error, refused, unauthenticated).',
      labelNames: ['operation', 'kind', 'outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'Time from the request arriving to the response being sent, in seconds.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    refusals: new Counter({
      name: 'gateway_refusals_total',
      help: 'Requests refused before execution, by error code and reason (limit name, rate limit, authentication reason).',
      labelNames: ['code', 'reason'],
      registers,
    }),
    exports: new Counter({
      name: 'gateway_exports_total',
      help: 'GET /export requests by format (csv, jsonl) and outcome (complete, partial, error, aborted).',
      labelNames: ['format', 'outcome'],
      registers,
    }),
    exportRows: new Counter({
      name: 'gateway_export_rows_total',
      help: 'Rows streamed by GET /export, by format.',
      labelNames: ['format'],
      registers,
    }),
    auditSuppressed: new Counter({
      name: 'gateway_audit_rows_suppressed_total',
      help: "Audit rows of refusals and partner reads not written because the principal was over its audit budget (RATE_LIMIT_AUDIT_*).",
      registers,
    }),
    apqRegistrations: new Counter({
      name: 'gateway_apq_registrations_total',
      help: 'APQ registrations (hash plus text of an unknown document) of accepted operations, by outcome: stored, limited (over the per-principal budget: ran without being stored). Refused operations are never stored.',
      labelNames: ['outcome'],
      registers,
    }),
    loaderBatch: new Histogram({
      name: 'gateway_loader_batch_size',
      help: 'Keys per DataLoader batch, by loader.',
      labelNames: ['loader'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
      registers,
    }),
  };
}
