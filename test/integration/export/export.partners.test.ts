/**
 * Partners export only documents registered for their API groups, with their API key and the
 * group's scope; free text is refused as on /graphql; every page is audited as a partner read and
 * takes a rate-limit token (a later page waits for its token, a first page is answered 429).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { flatManifest, partnerKey, register, sha256 } from '../documents/helpers.js';
import { ADA, PAT, exportGet, readCsv, readJsonLines } from './export.kit.js';

const INVENTORY = 'query PartnerInventory($first: Int, $after: String) { devices(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id serialNumber environment { name } } } }';
const SANDBOX = 'query SandboxInventory($after: String) { devices(after: $after, filter: { environment: "Sandbox" }) { pageInfo { hasNextPage endCursor } nodes { id } } }';

async function productionCount(gw: TestGateway): Promise<number> {
  const query = '{ devices(first: 1, filter: { environment: "Production" }) { totalCount } }';
  return expectData(await gw.gql<{ devices: { totalCount: number } }>(query, { as: ADA }), query).devices.totalCount;
}

describe('pat.partner with an API key', () => {
  let gw: TestGateway;
  let key: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    await register(gw, flatManifest(INVENTORY), 'partner-portal', 'device-inventory');
    await register(gw, flatManifest(SANDBOX), 'sandbox-portal', 'sandbox-inventory');
    key = await partnerKey(gw, PAT);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('exports a registered document of its API group: every Production device, nothing else', async () => {
    const res = await exportGet(gw, { documentId: `sha256:${sha256(INVENTORY)}`, format: 'jsonl' }, { apiKey: key });
    expect(res.status, res.describe()).toBe(200);
    const { rows, trailer } = readJsonLines(res.text);
    expect(trailer).toBeUndefined();
    expect(rows).toHaveLength(await productionCount(gw));
    expect(new Set(rows.map((r) => r['environment.name']))).toEqual(new Set(['Production']));
    expect(Number(res.headers.get('x-export-total-count'))).toBe(rows.length);

    // Audited like a partner read: one row per page, all under the export's request id.
    const query = `{ auditEvents(first: 50, filter: { principalEmail: "${PAT}" }) { nodes { requestId documentHash outcome details } } }`;
    const events = expectData(await gw.gql<{ auditEvents: { nodes: { requestId: string; documentHash: string; outcome: string; details: string }[] } }>(query, { as: ADA }), query).auditEvents.nodes;
    const ofExport = events.filter((e) => e.requestId === res.requestId);
    expect(ofExport).toHaveLength(Math.ceil(rows.length / 500));
    expect(ofExport.every((e) => e.documentHash === sha256(INVENTORY) && e.outcome === 'SUCCESS')).toBe(true);
  });

  it('is refused free text with PERSISTED_QUERY_REQUIRED, as on /graphql', async () => {
    for (const params of [{ query: INVENTORY }, { query: '{ devices { nodes { id } } }', format: 'jsonl' }]) {
      const res = await exportGet(gw, params, { apiKey: key });
      expect(res.status, res.describe()).toBe(400);
      expect(res.errors()[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
    }
  });

  it('is refused documents of other API groups and the internal reports, and gets 404 for unknown ids', async () => {
    for (const params of [{ documentId: sha256(SANDBOX) }, { report: 'non-compliant-devices' }]) {
      const res = await exportGet(gw, params, { apiKey: key });
      expect(res.status, res.describe()).toBe(403);
      expect(res.errors()[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const unknown = await exportGet(gw, { documentId: 'f'.repeat(64) }, { apiKey: key });
    expect(unknown.status).toBe(404);
    expect(unknown.errors()[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('rate limits', () => {
  let gw: TestGateway;
  let key: string;
  beforeAll(async () => {
    // Two requests at once, then one a second.
    gw = await startTestGateway({ RATE_LIMIT_EXTERNAL_USER_BURST: '2', RATE_LIMIT_EXTERNAL_USER_PER_SECOND: '1' });
    await register(gw, flatManifest(INVENTORY), 'partner-portal', 'device-inventory');
    key = await partnerKey(gw, PAT);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('counts every page: a later page waits for its token, then the next export is answered 429 at once', async () => {
    const params = { documentId: `sha256:${sha256(INVENTORY)}`, variables: { first: 400 } };
    const began = Date.now();
    const res = await exportGet(gw, params, { apiKey: key });
    expect(res.status, res.describe()).toBe(200);
    const csv = readCsv(res.text);
    expect(csv.trailer).toBeUndefined();
    expect(csv.rows).toHaveLength(await productionCount(gw));
    // Three pages, two tokens: the third page waited about a second for its token.
    expect(Math.ceil(csv.rows.length / 400)).toBe(3);
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);

    // From here the bucket refills at one token per 10,000 s and is emptied (a slow machine may
    // have refilled it during the pages): the next export finds it empty and is refused at once.
    const store = gw.app.services.store.rateLimit;
    const takeTokens = store.takeTokens;
    store.takeTokens = (input) => takeTokens({ ...input, refillPerSecond: 0.0001 });
    let left = true;
    while (left) left = (await store.takeTokens({ key: `principal:EXTERNAL_USER:${PAT}`, capacity: 2, refillPerSecond: 1 })).allowed;
    const refused = await exportGet(gw, params, { apiKey: key });
    expect(refused.status, refused.describe()).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.errors()[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', bucket: 'principal' });
  });
});
