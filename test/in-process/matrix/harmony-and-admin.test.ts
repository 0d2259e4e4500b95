/**
 * Harmony reads, Harmony writes and gateway administration for every Harmony persona, derived from
 * the table. The write is a harmless refused one (a role name that exists): admins get to the
 * business rule (BAD_USER_INPUT, ROLE_NAME_EXISTS), everyone else is stopped by the permission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { allows, HARMONY_PERSONAS, PAT } from '../../helpers/matrix.table.js';
import { asPersona, expectForbiddenAt, show } from '../../helpers/matrix.kit.js';

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
  ['apis', `{ apis { id name environment { name } } }`],
];

const harmonyWrites = () => Object.entries(gw.app.simulators.harmony!.stats().byRoute)
  .filter(([route]) => !route.startsWith('GET ') && route.includes('/orgs/'))
  .reduce((sum, [, n]) => sum + n, 0);

describe('Harmony reads', () => {
  it.each(HARMONY_PERSONAS)('%s: every Harmony root field as the table says', async (persona) => {
    for (const [field, query] of HARMONY_READS) {
      const result = await asPersona<Record<string, unknown>>(gw, persona, query);
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
    const result = await asPersona(gw, persona, CREATE);
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
    const list = await asPersona<{ apiKeys: unknown[] }>(gw, persona, LIST);
    const create = await asPersona<{ createApiKey: { key: string } }>(gw, persona, CREATE, { input: { ownerEmail: PAT, kind: 'EXTERNAL_USER', label: `${LABEL}${persona}` } });
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

// Cell 9: a built-in role's environment access is part of the role. Giving the User role READ in
// Sandbox would let every User-role holder read Sandbox devices: refused like any other edit of a
// built-in role (ROLE_IMMUTABLE) before anything reaches Harmony, for the Administrator role too.
describe('built-in roles are immutable, environment access included', () => {
  const SET = `mutation S($r: ID!, $e: ID!) { setEnvironmentAccess(roleId: $r, environmentId: $e, levels: [READ]) { role { id } } }`;
  const EDIT = `mutation E($r: ID!) { updateRole(roleId: $r, input: { name: "Renamed" }) { role { id } } }`;
  const harmony = () => gw.app.simulators.harmony!.state;
  const sandbox = () => harmony().environments.find((e) => e.envName === 'Sandbox')!.envId;
  const builtIn = (name: string) => harmony().roles.find((r) => r.builtIn && r.name === name)!.roleId;

  it.each(HARMONY_PERSONAS)('%s: setEnvironmentAccess on the built-in roles as the table says', async (persona) => {
    for (const name of ['User', 'Administrator']) {
      const before = harmonyWrites();
      const access = JSON.stringify(harmony().access.filter((a) => a.roleId === builtIn(name)));
      const result = await asPersona(gw, persona, SET, { r: builtIn(name), e: sandbox() });
      expect(result.body.errors?.map((e) => e.path), show(`${persona} ${name}`, result)).toEqual([['setEnvironmentAccess']]);
      expect(result.body.data, show(persona, result)).toEqual({ setEnvironmentAccess: null });
      if (allows(persona, 'writeHarmony')) {
        const edit = await asPersona(gw, persona, EDIT, { r: builtIn(name) });
        const refusal = result.body.errors?.[0]?.extensions;
        expect(refusal).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ROLE_IMMUTABLE', field: 'roleId' });
        // The same code as any other edit of a built-in role.
        expect({ code: refusal?.code, reason: refusal?.reason }).toEqual({ code: edit.body.errors?.[0]?.extensions?.code, reason: edit.body.errors?.[0]?.extensions?.reason });
        expect(result.body.errors?.[0]?.message).toBe(`The built-in ${name} role cannot be edited, its environment access included.`);
      } else {
        expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', capability: 'writeHarmony' });
      }
      expect(harmonyWrites(), 'no write reaches Harmony').toBe(before);
      expect(JSON.stringify(harmony().access.filter((a) => a.roleId === builtIn(name)))).toBe(access);
    }
  });
});
