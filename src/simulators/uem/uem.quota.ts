/**
 * The tenant's daily API quota: counted per UTC day on the simulator's clock, reported on every
 * response (`x-ratelimit-limit`, `-remaining`, `-reset` = epoch seconds of the next UTC midnight).
 */
import type { Clock } from '../common/clock.js';
import { DAY_MS, nextUtcMidnight } from './uem.dates.js';

export class DailyQuota {
  private day = Number.NaN;
  private used = 0;

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
  ) {}

  private roll(): number {
    const now = this.clock.now();
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
    return now;
  }

  /** Counts one call; false when the quota was already spent (the call is not counted). */
  take(): boolean {
    this.roll();
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  remaining(): number {
    this.roll();
    return Math.max(0, this.limit - this.used);
  }

  /** Seconds until the quota resets (at least 1). */
  retryAfterSeconds(): number {
    const now = this.roll();
    return Math.max(1, Math.ceil((nextUtcMidnight(now) - now) / 1000));
  }

  headers(): Record<string, string> {
    const now = this.roll();
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.used)),
      'x-ratelimit-reset': String(Math.floor(nextUtcMidnight(now) / 1000)),
    };
  }
}
