/**
 * An export while it streams: the client going away (paging stops, the gateway stays healthy), an
 * upstream failing mid-stream (the error trailer line), field errors (the partial trailer line).
 * Any unhandled rejection in the gateway fails this file (the gateway runs in the test process).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADA, RITA, authHeaders, type ExportParams, captureLogs, DEVICE_SEARCH, exportGet, exportLogs, exportUrl, readCsv, readJsonLines, uemFaults, uemRequests } from './export.kit.js';

const SLOW_PAGES = { query: '{ devices { nodes { id friendlyName } } }', variables: { exportFirst: 20 } };
const searches = async (gw: TestGateway) => (await uemRequests(gw)).byRoute[DEVICE_SEARCH] ?? 0;

let gw: TestGateway;
let logs: Record<string, unknown>[];
beforeAll(async () => {
  const captured = captureLogs();
  logs = captured.lines;
  // No retries: a failing upstream fails the page at once.
  gw = await startTestGateway({ UPSTREAM_MAX_RETRIES: '0' }, { logger: captured.logger });
});
afterEach(async () => {
  await uemFaults(gw, undefined);
});
afterAll(async () => {
  await gw?.close();
});

/** Starts an export and resolves once its first chunk of rows has arrived. */
async function openExport(params: ExportParams, as = ADA) {
  const controller = new AbortController();
  const res = await fetch(exportUrl(gw, params), { headers: await authHeaders(gw, { as }), signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  return { res, reader, controller, firstChunk: new TextDecoder().decode(first.value) };
}

async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>, firstChunk: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = firstChunk;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

describe('a client that goes away', () => {
  it('stops the paging: no further upstream page is read, the log says aborted, and the gateway stays healthy', async () => {
    // 100 pages of 20 devices, each page taking 100 ms upstream: ten seconds unless stopped.
    await uemFaults(gw, { latencyMs: 100, routes: [DEVICE_SEARCH] });
    const before = await searches(gw);
    const { res, reader, controller, firstChunk } = await openExport(SLOW_PAGES);
    expect(firstChunk.startsWith('id,friendlyName\r\n')).toBe(true);
    const requestId = res.headers.get('x-request-id');
    controller.abort();
    await expect(reader.read()).rejects.toThrow();

    // The export ends and logs it; the page in flight may have finished, nothing more is asked of UEM.
    await expect.poll(() => exportLogs(logs).find((l) => l.requestId === requestId), { timeout: 20_000 }).toMatchObject({ outcome: 'aborted', status: 200 });
    const line = exportLogs(logs).find((l) => l.requestId === requestId)!;
    expect(line.pages as number).toBeLessThan(10);
    const settled = await searches(gw);
    expect(settled - before).toBeLessThan(10);
    expect(settled - before).toBeLessThanOrEqual((line.pages as number) + 1);
    expect(line.rows as number).toBeLessThan(2000);

    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    await uemFaults(gw, undefined);
    const again = await exportGet(gw, { query: '{ devices(filter: { platform: MACOS }) { nodes { id } } }' });
    expect(again.status, again.describe()).toBe(200);
    expect(readCsv(again.text).rows.length).toBe(Number(again.headers.get('x-export-total-count')));
  });
});

describe('an upstream failing mid-stream', () => {
  it('ends the CSV with the error trailer line after the rows already sent', async () => {
    await uemFaults(gw, { latencyMs: 50, routes: [DEVICE_SEARCH] });
    const { reader, firstChunk } = await openExport(SLOW_PAGES);
    await uemFaults(gw, { errorRate: 1, errorStatus: 503, routes: [DEVICE_SEARCH] });
    const text = await readRest(reader, firstChunk);
    const csv = readCsv(text);
    expect(csv.trailer, text.slice(-500)).toMatchObject({ status: 'error', error: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem' } });
    expect(csv.trailer?.rows).toBe(csv.rows.length);
    expect(csv.rows.length % 20).toBe(0);
    expect(csv.rows.length).toBeGreaterThanOrEqual(20);
    expect(csv.rows.length).toBeLessThan(2000);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('ends JSON lines with an {"__export": …} line', async () => {
    await uemFaults(gw, { latencyMs: 50, routes: [DEVICE_SEARCH] });
    const { reader, firstChunk } = await openExport({ ...SLOW_PAGES, format: 'jsonl' });
    await uemFaults(gw, { errorRate: 1, errorStatus: 503, routes: [DEVICE_SEARCH] });
    const { rows, trailer } = readJsonLines(await readRest(reader, firstChunk));
    expect(trailer).toMatchObject({ status: 'error', rows: rows.length, error: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });
});

describe('field errors', () => {
  it('leave their cells empty and end the export with a partial trailer counting them by code', async () => {
    // IMEI is ADMIN only: null with FORBIDDEN for a reader, on every row.
    const res = await exportGet(gw, { query: '{ devices { nodes { id imei } } }' }, { as: RITA });
    expect(res.status, res.describe()).toBe(200);
    const csv = readCsv(res.text);
    expect(csv.rows.length).toBe(Number(res.headers.get('x-export-total-count')));
    expect(csv.rows.every((r) => r.imei === '')).toBe(true);
    expect(csv.trailer).toMatchObject({ status: 'partial', rows: csv.rows.length, fieldErrors: [{ code: 'FORBIDDEN', count: csv.rows.length }] });
    const admin = readCsv((await exportGet(gw, { query: '{ devices(filter: { platform: APPLE }) { nodes { id imei } } }' })).text);
    expect(admin.trailer).toBeUndefined();
  });
});
