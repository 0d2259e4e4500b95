/**
 * Trusted documents registered under an API (issue 18, job 8). A partner runs one only while the
 * API is granted to them in the environment it is published in — on its own, or through a granted
 * API group that holds it — and is refused FORBIDDEN otherwise, as for a group they lack; granting
 * and revoking APIs leaves their group documents as they were. An API consumer (carl) runs them
 * with READ in the API's environment. Through the gateway over real HTTP, grants set by ada.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../src/store/audit.repository.js';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADA, call, flatManifest, partnerKey, register, registerRaw, sha256, type Auth } from './helpers.js';

const LOOKUP = `query DeviceLookup($first: Int) { devices(first: $first) { totalCount nodes { id environment { name } } } }`;
const VIA_GROUP = `query DevicesApi { devices(first: 3) { totalCount } }`;
const BY_NAME = `query OrderStatusApi { devices(first: 2) { totalCount } }`;
const LAB = `query LabDevicesApi { devices(first: 5) { totalCount nodes { environment { name } } } }`;
const GROUP = `query GroupInventory { devices(first: 4) { totalCount } }`;
const PAT = 'pat.partner@partner.example';

let gw: TestGateway;
let pat: Auth;
beforeAll(async () => {
  gw = await startTestGateway();
  await register(gw, flatManifest(LOOKUP), 'lookup-portal', { api: 'api-device-lookup' });
  await register(gw, flatManifest(VIA_GROUP), 'devices-portal', { api: 'api-devices' });
  await register(gw, flatManifest(BY_NAME), 'orders-portal', { api: 'order status' });
  await register(gw, flatManifest(LAB), 'lab-portal', { api: 'api-lab-devices' });
  await register(gw, flatManifest(GROUP), 'partner-portal', 'device-inventory');
  pat = { apiKey: await partnerKey(gw, PAT) };
});
afterAll(async () => {
  await gw?.close();
});

type Devices = { devices: { totalCount: number; nodes?: { id: string; environment: { name: string } | null }[] } };
const externalId = (email: string) => gw.app.simulators.harmony!.state.externalUsers.find((u) => u.email === email)!.externalUserId;

async function grant(email: string, input: { apis?: { apiId: string; environmentId: string }[]; apiGroupIds?: string[] }): Promise<void> {
  const UPDATE = 'mutation($id: ID!, $input: UpdateExternalUserInput!) { updateExternalUser(externalUserId: $id, input: $input) { externalUser { id } } }';
  expectData(await gw.gql(UPDATE, { as: ADA, variables: { id: externalId(email), input } }), UPDATE);
}

async function runs(auth: Auth, body: string, variables?: Record<string, unknown>) {
  const result = await call<Devices>(gw, auth, { documentId: `sha256:${sha256(body)}`, variables });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  expect(result.body.errors, JSON.stringify(result.body)).toBeUndefined();
  return result.body.data!;
}

async function forbidden(auth: Auth, body: string) {
  const result = await call(gw, auth, { documentId: sha256(body) });
  expect(result.status, JSON.stringify(result.body)).toBe(403);
  expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  expect(result.body.data ?? null).toBeNull();
  return result;
}

describe('pat.partner (API group device-inventory)', () => {
  it('runs the group\'s documents, and documents of an API his group holds', async () => {
    expect((await runs(pat, GROUP)).devices.totalCount).toBeGreaterThan(0);
    expect((await runs(pat, VIA_GROUP)).devices.totalCount).toBeGreaterThan(0);
  });

  it('is refused documents of APIs not granted to him, with the code of a missing API group', async () => {
    const refused = await forbidden(pat, LOOKUP);
    expect(refused.body.errors?.[0]?.message).toBe('This document is registered under an API that is not granted to you.');
    await forbidden(pat, LAB);
    await forbidden(pat, BY_NAME);
  });

  it('runs an API\'s documents once granted it, with that API\'s environment\'s data only', async () => {
    await grant(PAT, { apis: [{ apiId: 'api-device-lookup', environmentId: '101' }, { apiId: 'api-orders', environmentId: '101' }] });
    const data = await runs(pat, LOOKUP, { first: 50 });
    expect(data.devices.nodes?.length).toBeGreaterThan(0);
    expect(new Set(data.devices.nodes?.map((n) => n.environment?.name))).toEqual(new Set(['Production']));
    // Registered by the API's name ("order status", any case), granted by its id.
    expect((await runs(pat, BY_NAME)).devices.totalCount).toBeGreaterThan(0);
    // Still not the Development API.
    await forbidden(pat, LAB);
    const rows = await listAuditEvents(gw.app.services.db, { targetId: sha256(LOOKUP) }, 10);
    expect(rows.events[0]).toMatchObject({ principalKind: 'EXTERNAL_USER', principalEmail: PAT, outcome: 'SUCCESS', targets: [{ type: 'PersistedDocument', label: 'API api-device-lookup' }] });
  });

  it('keeps running his group\'s documents when his APIs are revoked, and loses the APIs\' at once', async () => {
    await grant(PAT, { apis: [] });
    expect((await runs(pat, GROUP)).devices.totalCount).toBeGreaterThan(0);
    await forbidden(pat, LOOKUP);
    await forbidden(pat, BY_NAME);
  });

  it('loses the documents of an API his group held when the group is revoked, unless the API is granted on its own', async () => {
    await grant(PAT, { apiGroupIds: [] });
    await forbidden(pat, VIA_GROUP);
    await forbidden(pat, GROUP);
    await grant(PAT, { apis: [{ apiId: 'api-devices', environmentId: '101' }] });
    expect((await runs(pat, VIA_GROUP)).devices.totalCount).toBeGreaterThan(0);
    await forbidden(pat, GROUP);
    await grant(PAT, { apis: [], apiGroupIds: ['ag-1'] });
  });
});

describe('a partner granted only an API', () => {
  it('runs that API\'s documents and nothing of any API group', async () => {
    const email = 'lab.partner@partner.example';
    const INVITE = 'mutation($input: InviteExternalUserInput!) { inviteExternalUser(input: $input) { externalUser { id } } }';
    expectData(await gw.gql(INVITE, { as: ADA, variables: { input: { email, apis: [{ apiId: 'api-lab-devices', environmentId: '103' }] } } }), INVITE);
    gw.app.simulators.harmony!.registerExternalUser(email);
    const lab = { apiKey: await partnerKey(gw, email) };
    const data = await runs(lab, LAB);
    expect(new Set(data.devices.nodes?.map((n) => n.environment?.name))).toEqual(new Set(['Development']));
    await forbidden(lab, GROUP);
    await forbidden(lab, LOOKUP);
    // Partners never send text, whatever they are granted.
    expect(errorCodes(await call(gw, lab, { query: LAB }))).toEqual(['PERSISTED_QUERY_REQUIRED']);
  });
});

describe('carl.consumer (API_CONSUMER, READ in Production)', () => {
  it('runs documents of Production APIs with Production data, and is refused the Development API\'s', async () => {
    const carl = { jwt: await gw.token('carl.consumer@demo.example') };
    const data = await runs(carl, LOOKUP, { first: 20 });
    expect(new Set(data.devices.nodes?.map((n) => n.environment?.name))).toEqual(new Set(['Production']));
    const lab = await call(gw, carl, { documentId: sha256(LAB) });
    expect(errorCodes(lab)).toContain('FORBIDDEN');
    expect((lab.body.data as Devices | undefined)?.devices ?? null).toBeNull();
  });
});

describe('registration under an API', () => {
  it('lists documents by API, with the API as registered', async () => {
    const LIST = '{ persistedDocuments(api: "api-device-lookup") { hash operationName apiGroup api clientName } }';
    const data = expectData(await gw.gql<{ persistedDocuments: unknown[] }>(LIST, { as: ADA }), LIST);
    expect(data.persistedDocuments).toEqual([
      { hash: sha256(LOOKUP), operationName: 'DeviceLookup', apiGroup: null, api: 'api-device-lookup', clientName: 'lookup-portal' },
    ]);
  });

  it('moves a document between an API group and an API (updated), and changes nothing when pushed again', async () => {
    const DOC = 'query Movable { devices(first: 1) { totalCount } }';
    expect((await register(gw, flatManifest(DOC), 'mover', 'device-inventory')).created).toEqual([sha256(DOC)]);
    expect((await register(gw, flatManifest(DOC), 'mover', { api: 'api-orders' })).updated).toEqual([sha256(DOC)]);
    expect((await register(gw, flatManifest(DOC), 'mover', { api: 'api-orders' })).unchanged).toEqual([sha256(DOC)]);
    const [doc] = await gw.app.services.documents.list({ api: 'api-orders' });
    expect(doc).toMatchObject({ hash: sha256(DOC), apiGroup: null, api: 'api-orders' });
  });

  it('refuses an API group and an API together, storing nothing', async () => {
    const DOC = 'query BothScopes { devices(first: 1) { totalCount } }';
    const result = await registerRaw(gw, flatManifest(DOC), 'both', { api: 'api-orders', apiGroup: 'device-inventory' });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.body.errors?.[0]?.extensions?.argument).toBe('input.api');
    expect(await gw.app.services.documents.trusted(sha256(DOC))).toBeUndefined();
  });
});
