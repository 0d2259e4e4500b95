import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, nextRetryDelayMs, parseRetryAfter } from '../../../src/datasources/upstream-http/retry.js';
import { DEFAULT_HTTP_OPTIONS } from '../../../src/datasources/upstream-http/options.js';

const retry = { ...DEFAULT_HTTP_OPTIONS.retry, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retry policy', () => {
  it('retries timeouts, rate limits and passing server errors only', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 501, 505].some(isRetryableStatus)).toBe(false);
  });

  it('backs off exponentially with full jitter under the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelayMs(retry, n, () => 0.999_999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(retry, 5, () => 0)).toBe(0);
    expect(backoffDelayMs(retry, 1_000, () => 0.5)).toBe(500);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('decides the next wait: idempotent and transient only, within maxRetries, Retry-After first', () => {
    const half = () => 0.5;
    expect(nextRetryDelayMs(retry, { idempotent: true, transient: true, retriesSoFar: 0 }, half)).toBe(50);
    expect(nextRetryDelayMs(retry, { idempotent: true, transient: true, retriesSoFar: 2, retryAfterMs: 7_000 }, half)).toBe(7_000);
    expect(nextRetryDelayMs(retry, { idempotent: true, transient: true, retriesSoFar: 3 }, half)).toBeUndefined();
    expect(nextRetryDelayMs(retry, { idempotent: false, transient: true, retriesSoFar: 0 }, half)).toBeUndefined();
    expect(nextRetryDelayMs(retry, { idempotent: true, transient: false, retriesSoFar: 0 }, half)).toBeUndefined();
  });
});
