import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HarmonySimulator } from '../../../src/simulators/harmony/harmony.simulator.js';
import type { HarmonyDatasource } from '../../../src/datasources/harmony/harmony.datasource.js';
import type { UpstreamError } from '../../../src/errors.js';
import { harmonyDatasource, startHarmony } from './harmony.helpers.js';
import { rejectionOf } from './test-upstream.js';

describe('Harmony datasource: reads, writes and failures', () => {
  let sim: HarmonySimulator;
  let ds: HarmonyDatasource;
  beforeAll(async () => {
    sim = await startHarmony();
    ds = harmonyDatasource(sim);
    await ds.start();
  });
  afterAll(async () => {
    await ds.close();
    await sim.close();
  });
  beforeEach(() => sim.clearFaults());

  it('reads the organization, environments, users, roles, access, external users and API groups', async () => {
    const [envs, users, roles, access, external, groups] = await Promise.all([
      ds.environments(),
      ds.users(),
      ds.roles(),
      ds.environmentAccess(),
      ds.externalUsers(),
      ds.apiGroups(),
    ]);
    expect(envs.map((e) => e.envName)).toEqual(['Production', 'Sandbox', 'Development']);
    expect(users.find((u) => u.email === 'ian.inactive@demo.example')?.roles).toEqual([{ roleId: '1', active: false }]);
    expect(roles.find((r) => r.roleId === '1')).toEqual({ roleId: '1', name: 'Administrator', permissions: ['ADMIN'], active: true, builtIn: true });
    expect(roles.find((r) => r.name === 'Developers')?.permissions).toEqual(['READ', 'APP_DEVELOPER']);
    expect(access).toContainEqual({ roleId: '4', envId: '101', levels: ['VIEW_LOGS'] });
    const pat = external.find((u) => u.email === 'pat.partner@partner.example');
    expect(pat).toMatchObject({ status: 'ACTIVE', accessExpiresOn: null, timeZone: 'America/New_York', apiGroupIds: ['ag-1'] });
    expect(external.find((u) => u.email === 'eve.expired@partner.example')?.status).toBe('EXPIRED');
    expect(groups.find((g) => g.name === 'device-inventory')).toMatchObject({ envId: '101', apis: ['api-devices', 'api-compliance'] });
    expect(await ds.roleEnvironmentAccess('3')).toEqual([
      { envId: '101', levels: ['EXECUTE'] },
      { envId: '102', levels: ['WRITE'] },
      { envId: '103', levels: [] },
    ]);
  });

  it('runs the user and role lifecycle', async () => {
    const role = await ds.createRole({ name: 'Auditors', permissions: ['READ'] });
    const renamed = await ds.updateRole(role.roleId, { name: 'Auditors (EU)', active: false });
    expect(renamed).toMatchObject({ name: 'Auditors (EU)', active: false });
    expect(await ds.setRoleEnvironmentAccess(role.roleId, '101', ['READ', 'VIEW_LOGS'])).toEqual({
      roleId: role.roleId,
      envId: '101',
      levels: ['VIEW_LOGS', 'READ'],
    });
    const user = await ds.inviteUser('new.person@demo.example', ['2']);
    expect(user.roles).toEqual([{ roleId: '2', active: true }]);
    expect((await ds.setUserRole(user.userId, role.roleId, false)).roles).toContainEqual({ roleId: role.roleId, active: false });
    expect((await ds.unassignUserRole(user.userId, '2')).roles).toEqual([{ roleId: role.roleId, active: false }]);
    expect(await ds.removeRole(role.roleId)).toEqual({ roleId: role.roleId, removedFromUsers: 1 });
    await ds.removeUser(user.userId);
    expect(sim.state.users.some((u) => u.email === 'new.person@demo.example')).toBe(false);
  });

  it('runs the external user lifecycle', async () => {
    const invited = await ds.inviteExternalUser({
      email: 'new.partner@partner.example',
      accessExpiresOn: '2099-12-31',
      timeZone: 'Europe/Paris',
      apiGroupIds: ['ag-1'],
    });
    expect(invited).toMatchObject({ status: 'REQUESTED', accessExpiresOn: '2099-12-31', timeZone: 'Europe/Paris', lastLogin: null });
    expect((await ds.resendExternalUserInvitation(invited.externalUserId, { accessExpiresOn: null })).accessExpiresOn).toBeNull();
    sim.registerExternalUser('new.partner@partner.example');
    const suspended = await ds.updateExternalUser(invited.externalUserId, { status: 'SUSPENDED' });
    expect(suspended.status).toBe('SUSPENDED');
    await ds.deleteExternalUser(invited.externalUserId);
    expect(sim.state.externalUsers.some((u) => u.externalUserId === invited.externalUserId)).toBe(false);
  });

  it('reads the published APIs and reads and writes individual API grants (issue 18, job 8)', async () => {
    const apis = await ds.apis();
    expect(apis).toContainEqual({ apiId: 'api-device-lookup', name: 'Device lookup', envId: '101' });
    expect(apis.map((a) => a.apiId)).toEqual(sim.state.apis.map((a) => a.apiId));
    const invited = await ds.inviteExternalUser({
      email: 'api.partner@partner.example',
      accessExpiresOn: null,
      apiGroupIds: ['ag-2'],
      apis: [{ envId: '101', apiId: 'api-device-lookup' }],
    });
    expect(invited).toMatchObject({ apiGroupIds: ['ag-2'], apis: [{ envId: '101', apiId: 'api-device-lookup' }] });
    sim.registerExternalUser('api.partner@partner.example');
    const edited = await ds.updateExternalUser(invited.externalUserId, { apis: [{ envId: '103', apiId: 'api-lab-devices' }] });
    expect(edited).toMatchObject({ apiGroupIds: ['ag-2'], apis: [{ envId: '103', apiId: 'api-lab-devices' }] });
    expect((await ds.externalUsers()).find((u) => u.externalUserId === invited.externalUserId)?.apis).toEqual(edited.apis);
    const err = await rejectionOf(ds.updateExternalUser(invited.externalUserId, { apis: [{ envId: '102', apiId: 'api-lab-devices' }] }));
    expect(err).toMatchObject({ code: 'NOT_FOUND', upstream: 'harmony', details: { upstreamCode: 'NOT_FOUND' } });
    await ds.deleteExternalUser(invited.externalUserId);
  });

  it('maps body-level refusals (status: false, HTTP 200) to coded errors without Harmony wording', async () => {
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => ds.createRole({ name: 'administrator', permissions: ['READ'] }), 'BAD_USER_INPUT', 'ROLE_NAME_EXISTS'],
      [() => ds.updateRole('1', { name: 'Root' }), 'BAD_USER_INPUT', 'ROLE_IMMUTABLE'],
      [() => ds.createRole({ name: 'Empty', permissions: [] }), 'BAD_USER_INPUT', 'ROLE_NEEDS_PERMISSION'],
      [() => ds.createRole({ name: 'Devs 2', permissions: ['APP_DEVELOPER'] }), 'BAD_USER_INPUT', 'PERMISSION_DEPRECATED'],
      [() => ds.inviteUser('ada.admin@demo.example', ['2']), 'BAD_USER_INPUT', 'EMAIL_IS_ORG_MEMBER'],
      [() => ds.inviteExternalUser({ email: 'rita.reader@demo.example', accessExpiresOn: null }), 'BAD_USER_INPUT', 'EMAIL_IS_ORG_MEMBER'],
      [() => ds.inviteUser('pat.partner@partner.example', ['2']), 'BAD_USER_INPUT', 'EMAIL_IS_EXTERNAL_USER'],
      [() => ds.removeUser('no-such-user'), 'NOT_FOUND', 'NOT_FOUND'],
    ];
    for (const [run, code, upstreamCode] of cases) {
      const err = (await rejectionOf(run())) as UpstreamError;
      expect(err, upstreamCode).toMatchObject({ code, upstream: 'harmony', details: { upstreamCode } });
      expect(err.toGraphQLError().extensions).toMatchObject({ code, upstream: 'harmony', upstreamCode });
      // Harmony's own errorMessage wording never reaches our message.
      expect(err.message).not.toMatch(/A role named|The built-in|No Harmony user|already belongs|can no longer be assigned\./);
    }
    const rex = (await ds.externalUsers()).find((u) => u.email === 'rex.requested@partner.example');
    const err = await rejectionOf(ds.updateExternalUser(rex?.externalUserId ?? '', { status: 'ACTIVE' }));
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { upstreamCode: 'INVALID_STATUS_TRANSITION' } });
  });

  it('refuses writes while the subscription is expired', async () => {
    sim.setSubscriptionExpired(true);
    try {
      const err = await rejectionOf(ds.createRole({ name: 'Late', permissions: ['READ'] }));
      expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { upstreamCode: 'SUBSCRIPTION_EXPIRED' } });
      expect((await ds.roles()).length).toBeGreaterThan(0);
    } finally {
      sim.setSubscriptionExpired(false);
    }
  });

  it('survives the fault kinds: errors, malformed bodies, 429s and hangs', async () => {
    sim.setFaults({ errorRate: 1, errorStatus: 503, routes: ['GET /jitterbit-cloud-restful-service/orgs/{orgId}/roles'] });
    expect(await rejectionOf(ds.roles())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony', details: { status: 503 } });
    expect((await ds.environments()).length).toBe(3);

    const patient = harmonyDatasource(sim, {
      http: { requestTimeoutMs: 10_000, retry: { maxRetries: 16, baseDelayMs: 1, maxDelayMs: 5, budgetMs: 6_000 } },
    });
    sim.setFaults({ malformedRate: 0.3 });
    for (let i = 0; i < 5; i++) expect((await patient.users()).length).toBeGreaterThan(5);
    sim.setFaults({ malformedRate: 1 });
    expect(await rejectionOf(ds.users())).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { upstreamCode: 'malformed' } });

    sim.setFaults({ rateLimitPerSecond: 1 });
    const lists = await Promise.all([patient.users(), patient.roles(), patient.apiGroups()]);
    expect(lists.every((l) => l.length > 0)).toBe(true);
    await patient.close();

    sim.setFaults({ hangRate: 1 });
    const slow = harmonyDatasource(sim, { http: { requestTimeoutMs: 300 } });
    // The deadline's own error, not a measured duration.
    expect(await rejectionOf(slow.users())).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: 'harmony', message: expect.stringMatching(/within 300 ms/) });
    sim.clearFaults();
    await slow.close();
  });
});
