/**
 * Helpers of the export suites: `GET /export` as a client sends it, an RFC 4180 reader for the
 * CSV (quoted cells, CRLF, the `#export` trailer line), JSON lines, the gateway's log lines and
 * the UEM simulator's request counts. Failures print the status, the request id and the body.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logger.js';
import type { TestGateway } from '../../helpers/gateway.js';

export const ADA = 'ada.admin@demo.example';
export const RITA = 'rita.reader@demo.example';
export const PAT = 'pat.partner@partner.example';

export type ExportAuth = { as: string } | { apiKey: string } | { headers: Record<string, string> } | undefined;

export interface ExportResponse {
  status: number;
  headers: Headers;
  text: string;
  requestId: string | null;
  /** For failure messages. */
  describe(): string;
  /** The JSON error body of a refused export. */
  errors(): { message: string; extensions?: Record<string, unknown> }[];
}

export async function authHeaders(gw: TestGateway, auth: ExportAuth): Promise<Record<string, string>> {
  if (!auth) return {};
  if ('as' in auth) return { authorization: `Bearer ${await gw.token(auth.as)}` };
  if ('apiKey' in auth) return { authorization: `ApiKey ${auth.apiKey}` };
  return auth.headers;
}

export type ExportParams = Record<string, string | Record<string, unknown> | undefined>;

export function exportUrl(gw: TestGateway, params: ExportParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `${gw.url}/export?${search}`;
}

export async function exportGet(
  gw: TestGateway,
  params: ExportParams,
  auth: ExportAuth = { as: ADA },
  headers: Record<string, string> = {},
): Promise<ExportResponse> {
  const res = await fetch(exportUrl(gw, params), { headers: { ...(await authHeaders(gw, auth)), ...headers } });
  const text = await res.text();
  const requestId = res.headers.get('x-request-id');
  return {
    status: res.status,
    headers: res.headers,
    text,
    requestId,
    describe: () => `GET /export ${JSON.stringify(params)}\nstatus ${res.status}, request id ${requestId}\n${text.slice(0, 1500)}`,
    errors: () => (JSON.parse(text) as { errors: { message: string; extensions?: Record<string, unknown> }[] }).errors,
  };
}

/** RFC 4180 records (CRLF or LF ends, quoted cells with doubled quotes). */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

export interface CsvExport {
  header: string[];
  rows: Record<string, string>[];
  /** The `#export {…}` line, parsed, when there is one. */
  trailer: Record<string, unknown> | undefined;
}

export function readCsv(text: string): CsvExport {
  const lines = text.split('\r\n');
  const last = lines.at(-1) === '' ? lines.at(-2) : lines.at(-1);
  let body = text;
  let trailer: Record<string, unknown> | undefined;
  if (last?.startsWith('#export ')) {
    trailer = JSON.parse(last.slice('#export '.length)) as Record<string, unknown>;
    body = text.slice(0, text.lastIndexOf('#export '));
  }
  const [header = [], ...records] = parseCsvRecords(body);
  return { header, rows: records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))), trailer };
}

export function readJsonLines(text: string): { rows: Record<string, unknown>[]; trailer: Record<string, unknown> | undefined } {
  const objects = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const last = objects.at(-1);
  if (last && '__export' in last) return { rows: objects.slice(0, -1), trailer: last.__export as Record<string, unknown> };
  return { rows: objects, trailer: undefined };
}

/** A logger whose JSON lines the test can read (info level). */
export function captureLogs(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('info', destination), lines };
}

const simUrl = (gw: TestGateway) => {
  const sim = gw.app.simulators.uem;
  if (!sim) throw new Error('the UEM simulator runs in-process in tests');
  return sim.url;
};

/** Requests the UEM simulator answered, by route template. */
export async function uemRequests(gw: TestGateway): Promise<{ total: number; byRoute: Record<string, number> }> {
  return (await (await fetch(`${simUrl(gw)}/__sim/stats`)).json()) as { total: number; byRoute: Record<string, number> };
}

export async function uemFaults(gw: TestGateway, faults: Record<string, unknown> | undefined): Promise<void> {
  const res = faults
    ? await fetch(`${simUrl(gw)}/__sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) })
    : await fetch(`${simUrl(gw)}/__sim/faults`, { method: 'DELETE' });
  if (!res.ok) throw new Error(`faults: ${res.status}`);
}

export const DEVICE_SEARCH = 'GET /API/mdm/devices/search';

/** The `export` log lines (one per export). */
export const exportLogs = (lines: Record<string, unknown>[]) => lines.filter((l) => l.msg === 'export');
