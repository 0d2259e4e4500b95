/**
 * GET /export over real HTTP against the demo tenant: every one of the 2,000 devices as CSV and as
 * JSON lines, columns from the selection set, lists joined or exploded, a nested connection, edges,
 * and the refusals before the first byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { flatManifest, register, sha256 } from '../documents/helpers.js';
import { ADA, captureLogs, exportGet, exportLogs, readCsv, readJsonLines, type ExportParams } from './export.kit.js';

const DEVICES = '{ devices { nodes { id friendlyName platform lastSeen user { userName email } organizationGroup { name } tags { name } } } }';
const COLUMNS = ['id', 'friendlyName', 'platform', 'lastSeen', 'user.userName', 'user.email', 'organizationGroup.name', 'tags.name'];

let gw: TestGateway;
let logs: Record<string, unknown>[];
let totalDevices: number;
beforeAll(async () => {
  const captured = captureLogs();
  logs = captured.lines;
  gw = await startTestGateway({}, { logger: captured.logger });
  const data = expectData(await gw.gql<{ devices: { totalCount: number } }>('{ devices(first: 1) { totalCount } }', { as: ADA }));
  totalDevices = data.devices.totalCount;
});
afterAll(async () => {
  await gw?.close();
});

describe('a large connection', () => {
  it('streams every device as CSV: a header of dotted columns, one row per device, no trailer', async () => {
    const res = await exportGet(gw, { query: DEVICES });
    expect(res.status, res.describe()).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="devices\.csv"$/);
    expect(res.headers.get('x-export-total-count')).toBe(String(totalDevices));
    expect(res.headers.get('x-export-page-size')).toBe('500');
    expect(res.text.slice(0, res.text.indexOf('\r\n'))).toBe(COLUMNS.join(','));
    const csv = readCsv(res.text);
    expect(totalDevices).toBe(2000);
    expect(csv.rows).toHaveLength(totalDevices);
    expect(csv.trailer).toBeUndefined();
    expect(new Set(csv.rows.map((r) => r.id)).size).toBe(totalDevices);
    expect(csv.rows.every((r) => /^\d+$/.test(r.id!) && (r['user.email'] === '' || r['user.email']!.toLowerCase().endsWith('@demo.example')))).toBe(true);
    expect(csv.rows.filter((r) => r['user.email'] !== '').length).toBeGreaterThan(totalDevices / 2);
    // Lists joined with |, not indexed.
    expect(csv.rows.some((r) => r['tags.name']!.includes('|'))).toBe(true);
    const line = exportLogs(logs).find((l) => l.requestId === res.requestId);
    expect(line).toMatchObject({ outcome: 'complete', rows: totalDevices, pages: 4, pageSize: 500, format: 'csv', path: 'devices' });
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_exports_total\{format="csv",outcome="complete"\} [1-9]/);
    expect(Number(/gateway_export_rows_total\{format="csv"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(totalDevices);
  });

  it('streams the same rows as JSON lines (Accept: application/x-ndjson), typed, lists as arrays', async () => {
    const res = await exportGet(gw, { query: DEVICES }, { as: ADA }, { accept: 'application/x-ndjson' });
    expect(res.status, res.describe()).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const { rows, trailer } = readJsonLines(res.text);
    expect(trailer).toBeUndefined();
    expect(rows).toHaveLength(totalDevices);
    for (const row of rows) expect(Object.keys(row)).toEqual(COLUMNS);
    expect(rows.every((r) => Array.isArray(r['tags.name']))).toBe(true);
    expect(rows.some((r) => r.lastSeen === null || typeof r.lastSeen === 'string')).toBe(true);
    const csv = readCsv((await exportGet(gw, { query: DEVICES, format: 'csv' }, { as: ADA }, { accept: 'application/x-ndjson' })).text);
    expect(rows.map((r) => r.id)).toEqual(csv.rows.map((r) => r.id));
  });

  it('keeps the order and aliases of the selection, and honours a page size from the variables', async () => {
    const res = await exportGet(gw, {
      query: 'query($n: Int, $c: String) { devices(first: $n, after: $c, filter: { platform: APPLE }) { total: totalCount pageInfo { hasNextPage endCursor } nodes { name: friendlyName id } } }',
      variables: { n: 150 },
      format: 'jsonl',
    });
    expect(res.status, res.describe()).toBe(200);
    const { rows } = readJsonLines(res.text);
    expect(rows.length).toBe(Number(res.headers.get('x-export-total-count')));
    expect(Object.keys(rows[0]!)).toEqual(['name', 'id']);
    expect(res.headers.get('x-export-page-size')).toBe('150');
    expect(exportLogs(logs).find((l) => l.requestId === res.requestId)?.pages).toBe(Math.ceil(rows.length / 150));
  });
});

describe('shapes', () => {
  it('explodes a list into a row per element, keeping nodes whose list is empty', async () => {
    const joined = readCsv((await exportGet(gw, { query: '{ apps { nodes { id name smartGroups { name } } } }' })).text);
    const exploded = await exportGet(gw, { query: '{ apps { nodes { id name smartGroups { name } } } }', explode: 'smartGroups' });
    expect(exploded.status, exploded.describe()).toBe(200);
    const rows = readCsv(exploded.text).rows;
    const expected = joined.rows.reduce((n, r) => n + Math.max(1, r['smartGroups.name'] === '' ? 0 : r['smartGroups.name']!.split('|').length), 0);
    expect(rows).toHaveLength(expected);
    expect(rows.every((r) => !r['smartGroups.name']!.includes('|'))).toBe(true);
    expect(rows.some((r) => r['smartGroups.name'] === '')).toBe(true);
  });

  it('pages through a nested connection named by path, and reads edges with node fields unprefixed', async () => {
    const query = 'query($id: ID!) { app(id: $id) { name devices(status: INSTALLED) { edges { cursor node { id friendlyName } } } } }';
    const res = await exportGet(gw, { query, variables: { id: '2001' }, path: 'app.devices' });
    expect(res.status, res.describe()).toBe(200);
    const csv = readCsv(res.text);
    expect(csv.header).toEqual(['cursor', 'id', 'friendlyName']);
    expect(csv.rows.length).toBe(Number(res.headers.get('x-export-total-count')));
    expect(csv.rows.length).toBeGreaterThan(0);
  });

  it('exports a registered document by documentId for an analyst, with its own page size', async () => {
    const doc = 'query AppleDevices($after: String) { devices(first: 300, after: $after, filter: { platform: APPLE }) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }';
    await register(gw, flatManifest(doc), 'analyst-scripts');
    const res = await exportGet(gw, { documentId: `sha256:${sha256(doc)}` });
    expect(res.status, res.describe()).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('AppleDevices.csv');
    expect(res.headers.get('x-export-page-size')).toBe('300');
    expect(readCsv(res.text).rows.length).toBe(Number(res.headers.get('x-export-total-count')));
  });
});

describe('refused before the first byte, as JSON with the contract codes', () => {
  const cases: [string, ExportParams, number, string, RegExp][] = [
    ['no document', {}, 400, 'BAD_USER_INPUT', /Name the query/],
    ['variables that are not JSON', { query: DEVICES, variables: '{nope' }, 400, 'BAD_USER_INPUT', /variables/],
    ['an unknown format', { query: DEVICES, format: 'xlsx' }, 400, 'BAD_USER_INPUT', /csv or jsonl/],
    ['a mutation', { query: 'mutation { revokeApiKey(id: "1") { revoked } }' }, 400, 'BAD_USER_INPUT', /runs a query/],
    ['two connections and no path', { query: '{ devices { nodes { id } } apps { nodes { id } } }' }, 400, 'BAD_USER_INPUT', /several connections/],
    ['a path that is no connection', { query: '{ app(id: "2001") { name } }', path: 'app.name' }, 400, 'BAD_USER_INPUT', /not a connection/],
    ['a document that does not validate (as /graphql answers)', { query: '{ devices { nodes { nope } } }' }, 400, 'BAD_USER_INPUT', /Cannot query field "nope"/],
    ['an unknown documentId', { documentId: `sha256:${'0'.repeat(64)}` }, 404, 'PERSISTED_QUERY_NOT_FOUND', /PersistedQueryNotFound/],
    ['a null object on the path', { query: '{ app(id: "999999") { devices { nodes { id } } } }', path: 'app.devices' }, 404, 'NOT_FOUND', /"app" is null/],
  ];
  for (const [what, params, status, code, message] of cases) {
    it(what, async () => {
      const res = await exportGet(gw, params);
      expect(res.status, res.describe()).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const [error] = res.errors();
      expect(error?.extensions?.code).toBe(code);
      expect(error?.message).toMatch(message);
    });
  }

  it('401 without credentials, 405 for other methods', async () => {
    const anonymous = await exportGet(gw, { query: DEVICES }, { headers: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.errors()[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const post = await fetch(`${gw.url}/export`, { method: 'POST', headers: { authorization: `Bearer ${await gw.token(ADA)}` } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});
