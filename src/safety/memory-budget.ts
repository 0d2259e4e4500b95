/**
 * The process's memory budget: the bytes that requests in flight may hold at once, so the heap
 * stays inside its limit however many clients ask for large pages. A request takes a lease when it
 * arrives; its body's bytes are added as they come in, and before execution its estimated peak
 * (memory.ts) is reserved. A request that does not fit is refused at once with OVERLOADED (HTTP 503,
 * `Retry-After`), never queued while holding memory; one that could never fit (larger than the whole
 * budget) is QUERY_TOO_COMPLEX. Once the response is encoded the lease shrinks to its bytes, and it
 * is released when the response has been handed to the socket, or the client has gone.
 *
 * Unset, the budget is a share of what the heap limit leaves once the gateway has started
 * (MEMORY_BUDGET_SHARE of `heap_size_limit` minus the heap in use), so `--max-old-space-size` alone
 * sizes it.
 */
import { getHeapStatistics } from 'node:v8';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, httpStatusOf } from '../errors.js';

export const MEMORY_BUDGET_SHARE = 0.4;
const MIN_AUTO_BUDGET = 16 * 1024 * 1024;
/** What a refused client is told to wait, in seconds. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

export class MemoryBudget {
  private used = 0;
  private peak = 0;

  constructor(readonly limit: number) {}

  get reserved(): number {
    return this.used;
  }

  /** The most reserved at once since the last call (for metrics). */
  takePeak(): number {
    const peak = Math.max(this.peak, this.used);
    this.peak = this.used;
    return peak;
  }

  tryReserve(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    this.peak = Math.max(this.peak, this.used);
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  lease(): MemoryLease {
    return new MemoryLease(this);
  }
}

/** What one request (or one export) holds of the budget. */
export class MemoryLease {
  private body = 0;
  private working = 0;
  private released = false;

  constructor(private readonly budget: MemoryBudget) {}

  get limit(): number {
    return this.budget.limit;
  }

  get held(): number {
    return this.body + this.working;
  }

  /** Adds bytes that stay held until release (the request body); false when they do not fit. */
  add(bytes: number): boolean {
    if (this.released || !this.budget.tryReserve(bytes)) return false;
    this.body += bytes;
    return true;
  }

  /**
   * Makes the lease hold at least `bytes` for execution (an export's pages reuse what the first
   * one reserved); false when the difference does not fit.
   */
  hold(bytes: number): boolean {
    if (this.released) return false;
    if (bytes <= this.working) return true;
    if (!this.budget.tryReserve(bytes - this.working)) return false;
    this.working = bytes;
    return true;
  }

  /**
   * Once the answer is built, the request holds only its encoded response until the socket takes
   * it: what the lease holds beyond `bytes` (the body read, the execution's estimate) is given back.
   * Never grows the lease. Without it, responses waiting on slow readers held their whole working
   * estimate and refused fast requests OVERLOADED while the heap was far from its limit.
   */
  settle(bytes: number): void {
    if (this.released) return;
    const held = this.body + this.working;
    const kept = Math.min(held, Math.max(0, bytes));
    this.budget.release(held - kept);
    this.body = 0;
    this.working = kept;
  }

  /** Gives everything back; later calls do nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.release(this.body + this.working);
    this.body = 0;
    this.working = 0;
  }
}

/** The configured budget in bytes, or the automatic one (see the module comment). */
export function memoryBudgetBytes(configuredMb: number | undefined): number {
  if (configuredMb !== undefined) return configuredMb * 1024 * 1024;
  const heap = getHeapStatistics();
  return Math.max(MIN_AUTO_BUDGET, Math.floor((heap.heap_size_limit - heap.used_heap_size) * MEMORY_BUDGET_SHARE));
}

/** The refusal of a request that does not fit the budget now. */
export function overloaded(reason: 'memory' | 'exports', message?: string): GraphQLError {
  const seconds = OVERLOADED_RETRY_AFTER_SECONDS;
  return new GraphQLError(message ?? `The gateway is at its memory budget; retry in ${seconds} s.`, {
    extensions: {
      code: ErrorCode.OVERLOADED,
      reason,
      retryAfterSeconds: seconds,
      http: { status: httpStatusOf.OVERLOADED, headers: new HeaderMap([['retry-after', String(seconds)]]) },
    },
  });
}
