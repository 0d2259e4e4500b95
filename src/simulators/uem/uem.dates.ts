/**
 * UEM writes dates as ISO 8601 with milliseconds and no zone, meant as UTC
 * (`2021-06-28T04:35:20.150`); `0001-01-01T00:00:00.000` means never.
 */

export const NEVER = '0001-01-01T00:00:00.000';

/** Formats epoch milliseconds the way UEM does; null or NaN is "never". */
export function formatUemDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NEVER;
  return new Date(ms).toISOString().slice(0, 23);
}

/**
 * Parses a date from a query parameter: UEM's own zone-less form (read as UTC), any ISO 8601 form
 * with a zone, or a plain `yyyy-MM-dd`. Returns undefined when it is not a date.
 */
export function parseUemDate(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s);
  const ms = Date.parse(zoneless ? `${s}Z` : s);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Epoch milliseconds of the next UTC midnight after `ms`. */
export function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export const DAY_MS = 86_400_000;
