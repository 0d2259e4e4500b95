/**
 * Upstream metrics on a Registry the caller passes in (so tests and several gateways in one
 * process do not collide). Label values are bounded: upstream names, operation names we chose
 * (route names, never ids), HTTP statuses or a few outcome words, and contract error codes.
 * One set of metrics exists per registry; every client on that registry shares it.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { UpstreamName } from '../../errors.js';
import type { BreakerState } from './breaker.js';
import type { UpstreamBreakers } from './breakers.js';

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export class UpstreamMetrics {
  readonly requests: Counter<'upstream' | 'operation' | 'status'>;
  readonly duration: Histogram<'upstream' | 'operation'>;
  readonly retries: Counter<'upstream' | 'operation'>;
  readonly errors: Counter<'upstream' | 'operation' | 'code'>;
  readonly quotaRemaining: Gauge<'upstream'>;
  readonly breakerTransitions: Counter<'upstream' | 'operation' | 'state'>;
  private readonly breakers = new Map<UpstreamName, UpstreamBreakers>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'HTTP requests sent to an upstream, by operation and outcome (HTTP status, timeout, network_error, unreadable).',
      labelNames: ['upstream', 'operation', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Duration of one HTTP request to an upstream (one attempt), in seconds.',
      labelNames: ['upstream', 'operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.retries = new Counter({
      name: 'gateway_upstream_retries_total',
      help: 'Retries of idempotent upstream requests.',
      labelNames: ['upstream', 'operation'],
      registers,
    });
    this.errors = new Counter({
      name: 'gateway_upstream_errors_total',
      help: 'Upstream calls that ended in an error, by contract error code.',
      labelNames: ['upstream', 'operation', 'code'],
      registers,
    });
    this.quotaRemaining = new Gauge({
      name: 'gateway_upstream_quota_remaining',
      help: 'Requests left in the upstream quota, as its x-ratelimit-remaining header last said.',
      labelNames: ['upstream'],
      registers,
    });
    this.breakerTransitions = new Counter({
      name: 'gateway_upstream_breaker_transitions_total',
      help: 'Circuit breaker state changes, by upstream, route (`connection` for the connection breaker) and the state entered.',
      labelNames: ['upstream', 'operation', 'state'],
      registers,
    });
    const breakers = this.breakers;
    new Gauge({
      name: 'gateway_upstream_breaker_state',
      help: 'The most severe circuit breaker state of an upstream (any route, or its connections): 0 closed, 1 half-open, 2 open.',
      labelNames: ['upstream'],
      registers,
      collect() {
        for (const [upstream, set] of breakers) this.set({ upstream }, BREAKER_VALUE[set.worst()]);
      },
    });
    new Gauge({
      name: 'gateway_upstream_route_breaker_state',
      help: 'Circuit breaker state per upstream route (`connection`: the breaker of the connections, which pauses every route): 0 closed, 1 half-open, 2 open.',
      labelNames: ['upstream', 'operation'],
      registers,
      collect() {
        this.reset();
        for (const [upstream, set] of breakers) {
          for (const { route, state } of set.states()) this.set({ upstream, operation: route }, BREAKER_VALUE[state]);
        }
      },
    });
  }

  /** Reports an upstream's breakers at every scrape; returns the function that stops it. */
  trackBreakers(upstream: UpstreamName, set: UpstreamBreakers): () => void {
    this.breakers.set(upstream, set);
    return () => {
      if (this.breakers.get(upstream) === set) this.breakers.delete(upstream);
    };
  }
}

const byRegistry = new WeakMap<Registry, UpstreamMetrics>();

/** The upstream metrics of a registry, created on first use. */
export function upstreamMetrics(registry: Registry): UpstreamMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = new UpstreamMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
