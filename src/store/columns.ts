/** Conversions between domain values and column values shared by the repositories. */
import type { JsonValue } from './database.types.js';

/** Emails identify people case-insensitively (docs/design.md §3); stored lower-cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** JSON columns are written as text: `pg` would send a JS array as a Postgres array literal. */
export const toJsonText = (value: JsonValue): string => JSON.stringify(value);

export const toNullableJsonText = (value: JsonValue | null | undefined): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);
