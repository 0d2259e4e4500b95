/**
 * Audit events as CSV (RFC 4180, one header line) or JSON lines, one event per line. CSV cells
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are prefixed with `'`.
 */
import type { AuditEvent } from '../store/audit.repository.js';

export type ExportFormat = 'csv' | 'jsonl';

export const CSV_COLUMNS = [
  'id', 'at', 'requestId', 'principalKind', 'principalEmail', 'operationName', 'documentHash', 'field', 'targets', 'variables', 'outcome', 'errorCodes', 'details',
] as const;

const cellText = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

export function csvCell(value: unknown): string {
  let text = cellText(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;

export function formatEvent(event: AuditEvent, format: ExportFormat): string {
  if (format === 'jsonl') return `${JSON.stringify({ ...event, at: event.at.toISOString() })}\n`;
  return `${CSV_COLUMNS.map((c) => csvCell(event[c])).join(',')}\r\n`;
}
