/**
 * The building blocks of UEM's v1 wire format, read tolerantly (docs/upstreams/uem.md): ids as
 * `{ Value: n }`, plain numbers or numeric strings; counts that are strings; empty strings where
 * nothing is known (read as null); dates with milliseconds and no zone, meant as UTC, with
 * `0001-01-01T00:00:00.000` meaning never (read as null). Dates leave here as ISO strings with `Z`.
 */
import { z } from 'zod';

const numeric = z.union([z.number(), z.string().regex(/^\s*-?\d+\s*$/).transform(Number)]);

/** A numeric id: `{ Value: n }`, `n` or `"n"`. */
export const uemId = z.union([numeric, z.object({ Value: numeric }).transform((v) => v.Value)]);

/** An optional id: null when absent, empty or unreadable. */
export const optionalId = z.unknown().optional().transform((v) => {
  const parsed = uemId.safeParse(v);
  return parsed.success ? parsed.data : null;
});

/** A reference `{ Id: { Value }, Name, Uuid }` as UEM nests groups and users in a device. */
export const reference = z
  .object({ Id: z.unknown().optional(), Name: z.string().nullish(), Uuid: z.string().nullish() })
  .nullish()
  .transform((v) => ({ id: optionalId.parse(v?.Id), name: v?.Name || null, uuid: v?.Uuid || null }));

/** Text where an empty string means unknown. */
export const text = z.unknown().optional().transform((v) => {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : null;
});

/** A count UEM may send as a string; null when absent or unreadable. */
export const count = z.unknown().optional().transform((v) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
});

/** A boolean UEM may send as `true`, `"true"`, `"Y"`; null when absent. */
export const flag = z.unknown().optional().transform((v) => {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === 'y' || s === 'yes') return true;
  if (s === 'false' || s === 'n' || s === 'no') return false;
  return null;
});

const NEVER = /^0001-01-01/;

/** A UEM date as an ISO 8601 UTC string, or null for never, empty or unreadable. */
export function uemDateToIso(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '' || NEVER.test(value.trim())) return null;
  const s = value.trim();
  const zoneless = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s);
  const ms = Date.parse(zoneless ? `${s}Z` : s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export const uemDate = z.unknown().optional().transform(uemDateToIso);

/** A date for a UEM query parameter: its own zone-less UTC form. */
export function toUemDate(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${String(value)}`);
  return date.toISOString().slice(0, 23);
}

/** A list that may be absent or null. */
export const list = <S extends z.ZodType>(item: S) => z.array(item).nullish().transform((v) => v ?? []);
