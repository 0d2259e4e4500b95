/**
 * Partners run trusted documents of their API groups only, with data scoped to the groups'
 * environments; every external persona of the demo organization, and carl.consumer (API_CONSUMER
 * with READ in Production) running the same documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { call, flatManifest, partnerKey, register, sha256, type Auth } from './helpers.js';

const INVENTORY = `query PartnerDevices($first: Int) { devices(first: $first) { totalCount nodes { id environment { name } } } }`;
const WHO = `query PartnerWho { viewer { kind email } }`;
const SANDBOX = `query SandboxDevices { devices(first: 5) { totalCount } }`;
const ORDERS = `query OrderStatus { devices(first: 1) { totalCount } }`;
const INTERNAL = `query InternalUsers { harmonyUsers(first: 3) { totalCount } }`;

let gw: TestGateway;
let pat: Auth;
let carl: Auth;
beforeAll(async () => {
  gw = await startTestGateway();
  await register(gw, flatManifest(INVENTORY, WHO), 'partner-portal', 'device-inventory');
  await register(gw, flatManifest(SANDBOX), 'sandbox-portal', 'sandbox-inventory');
  await register(gw, flatManifest(ORDERS), 'orders-portal', 'ag-3');
  await register(gw, flatManifest(INTERNAL), 'admin-console');
  pat = { apiKey: await partnerKey(gw, 'pat.partner@partner.example') };
  carl = { jwt: await gw.token('carl.consumer@demo.example') };
});
afterAll(async () => {
  await gw?.close();
});

type Devices = { devices: { totalCount: number; nodes: { id: string; environment: { name: string } | null }[] } };

describe('pat.partner (ACTIVE, API group device-inventory in Production)', () => {
  it('runs the documents of device-inventory by documentId, with or without sha256:, in the body or the query string', async () => {
    for (const request of [
      { documentId: `sha256:${sha256(INVENTORY)}`, variables: { first: 50 } },
      { documentId: sha256(INVENTORY), variables: { first: 50 } },
      { documentId: `sha256:${sha256(INVENTORY)}`, variables: { first: 50 }, method: 'GET' as const },
    ]) {
      const result = await call<Devices>(gw, pat, request);
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body.errors).toBeUndefined();
      const nodes = result.body.data?.devices.nodes ?? [];
      expect(nodes.length).toBeGreaterThan(0);
      // Only the group's environment.
      expect(new Set(nodes.map((n) => n.environment?.name))).toEqual(new Set(['Production']));
    }
  });

  it('sees exactly the Production devices an admin sees, fewer than all', async () => {
    const ada = { jwt: await gw.token('ada.admin@demo.example') };
    const all = await call<Devices>(gw, ada, { query: '{ devices(first: 1) { totalCount nodes { id environment { name } } } }' });
    const production = await call<Devices>(gw, ada, { query: '{ devices(first: 1, filter: { environment: "Production" }) { totalCount nodes { id environment { name } } } }' });
    const partner = await call<Devices>(gw, pat, { documentId: sha256(INVENTORY), variables: { first: 1 } });
    expect(partner.body.data?.devices.totalCount).toBe(production.body.data?.devices.totalCount);
    expect(partner.body.data?.devices.totalCount).toBeLessThan(all.body.data?.devices.totalCount ?? 0);
  });

  it('cannot run documents of other API groups, nor documents of no group', async () => {
    for (const doc of [SANDBOX, ORDERS, INTERNAL]) {
      const result = await call(gw, pat, { documentId: sha256(doc) });
      expect(result.status, doc).toBe(403);
      expect(errorCodes(result), doc).toEqual(['FORBIDDEN']);
    }
  });

  it('is refused free text, and APQ registration, with PERSISTED_QUERY_REQUIRED', async () => {
    for (const request of [
      { query: INVENTORY },
      { query: '{ viewer { email } }', method: 'GET' as const },
      { query: '{ viewer { email } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ viewer { email } }') } } },
    ]) {
      const result = await call(gw, pat, request);
      expect(result.status).toBe(400);
      expect(errorCodes(result)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    }
  });

  it('gets PERSISTED_QUERY_NOT_FOUND for an unknown id, and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await call(gw, pat, { documentId: `sha256:${sha256('query Nope { viewer { email } }')}` });
    expect(unknown.status).toBe(200);
    expect(errorCodes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const malformed = await call(gw, pat, { documentId: 'md5:1234' });
    expect(malformed.status).toBe(400);
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
  });

  it('GETs of a document whose data is set by its API group are cacheable; per-user documents are not', async () => {
    const inventory = await call(gw, pat, { documentId: sha256(INVENTORY), variables: { first: 2 }, method: 'GET' });
    expect(inventory.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(inventory.headers.get('vary')).toContain('authorization');
    const who = await call<{ viewer: { kind: string; email: string } }>(gw, pat, { documentId: sha256(WHO), method: 'GET' });
    expect(who.body.data?.viewer).toEqual({ kind: 'EXTERNAL_USER', email: 'pat.partner@partner.example' });
    expect(who.headers.get('cache-control')).toBe('private, no-store');
    const post = await call(gw, pat, { documentId: sha256(INVENTORY), variables: { first: 2 } });
    expect(post.headers.get('cache-control') ?? '').not.toContain('public');
  });

  it('reads nothing on the Harmony side even through a document of its group', async () => {
    const HARMONY = 'query PartnerPeople { harmonyUsers(first: 1) { totalCount } }';
    await register(gw, flatManifest(HARMONY), 'partner-portal', 'device-inventory');
    const result = await call(gw, pat, { documentId: sha256(HARMONY) });
    expect(errorCodes(result)).toContain('FORBIDDEN');
    expect(result.body.data).toEqual({ harmonyUsers: null });
  });
});

describe('the other external personas', () => {
  it.each(['sam.suspended@partner.example', 'eve.expired@partner.example', 'rex.requested@partner.example'])('%s gets 401 even with a document', async (email) => {
    const key = await partnerKey(gw, email);
    const result = await call(gw, { apiKey: key }, { documentId: sha256(INVENTORY) });
    expect(result.status).toBe(401);
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('carl.consumer (API_CONSUMER, READ in Production)', () => {
  it('runs the documents of device-inventory with Production data only', async () => {
    const result = await call<Devices>(gw, carl, { documentId: sha256(INVENTORY), variables: { first: 50 } });
    expect(result.body.errors).toBeUndefined();
    expect(new Set(result.body.data?.devices.nodes.map((n) => n.environment?.name))).toEqual(new Set(['Production']));
  });

  it('cannot send free text at all, nor run documents of a group in an environment he has no READ in', async () => {
    // API_CONSUMER alone holds no sendFreeText: refused before execution, like a partner.
    const text = await call(gw, carl, { query: INVENTORY });
    expect(errorCodes(text)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    expect(text.body.data ?? null).toBeNull();
    const sandbox = await call(gw, carl, { documentId: sha256(SANDBOX) });
    expect(errorCodes(sandbox)).toContain('FORBIDDEN');
  });
});
