import { describe, expect, it } from 'vitest';
import { APIS, DEFAULT_SIZES, EXTERNAL_PERSONAS, HARMONY_PERSONAS, ROLES } from '../../../src/simulators/dataset/demo-org.js';
import { generateDirectory } from '../../../src/simulators/dataset/people.js';
import { generateHarmonyDataset, type HarmonyDatasetOptions } from '../../../src/simulators/harmony/harmony.dataset.js';
import { addDays, effectiveStatus, isCalendarDate, isTimeZone, localDate } from '../../../src/simulators/harmony/harmony.expiry.js';
import type { HarmonyState } from '../../../src/simulators/harmony/harmony.types.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');

const options = (over: Partial<HarmonyDatasetOptions> = {}): HarmonyDatasetOptions => ({
  seed: 42,
  harmonyUsers: DEFAULT_SIZES.harmonyUsers,
  externalUsers: DEFAULT_SIZES.externalUsers,
  uemUsers: DEFAULT_SIZES.uemUsers,
  now: NOW,
  ...over,
});

const roleNamed = (state: HarmonyState, name: string) => state.roles.find((r) => r.name === name)!;
const userByEmail = (state: HarmonyState, email: string) => state.users.find((u) => u.email === email)!;
const levels = (state: HarmonyState, roleName: string, envName: string) => {
  const env = state.environments.find((e) => e.envName === envName)!;
  return state.access.find((a) => a.roleId === roleNamed(state, roleName).roleId && a.envId === env.envId)!.levels;
};

describe('the Harmony dataset', () => {
  it('is the same for the same seed and clock, and differs for another seed', () => {
    expect(generateHarmonyDataset(options())).toEqual(generateHarmonyDataset(options()));
    const other = generateHarmonyDataset(options({ seed: 7 }));
    expect(other.users.map((u) => u.email)).not.toEqual(generateHarmonyDataset(options()).users.map((u) => u.email));
    expect(other.externalUsers.map((u) => u.email)).not.toEqual(
      generateHarmonyDataset(options()).externalUsers.map((u) => u.email),
    );
  });

  it('has the default sizes and the directory\'s Harmony users, emails unique', () => {
    const state = generateHarmonyDataset(options());
    expect(state.users).toHaveLength(120);
    expect(state.externalUsers).toHaveLength(40);
    const directory = generateDirectory({ seed: 42, harmonyUsers: 120, uemUsers: DEFAULT_SIZES.uemUsers });
    expect(state.users.map((u) => u.email)).toEqual(directory.filter((p) => p.harmony).map((p) => p.email));
    const all = [...state.users.map((u) => u.email), ...state.externalUsers.map((u) => u.email)];
    expect(new Set(all.map((e) => e.toLowerCase())).size).toBe(all.length);
    expect(new Set(state.users.map((u) => u.userId)).size).toBe(120);
  });

  it('keeps every persona at the smallest sizes', () => {
    const state = generateHarmonyDataset(options({ harmonyUsers: 1, externalUsers: 0, uemUsers: 0 }));
    expect(state.users.map((u) => u.email)).toEqual(['integration@demo.example', ...HARMONY_PERSONAS.map((p) => p.email)]);
    expect(state.externalUsers.map((u) => u.email)).toEqual(EXTERNAL_PERSONAS.map((p) => p.email));
  });

  it('takes the org flags, the integration email and the org id from the options', () => {
    const state = generateHarmonyDataset(
      options({ orgId: 'acme', integrationEmail: 'svc@acme.example', ssoEnabled: true, tfaRequired: true, subscriptionExpired: true }),
    );
    expect(state.org).toMatchObject({ orgId: 'acme', ssoEnabled: true, tfaRequired: true, subscriptionExpired: true });
    expect(state.users[0]).toMatchObject({ email: 'svc@acme.example', roles: [{ roleId: '1', active: true }] });
  });

  it('has the roles of demo-org.ts and an access cell for every role and environment', () => {
    const state = generateHarmonyDataset(options());
    expect(state.roles.map((r) => [r.roleId, r.name, r.active, r.builtIn])).toEqual(
      ROLES.map((r) => [r.roleId, r.name, r.active, r.builtIn]),
    );
    expect(state.access).toHaveLength(ROLES.length * state.environments.length);
    expect(state.environments.map((e) => e.envName)).toEqual(['Production', 'Sandbox', 'Development']);
  });

  it('gives the personas the roles and access of docs/interfaces.md', () => {
    const state = generateHarmonyDataset(options());
    const assignment = (email: string) =>
      userByEmail(state, email).roles.map((a) => [state.roles.find((r) => r.roleId === a.roleId)!.name, a.active]);
    expect(assignment('ada.admin@demo.example')).toEqual([['Administrator', true]]);
    expect(assignment('rita.reader@demo.example')).toEqual([['User', true]]);
    expect(assignment('omar.operator@demo.example')).toEqual([['Operators', true]]);
    expect(assignment('lena.logs@demo.example')).toEqual([['Log Viewers', true]]);
    expect(assignment('ian.inactive@demo.example')).toEqual([['Administrator', false]]);
    expect(assignment('dora.deactivated@demo.example')).toEqual([['Legacy Admins', true]]);
    expect(assignment('agnes.agent@demo.example')).toEqual([['Agent Installers', true]]);
    expect(assignment('carl.consumer@demo.example')).toEqual([['API Consumers', true]]);

    expect(roleNamed(state, 'User').permissions).toEqual(['READ']);
    expect(['Production', 'Sandbox', 'Development'].map((e) => levels(state, 'User', e))).toEqual([['READ'], [], []]);
    expect(['Production', 'Sandbox', 'Development'].map((e) => levels(state, 'Operators', e))).toEqual([['EXECUTE'], ['WRITE'], []]);
    expect(['Production', 'Sandbox', 'Development'].map((e) => levels(state, 'Log Viewers', e))).toEqual([['VIEW_LOGS'], [], []]);
    expect(roleNamed(state, 'Legacy Admins')).toMatchObject({ permissions: ['ADMIN'], active: false });
    expect(roleNamed(state, 'Agent Installers').permissions).toEqual(['AGENT_INSTALL']);
    expect(roleNamed(state, 'API Consumers').permissions).toEqual(['API_CONSUMER']);
    expect(levels(state, 'API Consumers', 'Production')).toEqual(['READ']);
  });

  it('spreads generated users over built-in and custom roles, some assignments inactive', () => {
    const state = generateHarmonyDataset(options());
    const generated = state.users.filter((u) => u.email !== 'integration@demo.example' && !HARMONY_PERSONAS.some((p) => p.email === u.email));
    const assigned = generated.flatMap((u) => u.roles);
    const roleIds = new Set(assigned.map((a) => a.roleId));
    const builtIn = new Set(state.roles.filter((r) => r.builtIn).map((r) => r.roleId));
    expect([...roleIds].filter((id) => builtIn.has(id))).toEqual(expect.arrayContaining(['2']));
    expect([...roleIds].filter((id) => !builtIn.has(id)).length).toBeGreaterThanOrEqual(4);
    expect(assigned.some((a) => !a.active)).toBe(true);
    expect(assigned.filter((a) => a.active).length).toBeGreaterThan(assigned.length / 2);
    expect(generated.some((u) => u.roles.length > 1)).toBe(true);
  });

  it('has the external personas of docs/interfaces.md', () => {
    const state = generateHarmonyDataset(options());
    const ext = (email: string) => state.externalUsers.find((u) => u.email === email)!;
    expect(ext('pat.partner@partner.example')).toMatchObject({ status: 'ACTIVE', accessExpiresOn: null, apiGroupIds: ['ag-1'] });
    expect(state.apiGroups.find((g) => g.apiGroupId === 'ag-1')).toMatchObject({ name: 'device-inventory', envId: '101' });
    expect(effectiveStatus(ext('sam.suspended@partner.example'), NOW)).toBe('SUSPENDED');
    const eve = ext('eve.expired@partner.example');
    expect(eve.accessExpiresOn).toBe(addDays(localDate(NOW, 'Asia/Tokyo'), -1));
    expect(effectiveStatus(eve, NOW)).toBe('EXPIRED');
    const rex = ext('rex.requested@partner.example');
    expect(effectiveStatus(rex, NOW)).toBe('REQUESTED');
    expect(rex).toMatchObject({ memberSince: null, lastLogin: null, accessExpiresOn: addDays(localDate(NOW, 'Australia/Sydney'), 30) });
  });

  it('generates external users with mixed statuses, expiries, zones and grants', () => {
    const state = generateHarmonyDataset(options({ externalUsers: 200 }));
    const statuses = new Set(state.externalUsers.map((u) => effectiveStatus(u, NOW)));
    expect([...statuses].sort()).toEqual(['ACTIVE', 'EXPIRED', 'REQUESTED', 'SUSPENDED']);
    expect(state.externalUsers.some((u) => u.accessExpiresOn === null)).toBe(true);
    expect(state.externalUsers.some((u) => u.accessExpiresOn !== null)).toBe(true);
    expect(new Set(state.externalUsers.map((u) => u.timeZone)).size).toBeGreaterThanOrEqual(8);
    const groupIds = new Set(state.apiGroups.map((g) => g.apiGroupId));
    for (const u of state.externalUsers) {
      expect(isTimeZone(u.timeZone)).toBe(true);
      if (u.accessExpiresOn !== null) expect(isCalendarDate(u.accessExpiresOn)).toBe(true);
      expect(u.apiGroupIds.every((id) => groupIds.has(id))).toBe(true);
      // Each grant names a published API in the environment it is published in.
      for (const grant of u.apis) expect(state.apis).toContainEqual(expect.objectContaining(grant));
      if (u.status === 'REQUESTED') expect(u.memberSince).toBeNull();
      else expect(Date.parse(u.lastLogin!)).toBeGreaterThanOrEqual(Date.parse(u.memberSince!));
    }
    expect(state.externalUsers.some((u) => u.apis.length > 0)).toBe(true);
    // APIs of no group are granted on their own too.
    const inGroups = new Set(state.apiGroups.flatMap((g) => g.apis));
    expect(state.externalUsers.some((u) => u.apis.some((a) => !inGroups.has(a.apiId)))).toBe(true);
  });

  it('publishes the APIs of demo-org.ts, each in one environment, every group\'s API among them', () => {
    const state = generateHarmonyDataset(options());
    expect(state.apis.map((a) => a.apiId)).toEqual(APIS.map((a) => a.apiId));
    expect(new Set(state.apis.map((a) => a.apiId)).size).toBe(state.apis.length);
    for (const g of state.apiGroups) {
      for (const id of g.apis) expect(state.apis.find((a) => a.apiId === id)?.envId).toBe(g.envId);
    }
    expect(state.apis.find((a) => a.apiId === 'api-lab-devices')).toEqual({ apiId: 'api-lab-devices', name: 'Lab devices', envId: '103' });
  });
});
