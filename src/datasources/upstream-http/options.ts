/**
 * The HTTP layer's options, one object per upstream. The gateway's configuration maps environment
 * variables onto this type; datasources never read the environment themselves. Every field has a
 * default (DEFAULT_HTTP_OPTIONS), so callers pass only what they change.
 */
export interface RetryOptions {
  /** Retries after the first attempt, idempotent calls only. Default 2. */
  maxRetries: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)). Default 100. */
  baseDelayMs: number;
  /** Cap of one backoff wait (not of a Retry-After the upstream asks for). Default 2000. */
  maxDelayMs: number;
  /**
   * The retry budget of one request: total milliseconds it may spend waiting between attempts
   * (backoff, Retry-After, a quota reset). A wait that would pass it ends the request with the last
   * error instead, e.g. RATE_LIMITED with `retryAfterMs`. Default 5000.
   */
  budgetMs: number;
}

export interface BreakerOptions {
  /** Consecutive failed attempts (network, timeout, 5xx, unreadable body) that open the breaker. Default 5. */
  failureThreshold: number;
  /** How long an open breaker rejects calls before letting one probe through. Default 10000. */
  coolDownMs: number;
}

export interface HttpClientOptions {
  /** TCP (and TLS) connect timeout of one attempt. Default 5000. */
  connectTimeoutMs: number;
  /**
   * Time to wait for response headers of one attempt; a timed-out idempotent attempt is retried
   * while the deadline allows. undici checks it on a coarse timer (about 1 s resolution). Default 10000.
   */
  headersTimeoutMs: number;
  /** Longest pause between body chunks of one attempt (same coarse timer). Default 10000. */
  bodyTimeoutMs: number;
  /**
   * Overall deadline of one `request()` call: queueing, every attempt and every wait between
   * attempts. Past it the call ends with UPSTREAM_TIMEOUT (a precise timer). Default 15000.
   */
  requestTimeoutMs: number;
  /** Connection cap of the pool of each origin. Default 32. */
  maxConnections: number;
  /** Keep-alive of idle pooled connections (kept under the servers' own, usually 5 s). Default 4000. */
  keepAliveTimeoutMs: number;
  /** Attempts in flight at once per upstream; further calls queue in order (never rejected). Default 16. */
  maxConcurrency: number;
  /** Largest response body read; a larger one is an UPSTREAM_UNAVAILABLE error. Default 32 MiB. */
  maxResponseBytes: number;
  /** Identical GETs in flight at once share one upstream request. Default true (off only in the benchmark's comparison mode). */
  coalesceGets: boolean;
  retry: RetryOptions;
  breaker: BreakerOptions;
}

export const DEFAULT_HTTP_OPTIONS: Readonly<HttpClientOptions> = Object.freeze({
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  maxConnections: 32,
  keepAliveTimeoutMs: 4_000,
  maxConcurrency: 16,
  maxResponseBytes: 32 * 1024 * 1024,
  coalesceGets: true,
  retry: Object.freeze({ maxRetries: 2, baseDelayMs: 100, maxDelayMs: 2_000, budgetMs: 5_000 }),
  breaker: Object.freeze({ failureThreshold: 5, coolDownMs: 10_000 }),
});

/** What callers pass: any subset, nested objects included. */
export type HttpClientOptionsInput = Partial<Omit<HttpClientOptions, 'retry' | 'breaker'>> & {
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
};

export function resolveHttpOptions(input: HttpClientOptionsInput = {}): HttpClientOptions {
  const d = DEFAULT_HTTP_OPTIONS;
  const resolved: HttpClientOptions = {
    ...d,
    ...dropUndefined(input),
    retry: { ...d.retry, ...dropUndefined(input.retry ?? {}) },
    breaker: { ...d.breaker, ...dropUndefined(input.breaker ?? {}) },
  };
  const problems = validate(resolved);
  if (problems.length > 0) throw new RangeError(`Invalid HTTP client options: ${problems.join('; ')}`);
  return resolved;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validate(o: HttpClientOptions): string[] {
  const positive: [string, number][] = [
    ['connectTimeoutMs', o.connectTimeoutMs],
    ['headersTimeoutMs', o.headersTimeoutMs],
    ['bodyTimeoutMs', o.bodyTimeoutMs],
    ['requestTimeoutMs', o.requestTimeoutMs],
    ['maxConnections', o.maxConnections],
    ['keepAliveTimeoutMs', o.keepAliveTimeoutMs],
    ['maxConcurrency', o.maxConcurrency],
    ['maxResponseBytes', o.maxResponseBytes],
    ['breaker.failureThreshold', o.breaker.failureThreshold],
    ['breaker.coolDownMs', o.breaker.coolDownMs],
  ];
  const nonNegative: [string, number][] = [
    ['retry.maxRetries', o.retry.maxRetries],
    ['retry.baseDelayMs', o.retry.baseDelayMs],
    ['retry.maxDelayMs', o.retry.maxDelayMs],
    ['retry.budgetMs', o.retry.budgetMs],
  ];
  return [
    ...positive.filter(([, v]) => !(Number.isFinite(v) && v > 0)).map(([k]) => `${k} must be a positive number`),
    ...nonNegative.filter(([, v]) => !(Number.isFinite(v) && v >= 0)).map(([k]) => `${k} must be zero or more`),
  ];
}
