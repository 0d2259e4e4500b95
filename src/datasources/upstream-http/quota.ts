/**
 * The upstream's quota as its headers report it (`x-ratelimit-limit`, `x-ratelimit-remaining`,
 * `x-ratelimit-reset`, UEM's daily quota). Once the remaining count reaches zero, calls wait for
 * the reset (within their retry budget) or fail at once with RATE_LIMITED, instead of spending
 * requests the upstream will refuse.
 */
export class QuotaTracker {
  private remainingValue: number | undefined;
  private resetAtMs: number | undefined;

  constructor(private readonly now: () => number) {}

  /** The last reported remaining count, if the upstream reports one. */
  get remaining(): number | undefined {
    return this.remainingValue;
  }

  /** Reads the quota headers of a response (absent headers leave the state as it was). */
  observe(headers: Record<string, string | string[] | undefined>): void {
    const remaining = numberHeader(headers['x-ratelimit-remaining']);
    if (remaining === undefined) return;
    this.remainingValue = remaining;
    const reset = numberHeader(headers['x-ratelimit-reset']);
    // Epoch seconds by the UEM documentation; a small number can only be seconds from now.
    this.resetAtMs = reset === undefined ? undefined : reset > 1e9 ? reset * 1000 : this.now() + reset * 1000;
  }

  /** Milliseconds to wait before the next call may be sent (0 when the quota is not exhausted). */
  waitMs(): number {
    if (this.remainingValue === undefined || this.remainingValue > 0) return 0;
    if (this.resetAtMs === undefined) return 0;
    const wait = this.resetAtMs - this.now();
    if (wait <= 0) {
      // The window has passed: the next answer reports the new figures.
      this.remainingValue = undefined;
      this.resetAtMs = undefined;
      return 0;
    }
    return wait;
  }
}

function numberHeader(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
