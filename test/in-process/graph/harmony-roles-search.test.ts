/**
 * Issue 18, job 7: `roles(search)` as the search of Harmony's Roles tab (seed 004): the text
 * matches anywhere in the Role, Permissions or Status column, in any case, through the gateway
 * against the Harmony simulator's demo organization. Readers of Harmony get the matches; others
 * are refused as for `roles`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { expectForbiddenAt } from '../../helpers/matrix.kit.js';
import { ADA, LENA, RITA } from '../../helpers/matrix.table.js';

const SEARCH = `query Roles($search: String) { roles(search: $search) { name permissions status } }`;
type Roles = { roles: { name: string; permissions: string[]; status: string }[] };

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

const roles = () => gw.app.simulators.harmony!.state.roles;
const names = (pick: (r: ReturnType<typeof roles>[number]) => boolean) => roles().filter(pick).map((r) => r.name);
const search = async (text: string | null, as = ADA) => expectData(await gw.gql<Roles>(SEARCH, { as, variables: { search: text } }), SEARCH).roles;

describe('roles(search)', () => {
  it('matches the Role column, any case, anywhere in the name', async () => {
    expect((await search('OPERAT')).map((r) => r.name)).toEqual(['Operators']);
    expect((await search('viewers')).map((r) => r.name)).toEqual(['Log Viewers']);
  });

  it('matches the Permissions column by the page’s labels, or the wire spelling', async () => {
    const consumers = names((r) => r.permissions.includes('API_CONSUMER'));
    expect(consumers.length).toBeGreaterThan(0);
    expect((await search('api consumer')).map((r) => r.name)).toEqual(consumers);
    expect((await search('API_CONSUMER')).map((r) => r.name)).toEqual(consumers);
    // "admin": the roles granting Admin, and those named …admin… (Legacy Admins is both).
    expect((await search('admin')).map((r) => r.name)).toEqual(names((r) => r.permissions.includes('ADMIN') || /admin/i.test(r.name)));
    // The deprecated App Developer permission is still shown, so still found.
    expect((await search('app developer')).map((r) => r.name)).toEqual(names((r) => r.permissions.includes('APP_DEVELOPER')));
  });

  it('matches the Status column: "inactive" finds the deactivated roles, "active" every role, as on the page', async () => {
    const inactive = await search('Inactive');
    expect(inactive.map((r) => r.name)).toEqual(names((r) => !r.active));
    expect(inactive.every((r) => r.status === 'INACTIVE')).toBe(true);
    expect(await search('active')).toHaveLength(roles().length);
  });

  it('a blank or absent search lists every role in Harmony’s order; no match is an empty list', async () => {
    const every = roles().map((r) => r.name);
    expect((await search(null)).map((r) => r.name)).toEqual(every);
    expect((await search('   ')).map((r) => r.name)).toEqual(every);
    expect(await search('no such role anywhere')).toEqual([]);
  });

  it('answers the readers of Harmony (lena, VIEW_LOGS) and refuses the others (rita) as `roles` does', async () => {
    expect((await search('operators', LENA)).map((r) => r.name)).toEqual(['Operators']);
    const refused = await gw.gql<Roles>(SEARCH, { as: RITA, variables: { search: 'operators' } });
    expectForbiddenAt(refused, ['roles'], 'rita roles(search)');
    expect(refused.body.errors?.[0]?.extensions?.capability).toBe('readHarmony');
  });
});
