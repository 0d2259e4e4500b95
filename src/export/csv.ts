/**
 * The two export formats, one row per line:
 *
 * - CSV (RFC 4180): a header line of the dotted column names, CRLF line ends, a cell quoted when it
 *   holds `"`, `,`, CR, LF or `#` (quotes doubled; so no data line starts with `#`, which marks the
 *   trailer line). Null is an empty cell; a list's values are joined with `|`.
 *   A text cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
 *   is prefixed with `'` (OWASP's CSV-injection advice); numbers are written as they are.
 * - JSON lines (`application/x-ndjson`): one JSON object per line, keyed by the dotted column
 *   names in column order; lists stay arrays, null stays null.
 *
 * Trailer: when an export stops early (`error`) or finishes with some cells null because of
 * field errors (`partial`), one last line says so, `#export {…}` in CSV and `{"__export": {…}}` in
 * JSON lines; a complete export has no trailer line.
 */
import type { CellValue, Column, Scalar } from './flatten.js';

export type ExportFormat = 'csv' | 'jsonl';

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

export const LIST_SEPARATOR = '|';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n#]/;

const scalarText = (value: Scalar | Record<string, unknown>): string => {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** One CSV cell, guarded and quoted as needed. */
export function csvCell(value: CellValue): string {
  const first = Array.isArray(value) ? value[0] : value;
  let text = Array.isArray(value) ? value.map(scalarText).join(LIST_SEPARATOR) : scalarText(value);
  if (typeof first === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly CellValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export const csvHeader = (columns: readonly Column[]): string => csvLine(columns.map((c) => c.name));

export function jsonLine(columns: readonly Column[], cells: readonly CellValue[]): string {
  const row: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    row[c.name] = cells[i] ?? null;
  });
  return `${JSON.stringify(row)}\n`;
}

/** What the trailer line reports. */
export interface ExportTrailer {
  status: 'partial' | 'error';
  rows: number;
  pages: number;
  /** `error`: why the export stopped (a contract code, a message, more extensions). */
  error?: { code: string; message: string; [key: string]: unknown };
  /** `partial`: the field errors met, by code. */
  fieldErrors?: { code: string; count: number; message: string }[];
}

export function trailerLine(format: ExportFormat, trailer: ExportTrailer): string {
  return format === 'csv' ? `#export ${JSON.stringify(trailer)}\r\n` : `${JSON.stringify({ __export: trailer })}\n`;
}

/** The encoder of one format. */
export interface RowEncoder {
  header(): string;
  row(cells: readonly CellValue[]): string;
}

export function encoderFor(format: ExportFormat, columns: readonly Column[]): RowEncoder {
  return format === 'csv'
    ? { header: () => csvHeader(columns), row: (cells) => csvLine(cells) }
    : { header: () => '', row: (cells) => jsonLine(columns, cells) };
}
