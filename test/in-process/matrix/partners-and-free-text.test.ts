/**
 * External users' keys (created through `createApiKey` as ada) and free-text documents.
 * pat may ask `viewer`; sam, eve and rex are refused with 401 and a reason. Free text: holders of
 * `sendFreeText` get answers; every other Harmony user (AGENT_INSTALL or API_CONSUMER alone, only
 * inactive assignments or roles) has free text — `viewer` included, APQ included — refused with
 * PERSISTED_QUERY_REQUIRED, exactly where `viewer.can(SEND_FREE_TEXT)` (asked through a trusted
 * document) says false.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { allows, HARMONY_PERSONAS, PARTNERS, PAT, RITA } from '../../helpers/matrix.table.js';
import { waitFor } from '../../helpers/wait.js';
import { createKey, devicesIn, show, trust, withKey } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

/** Every inventory and Harmony root field, one document each (the roots are non-null). */
const DATA_FIELDS = (deviceId: string): [string, string][] => [
  ['devices', `{ devices(first: 1) { totalCount } }`],
  ['device', `{ device(id: "${deviceId}") { id } }`],
  ['uemUsers', `{ uemUsers(first: 1) { totalCount } }`],
  ['uemUser', `{ uemUser(id: "1") { id } }`],
  ['apps', `{ apps(first: 1) { totalCount } }`],
  ['app', `{ app(id: "1") { id } }`],
  ['deviceSummary', `{ deviceSummary { totalCount } }`],
  ['person', `{ person(email: "ada.admin@demo.example") { email } }`],
  ['harmonyUsers', `{ harmonyUsers(first: 1) { totalCount } }`],
  ['harmonyUser', `{ harmonyUser(email: "ada.admin@demo.example") { email } }`],
  ['roles', `{ roles { id } }`],
  ['role', `{ role(id: "1") { id } }`],
  ['environments', `{ environments { id } }`],
  ['externalUsers', `{ externalUsers(first: 1) { totalCount } }`],
  ['externalUser', `{ externalUser(email: "pat.partner@partner.example") { email } }`],
  ['apiGroups', `{ apiGroups { id } }`],
  ['apis', `{ apis { id } }`],
  ['apiKeys', `{ apiKeys { id } }`],
];

/** Refused as free text, or refused the field: either way no data. */
function expectNothing(result: GqlResult<unknown>, field: string, label: string) {
  const codes = (result.body.errors ?? []).map((e) => e.extensions?.code);
  if (codes.includes('PERSISTED_QUERY_REQUIRED')) {
    expect(result.body.data ?? null, show(label, result)).toBeNull();
    return;
  }
  expect((result.body.errors ?? []).map((e) => [e.extensions?.code, e.path]), show(label, result)).toEqual([['FORBIDDEN', [field]]]);
  // Every root field is nullable: the refused one is null itself.
  expect(result.body.data, show(label, result)).toEqual({ [field]: null });
}

describe('external users’ keys', () => {
  it('pat’s key answers viewer (as free text today, or refuses free text outright)', async () => {
    const key = await createKey(gw, PAT);
    const result = await withKey<{ viewer: { kind: string; email: string } }>(gw, key, `{ viewer { kind email } }`);
    if ((result.body.errors ?? []).some((e) => e.extensions?.code === 'PERSISTED_QUERY_REQUIRED')) return;
    expect(expectData(result).viewer).toEqual({ kind: 'EXTERNAL_USER', email: PAT });
  });

  it('pat’s key gets nothing of the inventory or Harmony through free text', async () => {
    const key = await createKey(gw, PAT);
    const [deviceId] = devicesIn(gw, 'Production', 1);
    for (const [field, query] of DATA_FIELDS(deviceId!)) expectNothing(await withKey(gw, key, query), field, `pat ${field}`);
  });

  it.each(Object.entries(PARTNERS).filter(([, p]) => p.refused))('%s’s key is refused with 401 (%o)', async (email, partner) => {
    const key = await createKey(gw, email);
    const result = await withKey(gw, key, `{ viewer { email } }`);
    expect(result.status, show(email, result)).toBe(401);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: partner.refused });
    expect(result.body.data ?? null).toBeNull();
  });
});

describe('free text for Harmony users', () => {
  const WHO = `query MatrixWho { viewer { email freeText: can(capability: SEND_FREE_TEXT) } }`;
  const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
  const refusedText = (result: GqlResult<unknown>, label: string) => {
    expect(result.status, show(label, result)).toBe(400);
    expect(result.body.errors?.map((e) => e.extensions?.code), show(label, result)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    expect(result.body.errors?.[0]?.extensions?.capability).toBe('sendFreeText');
    expect(result.body.data ?? null, show(label, result)).toBeNull();
  };

  // Cell 10: free text exactly for those whose viewer.can(SEND_FREE_TEXT) is true. AGENT_INSTALL
  // alone, API_CONSUMER alone, an inactive assignment, a deactivated role: refused before
  // execution, `viewer` included; they ask through trusted documents.
  it.each(HARMONY_PERSONAS)('%s: free text as the table says, and viewer.can agrees', async (persona) => {
    const text = await gw.gql<{ viewer: { email: string; freeText: boolean } }>(WHO, { as: persona });
    const trusted = await gw.gql<{ viewer: { email: string; freeText: boolean } }>(WHO, { as: persona, documentId: await trust(gw, WHO) });
    expect(expectData(trusted, WHO).viewer).toEqual({ email: persona, freeText: allows(persona, 'sendFreeText') });
    if (allows(persona, 'sendFreeText')) {
      expect(expectData(text, WHO).viewer).toEqual({ email: persona, freeText: true });
      return;
    }
    refusedText(text, `${persona} viewer`);
    const [deviceId] = devicesIn(gw, 'Production', 1);
    for (const [field, query] of DATA_FIELDS(deviceId!)) refusedText(await gw.gql(query, { as: persona }), `${persona} ${field}`);
  });

  // Asking the schema reads no data: tools of every Harmony user get it (INTROSPECTION decides), but
  // a document mixing it with any data field is free text again.
  it.each(HARMONY_PERSONAS.filter((p) => !allows(p, 'sendFreeText')))('%s: introspection is not free text; mixed with data it is', async (persona) => {
    const schema = await gw.gql<{ __schema: { queryType: { name: string } } }>(`{ __schema { queryType { name } } }`, { as: persona });
    expect(expectData(schema).__schema.queryType.name).toBe('Query');
    refusedText(await gw.gql(`{ __schema { queryType { name } } viewer { email } }`, { as: persona }), `${persona} mixed`);
    refusedText(await gw.gql(`query A { __typename } query B { viewer { email } }`, { as: persona, variables: {} }), `${persona} two operations`);
  });

  it.each(HARMONY_PERSONAS.filter((p) => !allows(p, 'sendFreeText')))('%s: APQ registers nothing and runs nobody else’s text', async (persona) => {
    const own = `query MatrixApqOwn { viewer { email } }`;
    const ownHash = createHash('sha256').update(own).digest('hex');
    refusedText(await gw.gql(own, { as: persona, extensions: apq(ownHash) }), `${persona} APQ registration`);
    expect(await gw.app.services.documents.apqGet(ownHash), 'nothing stored').toBeUndefined();

    // Text a free-text holder stored under APQ is still free text: not found for this caller.
    const stored = `query MatrixApqOf${persona.replace(/\W/g, '')} { viewer { email } }`;
    const hash = createHash('sha256').update(stored).digest('hex');
    expectData(await gw.gql(stored, { as: RITA, extensions: apq(hash) }));
    await waitFor('the APQ entry to be stored', () => gw.app.services.documents.apqGet(hash));
    const byHash = await gw.gql(undefined, { as: persona, extensions: apq(hash) });
    expect(byHash.body.errors?.map((e) => e.extensions?.code), show(persona, byHash)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(byHash.body.data ?? null).toBeNull();
  });
});
