/**
 * Harmony reads, Harmony writes and gateway administration for every Harmony persona, derived from
 * the table. The write is a harmless refused one (a role name that exists): admins get to the
 * business rule (BAD_USER_INPUT, ROLE_NAME_EXISTS), everyone else is stopped by the permission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { allows, HARMONY_PERSONAS, PAT } from '../../helpers/matrix.table.js';
import { expectForbiddenAt, show } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

const HARMONY_READS: [string, string][] = [
  ['harmonyUsers', `{ harmonyUsers(first: 3) { totalCount nodes { email roles { role { name } status } } } }`],
  ['harmonyUser', `{ harmonyUser(email: "ada.admin@demo.example") { email permissions } }`],
  ['roles', `{ roles { id name permissions environmentAccess { environment { name } levels } } }`],
  ['environments', `{ environments { id name } }`],
  ['externalUsers', `{ externalUsers(first: 3) { totalCount nodes { email status } } }`],
  ['apiGroups', `{ apiGroups { id name } }`],
];

const harmonyWrites = () => Object.entries(gw.app.simulators.harmony!.stats().byRoute)
  .filter(([route]) => !route.startsWith('GET ') && route.includes('/orgs/'))
  .reduce((sum, [, n]) => sum + n, 0);

describe('Harmony reads', () => {
  it.each(HARMONY_PERSONAS)('%s: every Harmony root field as the table says', async (persona) => {
    for (const [field, query] of HARMONY_READS) {
      const result = await gw.gql<Record<string, unknown>>(query, { as: persona });
      if (allows(persona, 'readHarmony')) {
        expect(expectData(result, query)[field], show(`${persona} ${field}`, result)).toBeTruthy();
      } else {
        expectForbiddenAt(result, [field], `${persona} ${field}`);
        expect(result.body.errors?.[0]?.extensions?.capability).toBe('readHarmony');
      }
    }
  });
});

describe('Harmony writes', () => {
  const CREATE = `mutation { createRole(input: { name: "User", permissions: [READ] }) { role { id } } }`;

  it.each(HARMONY_PERSONAS)('%s: a refused createRole shows who got past the permission', async (persona) => {
    const before = harmonyWrites();
    const result = await gw.gql(CREATE, { as: persona });
    const error = result.body.errors?.[0]?.extensions;
    expect(result.body.errors, show(persona, result)).toHaveLength(1);
    if (allows(persona, 'writeHarmony')) {
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ROLE_NAME_EXISTS' });
    } else {
      expect(error).toMatchObject({ code: 'FORBIDDEN', capability: 'writeHarmony' });
    }
    expect(harmonyWrites(), 'no write reaches Harmony').toBe(before);
  });
});

describe('gateway administration', () => {
  const LABEL = 'matrix-admin:';
  const LIST = `{ apiKeys { id ownerEmail } }`;
  const CREATE = `mutation C($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ownerEmail } } }`;

  it.each(HARMONY_PERSONAS)('%s: apiKeys and createApiKey as the table says', async (persona) => {
    const list = await gw.gql<{ apiKeys: unknown[] }>(LIST, { as: persona });
    const create = await gw.gql<{ createApiKey: { key: string } }>(CREATE, { as: persona, variables: { input: { ownerEmail: PAT, kind: 'EXTERNAL_USER', label: `${LABEL}${persona}` } } });
    if (allows(persona, 'administerGateway')) {
      expect(Array.isArray(expectData(list, LIST).apiKeys)).toBe(true);
      expect(expectData(create, CREATE).createApiKey.key).toMatch(/^uhg_/);
    } else {
      expectForbiddenAt(list, ['apiKeys'], `${persona} apiKeys`);
      expectForbiddenAt(create, ['createApiKey'], `${persona} createApiKey`);
    }
  });

  it('created exactly the admins’ keys', async () => {
    // Only this file's keys: the demo gateway is shared with the tier's other files (and demo mode
    // writes its own key for pat).
    const rows = await gw.app.services.db.selectFrom('api_keys').select('label').where('label', 'like', `${LABEL}%`).execute();
    expect(rows.map((r) => r.label.slice(LABEL.length)).sort()).toEqual(HARMONY_PERSONAS.filter((p) => allows(p, 'administerGateway')).sort());
  });
});
