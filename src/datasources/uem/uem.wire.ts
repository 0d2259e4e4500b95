/**
 * The building blocks of UEM's v1 wire format, read tolerantly (docs/upstreams/uem.md): ids as
 * `{ Value: n }`, plain numbers or numeric strings; counts that are strings; empty strings where
 * nothing is known (read as null); dates with milliseconds and no zone, meant as UTC, with
 * `0001-01-01T00:00:00.000` meaning never (read as null). Dates leave here as ISO strings with `Z`.
 *
 * Each block is a plain function (the hot path: a 500-device page reads ~12,000 values, so the
 * device and user readers call these directly) and a zod schema over the same function for the
 * other shapes. The readers never throw: a value they cannot read is null.
 */
import { z } from 'zod';

const NUMERIC = /^\s*-?\d+\s*$/;

function readNumeric(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return typeof v === 'string' && NUMERIC.test(v) ? Number(v) : null;
}

/**
 * A numeric id: `{ Value: n }` (v1's usual shape, tried first), `n` or `"n"`; null when none of
 * these. One pass, no intermediate objects.
 */
export function readId(v: unknown): number | null {
  if (typeof v === 'object' && v !== null) return readNumeric((v as { Value?: unknown }).Value);
  return readNumeric(v);
}

/** Text where an empty string means unknown; numbers and booleans as their text. */
export function readText(v: unknown): string | null {
  if (typeof v === 'string') return v === '' || v.trim() === '' ? null : v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
}

/** A count UEM may send as a string; null when absent or unreadable. */
export function readCount(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

/** A boolean UEM may send as `true`, `"true"`, `"Y"`; null when absent. */
export function readFlag(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === 'y' || s === 'yes') return true;
  if (s === 'false' || s === 'n' || s === 'no') return false;
  return null;
}

/** A reference `{ Id: { Value }, Name, Uuid }` as UEM nests groups and users in a device. */
export interface WireReference {
  id: number | null;
  name: string | null;
  uuid: string | null;
}

export function readReference(v: unknown): WireReference {
  if (typeof v !== 'object' || v === null) return { id: null, name: null, uuid: null };
  const r = v as { Id?: unknown; Name?: unknown; Uuid?: unknown };
  return { id: readId(r.Id), name: typeof r.Name === 'string' && r.Name !== '' ? r.Name : null, uuid: typeof r.Uuid === 'string' && r.Uuid !== '' ? r.Uuid : null };
}

const NEVER = /^0001-01-01/;
const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22] as const;
/** Position → the separator expected there in `YYYY-MM-DDTHH:MM:SS.fff`. */
const SEPARATORS = [
  [4, 45 /* - */],
  [7, 45],
  [10, 84 /* T */],
  [13, 58 /* : */],
  [16, 58],
  [19, 46 /* . */],
] as const;

function twoDigits(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);
}

/**
 * `YYYY-MM-DDTHH:MM:SS.fff` with fields every month has (days up to 28; the rest take the slow
 * path): UEM's usual form, already ISO but for the zone.
 */
function isCanonicalUemDate(s: string): boolean {
  if (s.length !== 23) return false;
  for (const [i, c] of SEPARATORS) if (s.charCodeAt(i) !== c) return false;
  for (const i of DIGIT_POSITIONS) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 28 && twoDigits(s, 11) < 24 && twoDigits(s, 14) < 60 && twoDigits(s, 17) < 60 && !s.startsWith('0001');
}

/** A UEM date as an ISO 8601 UTC string, or null for never, empty or unreadable. */
export function uemDateToIso(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // The common case costs a character scan and one concatenation, not a Date.
  if (isCanonicalUemDate(value)) return `${value}Z`;
  const s = value.trim();
  if (s === '' || NEVER.test(s)) return null;
  const ms = Date.parse(ZONELESS.test(s) ? `${s}Z` : s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** A date for a UEM query parameter: its own zone-less UTC form. */
export function toUemDate(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${String(value)}`);
  return date.toISOString().slice(0, 23);
}

// The same blocks as zod schemas, for the shapes read off the hot path.
const numeric = z.union([z.number(), z.string().regex(NUMERIC).transform(Number)]);
/** A numeric id: `{ Value: n }`, `n` or `"n"` (required). */
export const uemId = z.union([z.object({ Value: numeric }).transform((v) => v.Value), numeric]);
/** An optional id: null when absent, empty or unreadable. */
export const optionalId = z.unknown().optional().transform(readId);
export const reference = z.unknown().optional().transform(readReference);
export const text = z.unknown().optional().transform(readText);
export const count = z.unknown().optional().transform(readCount);
export const flag = z.unknown().optional().transform(readFlag);
export const uemDate = z.unknown().optional().transform(uemDateToIso);

/** A list that may be absent or null. */
export const list = <S extends z.ZodType>(item: S) => z.array(item).nullish().transform((v) => v ?? []);
