/**
 * When an external user's access ends (docs/design.md §5): 23:59 on the chosen day in the user's own
 * time zone, DST included. The gateway computes this itself rather than trusting a cached status,
 * so an expiry takes effect at the instant it passes.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetMs(instant: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant (epoch ms) access ends for `date` (`YYYY-MM-DD`) in `timeZone`; NaN when either is
 * unreadable (callers treat that as expired: fail closed).
 */
export function accessEndsAt(date: string, timeZone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 0);
  try {
    const first = wall - offsetMs(wall, timeZone);
    return wall - offsetMs(first, timeZone);
  } catch {
    return Number.NaN;
  }
}

/** Whether access has ended at `now` (never, when there is no expiry date). */
export function accessHasEnded(date: string | null, timeZone: string, now: number): boolean {
  if (date === null) return false;
  const end = accessEndsAt(date, timeZone);
  return Number.isNaN(end) || now >= end;
}
