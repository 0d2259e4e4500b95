/** Reading UEM query parameters: blank means absent, bad values are a 400 in UEM's shape. */
import type { CaseInsensitiveQuery } from '../common/router.js';
import { parseUemDate } from './uem.dates.js';
import { badRequest } from './uem.errors.js';

export function text(query: CaseInsensitiveQuery, name: string): string | undefined {
  const v = query.get(name)?.trim();
  return v === undefined || v === '' ? undefined : v;
}

export function integerParam(query: CaseInsensitiveQuery, name: string): number | undefined {
  const v = text(query, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) badRequest(`Invalid value '${v}' for ${name}.`);
  return Number(v);
}

export function dateParam(query: CaseInsensitiveQuery, name: string): number | undefined {
  const v = text(query, name);
  if (v === undefined) return undefined;
  return parseUemDate(v) ?? badRequest(`Invalid date '${v}' for ${name}.`);
}

/** `true`/`false`, plus the given words for each side (case-insensitive). */
export function booleanParam(
  query: CaseInsensitiveQuery,
  name: string,
  trueWords: readonly string[] = [],
  falseWords: readonly string[] = [],
): boolean | undefined {
  const v = text(query, name)?.toLowerCase();
  if (v === undefined) return undefined;
  if (v === 'true' || trueWords.includes(v)) return true;
  if (v === 'false' || falseWords.includes(v)) return false;
  return badRequest(`Invalid value '${v}' for ${name}.`);
}

/** Case-insensitive "contains" for the text filters of the user, app and group searches. */
export function contains(haystack: string, needle: string | undefined): boolean {
  return needle === undefined || haystack.toLowerCase().includes(needle.toLowerCase());
}
