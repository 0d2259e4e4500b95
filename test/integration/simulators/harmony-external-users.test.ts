import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import { effectiveStatus } from '../../../src/simulators/harmony/harmony.expiry.js';
import { startHarmonySimulator, type HarmonySimulator } from '../../../src/simulators/harmony/harmony.simulator.js';
import { expectFailure, expectOk, HarmonyTestClient } from './harmony-test-client.js';

const START = Date.parse('2024-03-09T12:00:00Z');
const FIELDS = ['accessExpiresOn', 'apiGroupIds', 'apis', 'company', 'email', 'externalUserId', 'lastLogin', 'memberSince', 'name', 'status', 'timeZone'];

describe('Harmony external users', () => {
  const clock = new ManualClock(START);
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let admin: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ clock, sessionTimeoutSeconds: 30 * 86_400 });
    client = new HarmonyTestClient(sim.url);
    admin = await client.token();
  });
  afterAll(() => sim.close());

  const idOf = (email: string) => sim.state.externalUsers.find((u) => u.email === email)!.externalUserId;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const list = async (): Promise<any[]> => expectOk(await client.get('/external-users', admin)).externalUsers;
  const statusOf = async (email: string) => (await list()).find((u) => u.email === email)?.status;

  it('lists every external user whole, in the documented shape, status computed from the clock', async () => {
    const users = await list();
    expect(users).toHaveLength(40);
    for (const u of users) expect(Object.keys(u).sort()).toEqual(FIELDS);
    expect(users.map((u) => u.status)).toEqual(sim.state.externalUsers.map((u) => effectiveStatus(u, clock.now())));
    expect(new Set(users.map((u) => u.status))).toEqual(new Set(['ACTIVE', 'SUSPENDED', 'EXPIRED', 'REQUESTED']));
  });

  it('has the external personas of docs/interfaces.md', async () => {
    const users = await list();
    const byEmail = (email: string) => users.find((u) => u.email === email);
    expect(byEmail('pat.partner@partner.example')).toMatchObject({ status: 'ACTIVE', accessExpiresOn: null, apiGroupIds: ['ag-1'] });
    expect(byEmail('sam.suspended@partner.example')).toMatchObject({ status: 'SUSPENDED' });
    // Expired yesterday in her own zone (Tokyo): 2024-03-09 21:00 there, so yesterday is the 8th.
    expect(byEmail('eve.expired@partner.example')).toMatchObject({ status: 'EXPIRED', accessExpiresOn: '2024-03-08', timeZone: 'Asia/Tokyo' });
    expect(byEmail('rex.requested@partner.example')).toMatchObject({ status: 'REQUESTED', memberSince: null, lastLogin: null });
    expect(sim.externalStatus('EVE.expired@partner.example')).toBe('EXPIRED');
  });

  it('invites an external user as REQUESTED', async () => {
    const answer = expectOk(
      await client.post('/external-users', admin, {
        email: 'Quinn.Vendor@Vendor.example',
        accessExpiresOn: '2024-12-31',
        timeZone: 'Europe/Berlin',
        apiGroupIds: ['ag-3'],
        apis: [{ envId: '102', apiId: 'api-sandbox-devices' }],
      }),
    );
    expect(answer.externalUser).toEqual({
      externalUserId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: 'Quinn.Vendor@Vendor.example',
      name: '',
      company: '',
      status: 'REQUESTED',
      accessExpiresOn: '2024-12-31',
      timeZone: 'Europe/Berlin',
      lastLogin: null,
      memberSince: null,
      apiGroupIds: ['ag-3'],
      apis: [{ envId: '102', apiId: 'api-sandbox-devices' }],
    });
    const never = expectOk(await client.post('/external-users', admin, { email: 'forever@vendor.example', accessExpiresOn: null })).externalUser;
    expect(never).toMatchObject({ accessExpiresOn: null, timeZone: 'UTC', status: 'REQUESTED' });
  });

  it('keeps external and Harmony emails apart, case-insensitively', async () => {
    expectFailure(
      await client.post('/external-users', admin, { email: 'Omar.Operator@Demo.example', accessExpiresOn: null, timeZone: 'UTC' }),
      'EMAIL_IS_ORG_MEMBER',
    );
    expectFailure(
      await client.post('/external-users', admin, { email: 'PAT.PARTNER@partner.example', accessExpiresOn: null, timeZone: 'UTC' }),
      'EMAIL_IS_EXTERNAL_USER',
    );
  });

  it('validates the invitation', async () => {
    const post = (body: object) => client.post('/external-users', admin, { email: 'v@vendor.example', timeZone: 'UTC', accessExpiresOn: null, ...body });
    expectFailure(await post({ accessExpiresOn: '2024-02-30' }), 'INVALID_REQUEST', 400);
    expectFailure(await post({ accessExpiresOn: '31/12/2024' }), 'INVALID_REQUEST', 400);
    expectFailure(await post({ timeZone: 'Moon/Tranquility' }), 'INVALID_REQUEST', 400);
    expectFailure(await post({ email: 'nobody' }), 'INVALID_REQUEST', 400);
    expectFailure(await post({ apis: [{ envId: '101' }] }), 'INVALID_REQUEST', 400);
    expectFailure(await post({ apiGroupIds: ['ag-404'] }), 'NOT_FOUND');
    expectFailure(await post({ apis: [{ envId: '103', apiId: 'api-devices' }] }), 'NOT_FOUND');
  });

  it('edits an ACTIVE or SUSPENDED user: status, expiry and grants', async () => {
    const id = idOf('pat.partner@partner.example');
    const suspended = expectOk(await client.put(`/external-users/${id}`, admin, { status: 'SUSPENDED' })).externalUser;
    expect(suspended.status).toBe('SUSPENDED');
    const edited = expectOk(
      await client.put(`/external-users/${id}`, admin, {
        status: 'ACTIVE',
        accessExpiresOn: '2025-01-31',
        timeZone: 'America/Chicago',
        apiGroupIds: ['ag-1', 'ag-3'],
        apis: [{ envId: '101', apiId: 'api-orders' }],
      }),
    ).externalUser;
    expect(edited).toMatchObject({
      status: 'ACTIVE',
      accessExpiresOn: '2025-01-31',
      timeZone: 'America/Chicago',
      apiGroupIds: ['ag-1', 'ag-3'],
      apis: [{ envId: '101', apiId: 'api-orders' }],
    });
    expect(expectOk(await client.put(`/external-users/${id}`, admin, { accessExpiresOn: null })).externalUser.accessExpiresOn).toBeNull();
    expectOk(await client.put(`/external-users/${idOf('sam.suspended@partner.example')}`, admin, { apiGroupIds: [] }));
  });

  it('refuses to edit outside ACTIVE or SUSPENDED, or to set another status', async () => {
    expectFailure(await client.put(`/external-users/${idOf('rex.requested@partner.example')}`, admin, { status: 'ACTIVE' }), 'INVALID_STATUS_TRANSITION');
    expectFailure(await client.put(`/external-users/${idOf('eve.expired@partner.example')}`, admin, { accessExpiresOn: null }), 'INVALID_STATUS_TRANSITION');
    const sam = idOf('sam.suspended@partner.example');
    expectFailure(await client.put(`/external-users/${sam}`, admin, { status: 'EXPIRED' }), 'INVALID_STATUS_TRANSITION');
    expectFailure(await client.put(`/external-users/${sam}`, admin, { status: 'REQUESTED' }), 'INVALID_STATUS_TRANSITION');
    expectFailure(await client.put(`/external-users/${sam}`, admin, { status: 'BANNED' }), 'INVALID_REQUEST', 400);
    expectFailure(await client.put('/external-users/00000000-0000-4000-a000-000000000000', admin, { status: 'ACTIVE' }), 'NOT_FOUND');
  });

  it('resends only while REQUESTED or EXPIRED', async () => {
    const rex = idOf('rex.requested@partner.example');
    const before = sim.state.externalUsers.find((u) => u.externalUserId === rex)!.invitationsSent;
    expect(expectOk(await client.post(`/external-users/${rex}/resend`, admin)).externalUser.status).toBe('REQUESTED');
    expect(sim.state.externalUsers.find((u) => u.externalUserId === rex)!.invitationsSent).toBe(before + 1);

    const eve = idOf('eve.expired@partner.example');
    const renewed = expectOk(await client.post(`/external-users/${eve}/resend`, admin, { accessExpiresOn: '2024-06-30' })).externalUser;
    expect(renewed).toMatchObject({ status: 'REQUESTED', accessExpiresOn: '2024-06-30' });

    expectFailure(await client.post(`/external-users/${idOf('sam.suspended@partner.example')}/resend`, admin), 'INVALID_STATUS_TRANSITION');
    const active = sim.state.externalUsers.find((u) => effectiveStatus(u, clock.now()) === 'ACTIVE')!;
    expectFailure(await client.post(`/external-users/${active.externalUserId}/resend`, admin), 'INVALID_STATUS_TRANSITION');
  });

  it('deletes an external user in any status', async () => {
    const id = idOf('forever@vendor.example');
    expect(expectOk(await client.delete(`/external-users/${id}`, admin))).toEqual({ status: true, externalUserId: id });
    expect((await list()).some((u) => u.externalUserId === id)).toBe(false);
    expectFailure(await client.delete(`/external-users/${id}`, admin), 'NOT_FOUND');
  });

  it('ends access at 23:59 in each user\'s own zone, across a DST change', async () => {
    // 2024-03-10 is the day New York springs forward; London and Tokyo do not change that day.
    const zones = { 'ny@vendor.example': 'America/New_York', 'ldn@vendor.example': 'Europe/London', 'tyo@vendor.example': 'Asia/Tokyo' };
    for (const [email, timeZone] of Object.entries(zones)) {
      expectOk(await client.post('/external-users', admin, { email, accessExpiresOn: '2024-03-10', timeZone }));
      sim.registerExternalUser(email);
      expect(await statusOf(email)).toBe('ACTIVE');
    }
    const at = async (iso: string) => {
      clock.set(Date.parse(iso));
      return Promise.all(Object.keys(zones).map(statusOf));
    };
    expect(await at('2024-03-10T14:58:59Z')).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    expect(await at('2024-03-10T14:59:00Z')).toEqual(['ACTIVE', 'ACTIVE', 'EXPIRED']);
    expect(await at('2024-03-10T23:58:59Z')).toEqual(['ACTIVE', 'ACTIVE', 'EXPIRED']);
    expect(await at('2024-03-10T23:59:00Z')).toEqual(['ACTIVE', 'EXPIRED', 'EXPIRED']);
    // New York is on EDT (UTC-4) by the evening: 23:59 there is 03:59Z, not 04:59Z.
    expect(await at('2024-03-11T03:58:59Z')).toEqual(['ACTIVE', 'EXPIRED', 'EXPIRED']);
    expect(await at('2024-03-11T03:59:00Z')).toEqual(['EXPIRED', 'EXPIRED', 'EXPIRED']);
    // An expired user can no longer be edited, but the invitation can be resent with a new date.
    const ny = idOf('ny@vendor.example');
    expectFailure(await client.put(`/external-users/${ny}`, admin, { status: 'ACTIVE' }), 'INVALID_STATUS_TRANSITION');
    expectOk(await client.post(`/external-users/${ny}/resend`, admin, { accessExpiresOn: '2024-04-30', timeZone: 'America/New_York' }));
    expect(await statusOf('ny@vendor.example')).toBe('REQUESTED');
  });

  it('ends access across the Southern Hemisphere\'s DST end as well', async () => {
    clock.set(Date.parse('2024-04-06T00:00:00Z'));
    expectOk(await client.post('/external-users', admin, { email: 'syd@vendor.example', accessExpiresOn: '2024-04-07', timeZone: 'Australia/Sydney' }));
    sim.registerExternalUser('syd@vendor.example');
    // Sydney falls back to AEST (UTC+10) on the 7th: 23:59 there is 13:59Z.
    clock.set(Date.parse('2024-04-07T13:58:59Z'));
    expect(await statusOf('syd@vendor.example')).toBe('ACTIVE');
    clock.set(Date.parse('2024-04-07T13:59:00Z'));
    expect(await statusOf('syd@vendor.example')).toBe('EXPIRED');
  });

  it('reads EXPIRED at once when an edit sets a past date', async () => {
    clock.set(Date.parse('2024-05-01T12:00:00Z'));
    admin = await client.token(); // the earlier session has timed out by May
    const id = idOf('ldn@vendor.example');
    expectOk(await client.post(`/external-users/${id}/resend`, admin, { accessExpiresOn: null }));
    sim.registerExternalUser('ldn@vendor.example');
    expect(await statusOf('ldn@vendor.example')).toBe('ACTIVE');
    expect(expectOk(await client.put(`/external-users/${id}`, admin, { accessExpiresOn: '2024-04-30' })).externalUser.status).toBe('EXPIRED');
  });
});

describe('Harmony APIs and individual API grants (issue 18, job 8)', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let admin: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ clock: new ManualClock(START) });
    client = new HarmonyTestClient(sim.url);
    admin = await client.token();
  });
  afterAll(() => sim.close());

  const idOf = (email: string) => sim.state.externalUsers.find((u) => u.email === email)!.externalUserId;

  it('publishes every API in one environment, the groups\' and the ones in no group, only to a session', async () => {
    const apis = expectOk(await client.get('/apis', admin)).apis as { apiId: string; name: string; envId: string }[];
    for (const a of apis) expect(Object.keys(a).sort()).toEqual(['apiId', 'envId', 'name']);
    expect(apis).toContainEqual({ apiId: 'api-orders', name: 'Order status', envId: '101' });
    expect(apis).toContainEqual({ apiId: 'api-lab-devices', name: 'Lab devices', envId: '103' });
    const inGroups = new Set(sim.state.apiGroups.flatMap((g) => g.apis));
    expect(apis.filter((a) => !inGroups.has(a.apiId)).length).toBeGreaterThan(0);
    for (const g of sim.state.apiGroups) for (const id of g.apis) expect(apis.find((a) => a.apiId === id)?.envId).toBe(g.envId);
    expectFailure(await client.call('GET', client.orgPath('/apis')), 'INVALID_TOKEN', 401);
  });

  it('seeds individual grants, APIs of no group included, each in the API\'s own environment', async () => {
    const users = expectOk(await client.get('/external-users', admin)).externalUsers as { apis: { envId: string; apiId: string }[] }[];
    const grants = users.flatMap((u) => u.apis);
    const home = new Map(sim.state.apis.map((a) => [a.apiId, a.envId]));
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants) expect(g.envId).toBe(home.get(g.apiId));
    expect(grants.some((g) => g.apiId === 'api-device-lookup' || g.apiId === 'api-lab-devices')).toBe(true);
  });

  it('replaces the grants on an edit, each grant once, and leaves them alone when absent', async () => {
    const id = idOf('pat.partner@partner.example');
    const grant = { envId: '101', apiId: 'api-device-lookup' };
    const edited = expectOk(await client.put(`/external-users/${id}`, admin, { apis: [grant, grant, { envId: '103', apiId: 'api-lab-devices' }] })).externalUser;
    expect(edited.apis).toEqual([grant, { envId: '103', apiId: 'api-lab-devices' }]);
    expect(edited.apiGroupIds).toEqual(['ag-1']);
    const renamed = expectOk(await client.put(`/external-users/${id}`, admin, { name: 'Pat P.' })).externalUser;
    expect(renamed.apis).toHaveLength(2);
    expect(expectOk(await client.put(`/external-users/${id}`, admin, { apis: [] })).externalUser.apis).toEqual([]);
  });

  it('refuses unknown environments, unknown APIs and APIs of another environment, changing nothing', async () => {
    const id = idOf('pat.partner@partner.example');
    const before = structuredClone(sim.state.externalUsers.find((u) => u.externalUserId === id));
    const put = (apis: unknown) => client.put(`/external-users/${id}`, admin, { apis, name: 'Changed' });
    const unknownEnv = await put([{ envId: '999', apiId: 'api-orders' }]);
    expectFailure(unknownEnv, 'NOT_FOUND');
    expect(unknownEnv.json.errorMessage).toBe('No environment 999 in this organization.');
    const unknownApi = await put([{ envId: '101', apiId: 'api-nope' }]);
    expectFailure(unknownApi, 'NOT_FOUND');
    expect(unknownApi.json.errorMessage).toBe('No API api-nope in this organization.');
    const elsewhere = await put([{ envId: '102', apiId: 'api-orders' }]);
    expectFailure(elsewhere, 'NOT_FOUND');
    expect(elsewhere.json.errorMessage).toBe('No API api-orders in environment 102: it is published in environment 101.');
    expectFailure(await put({ envId: '101', apiId: 'api-orders' }), 'INVALID_REQUEST', 400);
    expectFailure(await put([{ envId: 101, apiId: 'api-orders' }]), 'INVALID_REQUEST', 400);
    expect(sim.state.externalUsers.find((u) => u.externalUserId === id)).toEqual(before);
  });
});
