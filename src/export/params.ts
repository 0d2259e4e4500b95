/**
 * The query string of `GET /export`:
 *
 * - the document, as for `GET /graphql`: `query` (free text), `documentId` (a trusted document,
 *   `sha256:<hex>` or `<hex>`), or `report` (a ready-made report by name, reports.ts), plus
 *   `operationName` and `variables` (JSON);
 * - `path`: the connection to page through, as dotted response keys (`devices`, `app.devices`);
 *   optional when the operation has one connection at its root;
 * - `explode`: optional, one list of each node to give a row per element (flatten.ts);
 * - `format`: `csv` or `jsonl` (`ndjson` too); without it the Accept header decides (`text/csv`,
 *   `application/x-ndjson`, `application/jsonl`), and CSV is the default.
 */
import { BodyError, checkQueryJson } from '../http-server/body.js';
import type { ExportFormat } from './csv.js';
import { badExportInput } from './refusal.js';
import type { ReportCatalog, ReportDefinition } from './reports.js';

export interface ExportParams {
  format: ExportFormat;
  path: string[] | undefined;
  /** undefined: not given (a report's default applies); null: given empty (no explode). */
  explode: string[] | null | undefined;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  /** The query string for the document step (`report` turned into its `documentId`). */
  search: string;
  report: ReportDefinition | undefined;
}

const DOTTED = /^[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)*$/;

const FORMATS: Record<string, ExportFormat> = { csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl' };
const MEDIA: Record<string, ExportFormat> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
};

function dotted(params: URLSearchParams, name: 'path' | 'explode'): string[] | undefined {
  const raw = params.get(name)?.trim();
  if (!raw) return undefined;
  if (!DOTTED.test(raw)) throw badExportInput(`"${name}" must be response keys joined by dots, e.g. "devices" or "app.devices".`, { argument: name });
  return raw.split('.');
}

/** The format asked for: `format` first, then the Accept header's first known media type, else CSV. */
export function negotiateFormat(format: string | null, accept: string | undefined): ExportFormat {
  if (format !== null) {
    const chosen = FORMATS[format.trim().toLowerCase()];
    if (!chosen) throw badExportInput('"format" must be csv or jsonl.', { argument: 'format' });
    return chosen;
  }
  for (const part of (accept ?? '').split(',')) {
    const [type, ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    if (parameters.some((p) => /^q=0(\.0*)?$/.test(p))) continue;
    const chosen = MEDIA[type ?? ''];
    if (chosen) return chosen;
  }
  return 'csv';
}

function variablesOf(raw: string | null): Record<string, unknown> {
  if (raw === null || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw badExportInput('"variables" must be a JSON object.', { argument: 'variables' });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badExportInput('"variables" must be a JSON object.', { argument: 'variables' });
  return parsed as Record<string, unknown>;
}

/** `maxJsonDepth`: LIMIT_JSON_DEPTH, for `variables` and `extensions` (refused before anything walks them). */
export function readExportParams(url: URL, accept: string | undefined, reports: ReportCatalog, maxJsonDepth = Number.POSITIVE_INFINITY): ExportParams {
  try {
    checkQueryJson(url.search, maxJsonDepth);
  } catch (err) {
    if (err instanceof BodyError) throw badExportInput(err.message, err.extensions);
    throw err;
  }
  const params = new URLSearchParams(url.search);
  const format = negotiateFormat(params.get('format'), accept);
  const variables = variablesOf(params.get('variables'));
  let report: ReportDefinition | undefined;
  const reportName = params.get('report')?.trim();
  if (reportName) {
    report = reports.byName(reportName);
    if (!report) throw badExportInput(`No report "${reportName}". Reports: ${reports.names().join(', ')}.`, { argument: 'report' });
    if (params.has('query') || params.has('documentId')) throw badExportInput('Send "report", "documentId" or "query", not several.', { argument: 'report' });
    params.delete('report');
    params.set('documentId', `sha256:${report.hash}`);
  }
  return {
    format,
    path: dotted(params, 'path'),
    explode: params.has('explode') ? (dotted(params, 'explode') ?? null) : undefined,
    variables,
    operationName: params.get('operationName')?.trim() || undefined,
    search: `?${params.toString()}`,
    report,
  };
}
