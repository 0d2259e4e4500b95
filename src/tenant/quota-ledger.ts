/**
 * What this process spent of UEM's daily quota: every UEM request it sent (requests, snapshot
 * refreshes, start-up reads) counted per UTC day (UEM's quota resets at midnight UTC), the snapshot
 * part apart, and a forecast of the day's total: what is spent, plus the snapshot plan for the
 * rest of the day, plus the last hour's rate of the rest carried to midnight.
 */
import { DAY_MS } from './quota-plan.js';

const HOUR_MS = 3_600_000;
/** Minutes kept for the last hour's rate. */
const BUCKETS = 60;

export class QuotaLedger {
  private day = Number.NaN;
  private total = 0;
  private snapshot = 0;
  /** Requests other than snapshot refreshes, per minute, for the last hour. */
  private readonly minutes = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  private roll(): number {
    const now = this.now();
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.total = 0;
      this.snapshot = 0;
    }
    return now;
  }

  /** One UEM request sent (any source). */
  count(): void {
    const now = this.roll();
    this.total++;
    const minute = Math.floor(now / 60_000);
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1);
    for (const m of this.minutes.keys()) if (m <= minute - BUCKETS) this.minutes.delete(m);
  }

  /** Of the requests counted, these were snapshot refreshes. */
  countSnapshot(calls: number): void {
    const now = this.roll();
    this.snapshot += calls;
    // Take them out of the live rate (they are forecast from the plan instead).
    const minute = Math.floor(now / 60_000);
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) - calls);
  }

  /** UEM requests sent today (UTC), and the snapshot part of them. */
  spentToday(): { total: number; snapshots: number } {
    this.roll();
    return { total: this.total, snapshots: this.snapshot };
  }

  /** Requests other than snapshot refreshes in the last hour. */
  liveLastHour(): number {
    const minute = Math.floor(this.roll() / 60_000);
    let n = 0;
    for (const [m, count] of this.minutes) if (m > minute - BUCKETS) n += count;
    return Math.max(0, n);
  }

  /** Today's expected total: spent + the snapshot plan and the last hour's live rate until midnight UTC. */
  forecastToday(snapshotCallsPerDay: number): number {
    const now = this.roll();
    const left = DAY_MS - (now % DAY_MS);
    return Math.round(this.total + (snapshotCallsPerDay * left) / DAY_MS + (this.liveLastHour() * left) / HOUR_MS);
  }
}
