import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import { startHarmonySimulator, type HarmonySimulator } from '../../../src/simulators/harmony/harmony.simulator.js';
import { expectFailure, expectOk, HarmonyTestClient } from './harmony-test-client.js';

describe('Harmony organization and users', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let admin: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator();
    client = new HarmonyTestClient(sim.url);
    admin = await client.token();
  });
  afterAll(() => sim.close());

  const userId = (email: string) => sim.state.users.find((u) => u.email === email)!.userId;

  it('reads the organization, its environments and API groups', async () => {
    expect(expectOk(await client.get('', admin))).toEqual({
      status: true,
      org: { orgId: 'demo-org', orgName: 'Demo Organization', ssoEnabled: false, subscriptionExpired: false, tfaRequired: false },
    });
    const environments = expectOk(await client.get('/environments', admin)).environments;
    expect(environments).toEqual([
      { envId: '101', envName: 'Production', envDesc: expect.any(String), envType: 'PRODUCTION' },
      { envId: '102', envName: 'Sandbox', envDesc: expect.any(String), envType: 'SANDBOX' },
      { envId: '103', envName: 'Development', envDesc: expect.any(String), envType: 'DEVELOPMENT' },
    ]);
    const apiGroups = expectOk(await client.get('/api-groups', admin)).apiGroups;
    expect(apiGroups).toEqual(sim.state.apiGroups);
    expect(apiGroups[0]).toEqual({ apiGroupId: 'ag-1', name: 'device-inventory', envId: '101', apis: ['api-devices', 'api-compliance'] });
  });

  it('lists every Harmony user whole, in the documented shape', async () => {
    const users = expectOk(await client.get('/users', admin)).users;
    expect(users).toHaveLength(120);
    for (const u of users) expect(Object.keys(u).sort()).toEqual(['email', 'roles', 'userId']);
    expect(users).toEqual(sim.state.users.map((u) => ({ userId: u.userId, email: u.email, roles: u.roles })));
    expect(users.find((u: { email: string }) => u.email === 'ian.inactive@demo.example').roles).toEqual([{ roleId: '1', active: false }]);
  });

  it('invites a Harmony user with roles', async () => {
    const answer = expectOk(await client.post('/users', admin, { email: 'New.Hire@Demo.example', roleIds: ['3', '9'] }));
    expect(answer.user).toEqual({
      userId: expect.stringMatching(/^\d+$/),
      email: 'New.Hire@Demo.example',
      roles: [
        { roleId: '3', active: true },
        { roleId: '9', active: true },
      ],
    });
    expect(sim.state.users.at(-1)?.userId).toBe(answer.user.userId);
    // The same person again, in another case, is already a member.
    expectFailure(await client.post('/users', admin, { email: 'new.hire@demo.EXAMPLE', roleIds: ['2'] }), 'EMAIL_IS_ORG_MEMBER');
  });

  it('refuses to invite an external user\'s email as a Harmony user (case-insensitively)', async () => {
    expectFailure(await client.post('/users', admin, { email: 'PAT.partner@partner.example', roleIds: ['2'] }), 'EMAIL_IS_EXTERNAL_USER');
  });

  it('refuses to invite someone whose other organization uses SSO', async () => {
    expectFailure(await client.post('/users', admin, { email: 'sso.elsewhere@other-sso.example', roleIds: ['2'] }), 'SSO_ORG_CONFLICT');
    // A member of another non-SSO organization may join this non-SSO one.
    expectOk(await client.post('/users', admin, { email: 'multi.org@other.example', roleIds: ['2'] }));
  });

  it('validates the invitation body', async () => {
    expectFailure(await client.post('/users', admin, { email: 'no-roles@demo.example', roleIds: [] }), 'INVALID_REQUEST', 400);
    expectFailure(await client.post('/users', admin, { email: 'not-an-email', roleIds: ['2'] }), 'INVALID_REQUEST', 400);
    expectFailure(await client.post('/users', admin, { email: 'x@demo.example', roleIds: ['999'] }), 'NOT_FOUND');
    expectFailure(await client.call('POST', client.orgPath('/users'), { token: admin, rawBody: '{"email":' }), 'INVALID_REQUEST', 400);
  });

  it('assigns, deactivates, reactivates and unassigns a role', async () => {
    const id = userId('rita.reader@demo.example');
    expect(expectOk(await client.put(`/users/${id}/roles/4`, admin, { active: true })).user.roles).toEqual([
      { roleId: '2', active: true },
      { roleId: '4', active: true },
    ]);
    expect(expectOk(await client.put(`/users/${id}/roles/4`, admin, { active: false })).user.roles[1]).toEqual({ roleId: '4', active: false });
    expect(expectOk(await client.put(`/users/${id}/roles/4`, admin, { active: true })).user.roles[1]).toEqual({ roleId: '4', active: true });
    expect(expectOk(await client.delete(`/users/${id}/roles/4`, admin)).user.roles).toEqual([{ roleId: '2', active: true }]);
    expectFailure(await client.delete(`/users/${id}/roles/4`, admin), 'NOT_FOUND');
    expectFailure(await client.put(`/users/${id}/roles/4`, admin, { active: 'yes' }), 'INVALID_REQUEST', 400);
    expectFailure(await client.put(`/users/${id}/roles/999`, admin, { active: true }), 'NOT_FOUND');
    expectFailure(await client.put('/users/424242/roles/2', admin, { active: true }), 'NOT_FOUND');
  });

  it('removes a user', async () => {
    const invited = expectOk(await client.post('/users', admin, { email: 'leaver@demo.example', roleIds: ['2'] })).user;
    expect(expectOk(await client.delete(`/users/${invited.userId}`, admin))).toEqual({ status: true, userId: invited.userId });
    expect(sim.state.users.some((u) => u.userId === invited.userId)).toBe(false);
    expectFailure(await client.delete(`/users/${invited.userId}`, admin), 'NOT_FOUND');
  });

  it('answers NOT_FOUND for another organization and 404 for an unknown route', async () => {
    expectFailure(await client.call('GET', '/orgs/other-org/users', { token: admin }), 'NOT_FOUND');
    const unknown = await client.call('GET', client.orgPath('/widgets'), { token: admin });
    expectFailure(unknown, 'NOT_FOUND', 404);
    expectFailure(await client.call('PATCH', client.orgPath('/users'), { token: admin }), 'NOT_FOUND', 404);
  });
});

describe('Harmony writes need an active ADMIN role', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: { harmonyUsers: 20, externalUsers: 6 } });
    client = new HarmonyTestClient(sim.url);
  });
  afterAll(() => sim.close());

  it.each([
    ['rita.reader@demo.example'],
    ['omar.operator@demo.example'],
    ['ian.inactive@demo.example'],
    ['dora.deactivated@demo.example'],
    ['carl.consumer@demo.example'],
  ])('refuses every write by %s with NOT_ORG_ADMIN, but lets them read', async (email) => {
    const token = await client.token(email);
    expectOk(await client.get('/users', token));
    const pat = sim.state.externalUsers[0]!.externalUserId;
    const writes = [
      client.post('/users', token, { email: 'blocked@demo.example', roleIds: ['2'] }),
      client.delete('/users/10003', token),
      client.put('/users/10003/roles/4', token, { active: true }),
      client.delete('/users/10003/roles/2', token),
      client.post('/roles', token, { name: 'Sneaky', permissions: ['READ'] }),
      client.put('/roles/3', token, { name: 'Renamed' }),
      client.delete('/roles/3', token),
      client.put('/roles/3/environment-access/101', token, { levels: ['WRITE'] }),
      client.post('/external-users', token, { email: 'blocked@partner.example', accessExpiresOn: null, timeZone: 'UTC' }),
      client.put(`/external-users/${pat}`, token, { status: 'SUSPENDED' }),
      client.post(`/external-users/${pat}/resend`, token),
      client.delete(`/external-users/${pat}`, token),
    ];
    for (const answer of await Promise.all(writes)) expectFailure(answer, 'NOT_ORG_ADMIN');
    expect(sim.state.roles.find((r) => r.roleId === '3')?.name).toBe('Operators');
  });

  it('lets another admin persona write', async () => {
    const token = await client.token('ada.admin@demo.example');
    expectOk(await client.put('/users/10003/roles/4', token, { active: false }));
  });

  it('follows a deactivated admin assignment at once', async () => {
    const ada = sim.state.users.find((u) => u.email === 'ada.admin@demo.example')!;
    const admin = await client.token();
    const token = await client.token(ada.email);
    expectOk(await client.put(`/users/${ada.userId}/roles/1`, admin, { active: false }));
    expectFailure(await client.put('/users/10003/roles/4', token, { active: true }), 'NOT_ORG_ADMIN');
    expectOk(await client.put(`/users/${ada.userId}/roles/1`, admin, { active: true }));
    expectOk(await client.put('/users/10003/roles/4', token, { active: true }));
  });
});

describe('Harmony with an expired subscription', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let admin: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: { harmonyUsers: 20, externalUsers: 6 }, subscriptionExpired: true });
    client = new HarmonyTestClient(sim.url);
    admin = await client.token();
  });
  afterAll(() => sim.close());

  it('keeps reads and refuses writes with SUBSCRIPTION_EXPIRED until renewed', async () => {
    expect(expectOk(await client.get('', admin)).org.subscriptionExpired).toBe(true);
    expectOk(await client.get('/users', admin));
    expectFailure(await client.post('/users', admin, { email: 'late@demo.example', roleIds: ['2'] }), 'SUBSCRIPTION_EXPIRED');
    expectFailure(await client.post('/roles', admin, { name: 'Late', permissions: ['READ'] }), 'SUBSCRIPTION_EXPIRED');
    expectFailure(await client.put('/roles/3/environment-access/101', admin, { levels: [] }), 'SUBSCRIPTION_EXPIRED');
    expectFailure(
      await client.post('/external-users', admin, { email: 'late@partner.example', accessExpiresOn: null, timeZone: 'UTC' }),
      'SUBSCRIPTION_EXPIRED',
    );
    // A non-admin hears that it is not an admin first.
    expectFailure(await client.post('/users', await client.token('rita.reader@demo.example'), { email: 'z@demo.example', roleIds: ['2'] }), 'NOT_ORG_ADMIN');
    sim.setSubscriptionExpired(false);
    expectOk(await client.post('/users', admin, { email: 'late@demo.example', roleIds: ['2'] }));
  });
});

describe('Harmony SSO membership rules on invitations', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let admin: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator({
      sizes: { harmonyUsers: 20, externalUsers: 6 },
      ssoEnabled: true,
      bypassSso: ['integration@demo.example'],
      otherOrgMembers: [{ email: 'consultant@elsewhere.example', sso: false }],
    });
    client = new HarmonyTestClient(sim.url);
    admin = await client.token();
  });
  afterAll(() => sim.close());

  it('needs the identity provider\'s username (an email) and a person in no other organization', async () => {
    expectFailure(await client.post('/users', admin, { email: 'jdoe', roleIds: ['2'] }), 'SSO_ORG_CONFLICT');
    expectFailure(await client.post('/users', admin, { email: 'Consultant@Elsewhere.example', roleIds: ['2'] }), 'SSO_ORG_CONFLICT');
    expect(sim.state.otherOrgMembers).toEqual([{ email: 'consultant@elsewhere.example', sso: false }]);
    expectOk(await client.post('/users', admin, { email: 'fresh@demo.example', roleIds: ['2'] }));
  });
});

describe('Harmony simulator determinism', () => {
  it('serves the same organization for the same seed and clock', async () => {
    const at = Date.parse('2024-06-15T12:00:00Z');
    const [a, b, c] = await Promise.all([
      startHarmonySimulator({ seed: 5, clock: new ManualClock(at) }),
      startHarmonySimulator({ seed: 5, clock: new ManualClock(at) }),
      startHarmonySimulator({ seed: 6, clock: new ManualClock(at) }),
    ]);
    try {
      const read = async (sim: HarmonySimulator) => {
        const client = new HarmonyTestClient(sim.url);
        const token = await client.token();
        const bodies = await Promise.all(['/users', '/roles', '/environment-access', '/external-users'].map((p) => client.get(p, token)));
        return bodies.map((answer) => expectOk(answer));
      };
      const [ra, rb, rc] = await Promise.all([read(a), read(b), read(c)]);
      expect(ra).toEqual(rb);
      expect(rc[0]).not.toEqual(ra[0]);
      expect(rc[3]).not.toEqual(ra[3]);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
