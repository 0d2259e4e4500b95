/**
 * The budget of a whole export: refused up front with the estimate (QUERY_TOO_COMPLEX) after only
 * the first page was read; the raised analyst budget; the check page by page for a connection
 * without totalCount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { flatManifest, partnerKey, register, sha256 } from '../documents/helpers.js';
import { ADA, PAT, exportGet, readCsv, uemRequests } from './export.kit.js';

describe('with the default budget', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('refuses the compliance of every device before the first byte, with the estimate, having read one page', async () => {
    const before = (await uemRequests(gw)).total;
    const res = await exportGet(gw, { query: '{ devices { nodes { id compliance { status policies { name compliant } } } } }' });
    expect(res.status, res.describe()).toBe(400);
    const [error] = res.errors();
    expect(error?.message).toMatch(/^The export is too large: about \d+ upstream requests \(2000 rows in \d+ pages of \d+\) where the limit is 1000 \(exportUpstreamRequests\)/);
    const ext = error!.extensions as { code: string; limit: string; max: number; measured: number; analystBudget: boolean; estimate: { rows: number; pages: number; pageSize: number; upstreamRequests: { uem: number; total: number } } };
    expect(ext).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'exportUpstreamRequests', max: 1000, analystBudget: true });
    expect(ext.estimate.rows).toBe(2000);
    // The page fits one operation's budget (100 upstream requests); the whole export is ~2,000.
    expect(ext.estimate.pageSize).toBeLessThan(100);
    expect(ext.estimate.pages).toBe(Math.ceil(2000 / ext.estimate.pageSize));
    expect(ext.measured).toBe(ext.estimate.upstreamRequests.total);
    expect(ext.measured).toBeGreaterThan(2000);
    // Only the first page went upstream: one compliance read per device of that page, one search.
    const spent = (await uemRequests(gw)).total - before;
    expect(spent).toBeLessThanOrEqual(ext.estimate.pageSize + 2);
  });

  it('lets the same rows through when the export fits: the non-compliant devices only', async () => {
    const res = await exportGet(gw, { query: '{ devices(filter: { complianceStatus: NON_COMPLIANT }) { nodes { id compliance { status } } } }' });
    expect(res.status, res.describe()).toBe(200);
    const csv = readCsv(res.text);
    expect(csv.rows.length).toBe(Number(res.headers.get('x-export-total-count')));
    expect(csv.rows.every((r) => r['compliance.status'] === 'NON_COMPLIANT')).toBe(true);
  });
});

describe('with a small budget raised for analysts', () => {
  const INVENTORY = 'query InventoryExport($first: Int, $after: String) { devices(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id environment { name } } } }';
  let gw: TestGateway;
  let patKey: string;
  beforeAll(async () => {
    gw = await startTestGateway({
      EXPORT_MAX_UPSTREAM_REQUESTS: '5',
      EXPORT_ANALYST_MAX_UPSTREAM_REQUESTS: '100',
      EXPORT_MAX_COST: '30',
      EXPORT_ANALYST_MAX_COST: '30',
    });
    await register(gw, flatManifest(INVENTORY), 'partner-portal', 'device-inventory');
    patKey = await partnerKey(gw, PAT);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('refuses a partner the export an analyst may run, naming the budget that applied', async () => {
    const params = { documentId: `sha256:${sha256(INVENTORY)}`, variables: { first: 100 } };
    const partner = await exportGet(gw, params, { apiKey: patKey });
    expect(partner.status, partner.describe()).toBe(400);
    expect(partner.errors()[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'exportUpstreamRequests', max: 5, analystBudget: false });

    const carl = await exportGet(gw, params, { as: 'carl.consumer@demo.example' });
    expect(carl.status, carl.describe()).toBe(400);
    expect(carl.errors()[0]?.extensions).toMatchObject({ limit: 'exportUpstreamRequests', max: 5, analystBudget: false });

    const analyst = await exportGet(gw, params, { as: ADA });
    expect(analyst.status, analyst.describe()).toBe(200);
    expect(readCsv(analyst.text).rows).toHaveLength(2000);
  });

  it('stops a connection without totalCount page by page, before the page that would pass the budget', async () => {
    for (let i = 0; i < 30; i++) {
      await gw.app.services.store.audit.insertAuditEvent({ requestId: `seed-${i}`, principalKind: 'HARMONY_USER', principalEmail: ADA, field: 'exportBudgetSeed', outcome: 'SUCCESS' });
    }
    // Each page of 10 costs 12: two pages fit a budget of 30, the third does not.
    const res = await exportGet(gw, {
      query: 'query($n: Int) { auditEvents(first: $n, filter: { field: "exportBudgetSeed" }) { nodes { id field } } }',
      variables: { n: 10 },
    });
    expect(res.status, res.describe()).toBe(200);
    const csv = readCsv(res.text);
    expect(csv.rows).toHaveLength(20);
    expect(csv.trailer).toMatchObject({ status: 'error', rows: 20, pages: 2, error: { code: 'QUERY_TOO_COMPLEX', limit: 'exportCost', max: 30, measured: 36 } });
  });
});
