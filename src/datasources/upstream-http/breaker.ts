/**
 * One circuit breaker (the HTTP layer keeps one per upstream route and one for the upstream's
 * connections: breakers.ts). Closed: calls pass and consecutive failures are counted; at the
 * threshold it opens. Open: calls are refused at once until the cool-down has passed. Half-open:
 * exactly one probe passes; its success closes the breaker, its failure opens it again. Any other
 * call during the probe is refused. Only failures that say "the upstream is unhealthy" count
 * (network errors, timeouts, 5xx, unreadable bodies); a 404 or a 429 is a healthy answer.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerPermit {
  /** Reports the outcome of the call this permit let through; later calls are ignored. */
  done(outcome: 'success' | 'failure' | 'cancelled'): void;
}

export class CircuitBreaker {
  private mode: 'closed' | 'open' = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly options: { failureThreshold: number; coolDownMs: number },
    private readonly now: () => number,
    private readonly onChange: (state: BreakerState) => void = () => {},
  ) {}

  /** The current state; an open breaker past its cool-down reads as half-open. */
  state(): BreakerState {
    if (this.mode === 'closed') return 'closed';
    return this.now() - this.openedAt >= this.options.coolDownMs ? 'half-open' : 'open';
  }

  /** Milliseconds until an open breaker lets a probe through (0 when it is not open). */
  retryInMs(): number {
    if (this.state() !== 'open') return 0;
    return Math.max(0, this.openedAt + this.options.coolDownMs - this.now());
  }

  /** A permit for one call, or undefined when the breaker refuses it. */
  tryAcquire(): BreakerPermit | undefined {
    const state = this.state();
    if (state === 'open') return undefined;
    if (state === 'half-open') {
      if (this.probing) return undefined;
      this.probing = true;
      this.onChange('half-open');
      return this.permit(true);
    }
    return this.permit(false);
  }

  /**
   * A permit that ignores the state, for a readiness probe: it must reach the upstream even while
   * the breaker is open, and what it learns counts like any call (a success closes the breaker).
   */
  bypass(): BreakerPermit {
    return this.permit(false);
  }

  private permit(probe: boolean): BreakerPermit {
    let settled = false;
    return {
      done: (outcome) => {
        if (settled) return;
        settled = true;
        if (probe) this.probing = false;
        if (outcome === 'success') this.succeed();
        else if (outcome === 'failure') this.fail(probe);
      },
    };
  }

  private succeed(): void {
    this.failures = 0;
    if (this.mode !== 'closed') {
      this.mode = 'closed';
      this.onChange('closed');
    }
  }

  private fail(probe: boolean): void {
    this.failures++;
    // A late failure of a call let through before the breaker opened does not extend the cool-down.
    if (this.mode === 'open' && !probe) return;
    if (probe || this.failures >= this.options.failureThreshold) {
      this.mode = 'open';
      this.openedAt = this.now();
      this.onChange('open');
    }
  }
}
