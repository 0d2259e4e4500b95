/**
 * External-user expiry (docs/design.md §5): access ends at 23:59 on the chosen day in the user's own
 * time zone. Pure functions on epoch milliseconds and IANA zone names, computed with `Intl` so
 * daylight-saving changes are honoured; the simulator applies them on every read with its clock.
 */
import type { ExternalStatus } from '../dataset/demo-org.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Whether `date` is a real calendar day spelled `YYYY-MM-DD`. */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at `instant`, in milliseconds (Tokyo: +9 h). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time occurs in a zone. The offsets a day before and a day after are
 * the candidates (a zone changes its offset at most once in two days); of the candidates that
 * really show that wall time, the earlier wins (a repeated fall-back hour), and a time in a
 * spring-forward gap is pushed forward by the gap, as Temporal's `compatible` disambiguation does.
 */
export function zonedTimeToInstant(wall: Omit<WallTime, 'second'>, timeZone: string): number {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const day = 86_400_000;
  const before = zoneOffsetMs(local - day, timeZone);
  const after = zoneOffsetMs(local + day, timeZone);
  const valid = [local - before, local - after].filter((t) => t + zoneOffsetMs(t, timeZone) === local);
  return valid.length > 0 ? Math.min(...valid) : local - before;
}

/** The instant access ends: 23:59 on `date` (`YYYY-MM-DD`) in `timeZone`. Throws on bad input. */
export function expiryInstant(date: string, timeZone: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a calendar date: ${date}`);
  if (!isTimeZone(timeZone)) throw new RangeError(`not an IANA time zone: ${timeZone}`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return zonedTimeToInstant({ year, month, day, hour: 23, minute: 59 }, timeZone);
}

/** The calendar day (`YYYY-MM-DD`) it is at `instant` in `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whether access that ends on `date` in `timeZone` has ended at `now` (never, for a null date). */
export function hasExpired(date: string | null, timeZone: string, now: number): boolean {
  return date !== null && now >= expiryInstant(date, timeZone);
}

/** The status an external user reads as at `now`: EXPIRED once the expiry instant has passed. */
export function effectiveStatus(
  user: { status: ExternalStatus; accessExpiresOn: string | null; timeZone: string },
  now: number,
): ExternalStatus {
  return hasExpired(user.accessExpiresOn, user.timeZone, now) ? 'EXPIRED' : user.status;
}
