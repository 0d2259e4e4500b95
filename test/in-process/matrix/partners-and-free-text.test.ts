/**
 * External users' keys (created through `createApiKey` as ada) and free-text documents.
 * pat may ask `viewer`; sam, eve and rex are refused with 401 and a reason. Free text: holders of
 * `sendFreeText` get answers; anyone else either has free text refused outright
 * (PERSISTED_QUERY_REQUIRED, once persisted documents are enforced) or, while free text is still
 * accepted, is refused every inventory and Harmony field (FORBIDDEN) — both are asserted as
 * "nothing but `viewer`".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { allows, HARMONY_PERSONAS, PARTNERS, PAT } from '../../helpers/matrix.table.js';
import { createKey, devicesIn, show, withKey } from '../../helpers/matrix.kit.js';

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
  it.each(HARMONY_PERSONAS)('%s: as the table says', async (persona) => {
    const viewer = await gw.gql<{ viewer: { email: string } }>(`{ viewer { email } }`, { as: persona });
    if (allows(persona, 'sendFreeText')) {
      expect(expectData(viewer).viewer.email).toBe(persona);
      return;
    }
    // Without sendFreeText (no READ, no ADMIN): free text gets nothing but `viewer`.
    if (!(viewer.body.errors ?? []).some((e) => e.extensions?.code === 'PERSISTED_QUERY_REQUIRED')) {
      expect(expectData(viewer).viewer.email).toBe(persona);
    }
    const [deviceId] = devicesIn(gw, 'Production', 1);
    for (const [field, query] of DATA_FIELDS(deviceId!)) expectNothing(await gw.gql(query, { as: persona }), field, `${persona} ${field}`);
  });
});
