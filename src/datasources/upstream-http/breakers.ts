/**
 * The circuit breakers of one upstream: one per route (the call's `operation`, e.g.
 * `externalUsers.list`), so a failing route pauses only its own calls while the upstream's other
 * routes keep serving, and one for the upstream's connections, which opens when the host cannot be
 * reached at all (refused, unknown host, connect timeout) and then pauses every route. A call
 * passes only when both its route's breaker and the connection breaker let it.
 *
 * Route names are a fixed set chosen in the datasources (never ids), so the breakers and their
 * metric series are bounded; past MAX_ROUTES names (a bug), further names share one breaker.
 */
import { CircuitBreaker, type BreakerPermit, type BreakerState } from './breaker.js';
import type { BreakerOptions } from './options.js';

export const MAX_ROUTES = 200;
/** The breaker that names past MAX_ROUTES share. */
export const OVERFLOW_ROUTE = 'other';
/** How the connection breaker is named in metrics and `/readyz`. */
export const CONNECTION_SCOPE = 'connection';

export interface RouteBreakerState {
  route: string;
  state: BreakerState;
  /** While open: milliseconds until a probe may pass. */
  retryInMs: number;
}

/** What a call holds while it is in flight: one permit of each breaker. */
export interface BreakerPermits {
  /** The outcome of the exchange; see HttpClient.exchange for how failures are attributed. */
  done(outcome: { route: 'success' | 'failure' | 'cancelled'; connection: 'success' | 'failure' | 'cancelled' }): void;
}

export type BreakerRefusal = { scope: 'route' | 'connection'; retryInMs: number };

const SEVERITY: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export class UpstreamBreakers {
  readonly connection: CircuitBreaker;
  private readonly routes = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly now: () => number,
    /** Told of every state change (metrics count transitions). */
    private readonly onChange: (route: string, state: BreakerState) => void = () => {},
  ) {
    this.connection = new CircuitBreaker(options, now, (state) => onChange(CONNECTION_SCOPE, state));
  }

  route(name: string): CircuitBreaker {
    let breaker = this.routes.get(name);
    if (breaker) return breaker;
    const key = this.routes.size < MAX_ROUTES ? name : OVERFLOW_ROUTE;
    breaker = this.routes.get(key) ?? new CircuitBreaker(this.options, this.now, (state) => this.onChange(key, state));
    this.routes.set(key, breaker);
    return breaker;
  }

  /** Refuses at once (before queueing) when either breaker is open. */
  refusal(route: string): BreakerRefusal | undefined {
    if (this.connection.state() === 'open') return { scope: 'connection', retryInMs: this.connection.retryInMs() };
    const breaker = this.route(route);
    if (breaker.state() === 'open') return { scope: 'route', retryInMs: breaker.retryInMs() };
    return undefined;
  }

  /**
   * Permits for one call, or the refusal. A probe (`bypass`) passes whatever the states and its
   * outcome still counts.
   */
  acquire(route: string, bypass = false): BreakerPermits | BreakerRefusal {
    const routeBreaker = this.route(route);
    const connection = bypass ? this.connection.bypass() : this.connection.tryAcquire();
    if (!connection) return { scope: 'connection', retryInMs: this.connection.retryInMs() };
    const routed = bypass ? routeBreaker.bypass() : routeBreaker.tryAcquire();
    if (!routed) {
      connection.done('cancelled');
      return { scope: 'route', retryInMs: routeBreaker.retryInMs() };
    }
    return permits(routed, connection);
  }

  /** Every route breaker seen so far (the connection breaker first, as `connection`). */
  states(): RouteBreakerState[] {
    const all: RouteBreakerState[] = [{ route: CONNECTION_SCOPE, state: this.connection.state(), retryInMs: this.connection.retryInMs() }];
    for (const [route, breaker] of this.routes) all.push({ route, state: breaker.state(), retryInMs: breaker.retryInMs() });
    return all;
  }

  /** The most severe state of any breaker (the upstream-level summary). */
  worst(): BreakerState {
    let worst: BreakerState = this.connection.state();
    for (const breaker of this.routes.values()) {
      const state = breaker.state();
      if (SEVERITY[state] > SEVERITY[worst]) worst = state;
    }
    return worst;
  }
}

function permits(route: BreakerPermit, connection: BreakerPermit): BreakerPermits {
  return {
    done(outcome) {
      route.done(outcome.route);
      connection.done(outcome.connection);
    },
  };
}

export const isRefusal = (value: BreakerPermits | BreakerRefusal): value is BreakerRefusal => 'scope' in value;
