/**
 * The retry policy: which failures are worth another attempt, and how long to wait first.
 * Only idempotent calls are retried (GETs and lookups the caller marks safe, such as UEM's
 * `POST /devices/id`). Backoff is exponential with full jitter (a random wait in
 * [0, min(max, base * 2^n))), unless the upstream said when to come back (`Retry-After`).
 */
import type { RetryOptions } from './options.js';

/** Statuses worth retrying: timeouts, rate limits and server errors that may pass. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

/** Full-jitter backoff before retry number `retry` (0 for the first retry). */
export function backoffDelayMs(options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, retry: number, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` in milliseconds: delta seconds or an HTTP date. Undefined when absent or
 * unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface RetryInput {
  idempotent: boolean;
  /** Retries already made for this request. */
  retriesSoFar: number;
  /** Whether the failure may pass (network, timeout, 408, 429, 5xx, unreadable body). */
  transient: boolean;
  /** What the upstream asked for, if anything. */
  retryAfterMs?: number;
}

/** The wait before the next attempt, or undefined when the request should not be retried. */
export function nextRetryDelayMs(options: RetryOptions, input: RetryInput, random: () => number): number | undefined {
  if (!input.idempotent || !input.transient) return undefined;
  if (input.retriesSoFar >= options.maxRetries) return undefined;
  return input.retryAfterMs ?? backoffDelayMs(options, input.retriesSoFar, random);
}
