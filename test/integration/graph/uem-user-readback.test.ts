/**
 * Issue 18, job 5: everything `provisionUemUsers` writes reads back on `UemUser` — names, email,
 * display name, department, phone numbers, security type, status, organization group (and its
 * environment) and user group memberships — equal to what UEM holds, through the gateway against
 * the UEM simulator. Phone numbers are ADMIN-only like a device's; callers outside the user's
 * environment see no user at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { show } from '../../helpers/matrix.kit.js';
import { OPERATOR, PRODUCTION, READER, SANDBOX, uemWriteKit } from './uem-writes.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
}, 120_000);
afterAll(async () => {
  await gw?.close();
});

const { state, run, ok } = uemWriteKit(() => gw);

const PROVISION = `mutation P($input: [ProvisionUemUserInput!]!) {
  provisionUemUsers(input: $input) { results { userName userId status errorCode groups { groupName status } } }
}`;
const READ = `query U($id: ID!) {
  uemUser(id: $id) {
    id userName firstName lastName email displayName department contactNumber mobileNumber securityType status
    organizationGroup { id name } environment { name } userGroups { id name }
  }
}`;
type Provisioned = { provisionUemUsers: { results: { userName: string; userId: string | null; status: string; errorCode: string | null }[] } };
type Read = { uemUser: Record<string, unknown> | null };

const row = (userName: string) => ({
  userName,
  organizationGroupId: String(SANDBOX),
  firstName: 'Kim',
  lastName: 'Readback',
  email: `${userName}@demo.example`,
  displayName: 'Kim R.',
  department: 'Field Ops',
  contactNumber: '+1 555 0100',
  mobileNumber: '+1 555 0101',
  securityType: 'BASIC',
  password: 'Welcome-2026!',
  status: 'ACTIVE',
  userGroups: ['Contractors'],
});

async function provision(userName: string, as: string): Promise<string> {
  const data = await ok<Provisioned>(PROVISION, { input: [row(userName)] }, as);
  const [result] = data.provisionUemUsers.results;
  expect(result, JSON.stringify(data)).toMatchObject({ status: 'CREATED', errorCode: null });
  return result!.userId!;
}

/** What UEM holds for the user, in the graph's spelling (read from the simulator's state). */
function upstream(id: string) {
  const u = state().users.get(Number(id))!;
  const group = state().orgGroups.get(u.locationGroupId)!;
  const contractors = [...state().userGroups.values()].filter((g) => g.members.has(u.id));
  return {
    id,
    userName: u.userName,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    displayName: u.displayName,
    department: u.department,
    contactNumber: u.contactNumber,
    mobileNumber: u.mobileNumber,
    securityType: u.securityType.toUpperCase(),
    status: u.status,
    organizationGroup: { id: String(group.id), name: group.name },
    environment: { name: 'Sandbox' },
    userGroups: contractors.map((g) => ({ id: String(g.id), name: g.name })).sort((a, b) => Number(a.id) - Number(b.id)),
  };
}

describe('UemUser reads back what provisionUemUsers wrote', () => {
  it('an admin reads every field as UEM holds it, equal to the row sent', async () => {
    const id = await provision('readback.kim', 'ada.admin@demo.example');
    const data = await ok<Read>(READ, { id });
    expect(data.uemUser).toEqual(upstream(id));
    const sent = row('readback.kim');
    expect(data.uemUser).toMatchObject({
      firstName: sent.firstName,
      lastName: sent.lastName,
      email: sent.email,
      displayName: sent.displayName,
      department: sent.department,
      contactNumber: sent.contactNumber,
      mobileNumber: sent.mobileNumber,
      securityType: 'BASIC',
      status: true,
      organizationGroup: { id: String(SANDBOX) },
      userGroups: [expect.objectContaining({ name: 'Contractors' })],
    });
  });

  it('a move by updateUemUser shows in organizationGroup and environment', async () => {
    const id = await provision('readback.mover', 'ada.admin@demo.example');
    await ok(`mutation M($id: ID!, $g: ID!) { updateUemUser(id: $id, input: { organizationGroupId: $g }) { changedFields } }`, { id, g: String(PRODUCTION) });
    const data = await ok<Read>(`query U($id: ID!) { uemUser(id: $id) { organizationGroup { id } environment { name } } }`, { id });
    expect(data.uemUser).toEqual({ organizationGroup: { id: String(PRODUCTION) }, environment: { name: 'Production' } });
  });

  it('omar (WRITE in Sandbox) provisions and reads back everything but the phone numbers (ADMIN only)', async () => {
    const id = await provision('readback.omar', OPERATOR);
    const result = await run<Read>(READ, { id }, OPERATOR);
    const { contactNumber, mobileNumber, ...rest } = upstream(id);
    expect(contactNumber).toBe('+1 555 0100');
    expect(mobileNumber).toBe('+1 555 0101');
    expect(result.body.data?.uemUser, show('omar', result)).toEqual({ ...rest, contactNumber: null, mobileNumber: null });
    expect(result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.capability, e.path]).sort(), show('omar', result)).toEqual([
      ['FORBIDDEN', 'readSensitiveIdentifiers', ['uemUser', 'contactNumber']],
      ['FORBIDDEN', 'readSensitiveIdentifiers', ['uemUser', 'mobileNumber']],
    ]);
  });

  it('rita (no access in Sandbox) may neither provision there (the group is unknown to her) nor list the user', async () => {
    const refused = await ok<Provisioned>(PROVISION, { input: [row('readback.rita')] }, READER);
    expect(refused.provisionUemUsers.results.map((r) => [r.status, r.errorCode])).toEqual([['FAILED', 'BAD_USER_INPUT']]);
    expect([...state().users.values()].some((u) => u.userName === 'readback.rita')).toBe(false);
    const list = await ok<{ uemUsers: { totalCount: number } }>(`{ uemUsers(filter: { userName: "readback.kim" }) { totalCount } }`, {}, READER);
    expect(list.uemUsers.totalCount).toBe(0);
  });
});
