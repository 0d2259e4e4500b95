import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarmonySimulator, type HarmonySimulator } from '../../../src/simulators/harmony/harmony.simulator.js';
import { expectFailure, expectOk, HarmonyTestClient } from './harmony-test-client.js';

describe('Harmony roles', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let admin: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: { harmonyUsers: 60, externalUsers: 6 } });
    client = new HarmonyTestClient(sim.url);
    admin = await client.token();
  });
  afterAll(() => sim.close());

  it('lists the roles whole, built-ins flagged, the deprecated permission readable', async () => {
    const roles = expectOk(await client.get('/roles', admin)).roles;
    expect(roles).toEqual(sim.state.roles);
    for (const r of roles) expect(Object.keys(r).sort()).toEqual(['active', 'builtIn', 'name', 'permissions', 'roleId']);
    expect(roles.slice(0, 2)).toEqual([
      { roleId: '1', name: 'Administrator', permissions: ['ADMIN'], active: true, builtIn: true },
      { roleId: '2', name: 'User', permissions: ['READ'], active: true, builtIn: true },
    ]);
    expect(roles.find((r: { name: string }) => r.name === 'Developers').permissions).toContain('APP_DEVELOPER');
  });

  it('creates a role with no environment access until granted', async () => {
    const role = expectOk(await client.post('/roles', admin, { name: 'Auditors', permissions: ['READ', 'AGENT_INSTALL'] })).role;
    expect(role).toEqual({ roleId: '10', name: 'Auditors', permissions: ['READ', 'AGENT_INSTALL'], active: true, builtIn: false });
    expect(expectOk(await client.get(`/roles/${role.roleId}/environment-access`, admin)).access).toEqual([
      { envId: '101', levels: [] },
      { envId: '102', levels: [] },
      { envId: '103', levels: [] },
    ]);
    const inactive = expectOk(await client.post('/roles', admin, { name: 'Dormant', permissions: ['READ'], active: false })).role;
    expect(inactive.active).toBe(false);
  });

  it('keeps role names unique, case-insensitively', async () => {
    expectFailure(await client.post('/roles', admin, { name: 'operators', permissions: ['READ'] }), 'ROLE_NAME_EXISTS');
    expectFailure(await client.post('/roles', admin, { name: '  ADMINISTRATOR ', permissions: ['READ'] }), 'ROLE_NAME_EXISTS');
    expectFailure(await client.put('/roles/4', admin, { name: 'Support' }), 'ROLE_NAME_EXISTS');
    // Its own name in another case is not a clash.
    expect(expectOk(await client.put('/roles/4', admin, { name: 'LOG VIEWERS' })).role.name).toBe('LOG VIEWERS');
    expectOk(await client.put('/roles/4', admin, { name: 'Log Viewers' }));
  });

  it('needs at least one permission', async () => {
    expectFailure(await client.post('/roles', admin, { name: 'Empty', permissions: [] }), 'ROLE_NEEDS_PERMISSION');
    expectFailure(await client.post('/roles', admin, { name: 'Empty' }), 'ROLE_NEEDS_PERMISSION');
    expectFailure(await client.put('/roles/3', admin, { permissions: [] }), 'ROLE_NEEDS_PERMISSION');
  });

  it('does not assign the deprecated APP_DEVELOPER permission', async () => {
    expectFailure(await client.post('/roles', admin, { name: 'Old School', permissions: ['READ', 'APP_DEVELOPER'] }), 'PERMISSION_DEPRECATED');
    expectFailure(await client.put('/roles/3', admin, { permissions: ['READ', 'APP_DEVELOPER'] }), 'PERMISSION_DEPRECATED');
    // A role that already has it may keep it while other fields change.
    expect(expectOk(await client.put('/roles/8', admin, { name: 'App Developers', permissions: ['READ', 'APP_DEVELOPER'] })).role).toMatchObject({
      name: 'App Developers',
      permissions: ['READ', 'APP_DEVELOPER'],
    });
  });

  it('validates the role body', async () => {
    expectFailure(await client.post('/roles', admin, { name: 'Odd', permissions: ['SUPERUSER'] }), 'INVALID_REQUEST', 400);
    expectFailure(await client.post('/roles', admin, { permissions: ['READ'] }), 'INVALID_REQUEST', 400);
    expectFailure(await client.put('/roles/3', admin, { name: '' }), 'INVALID_REQUEST', 400);
    expectFailure(await client.put('/roles/999', admin, { name: 'Ghost' }), 'NOT_FOUND');
    expectFailure(await client.call('PUT', client.orgPath('/roles/3'), { token: admin, rawBody: 'name=x' }), 'INVALID_REQUEST', 400);
  });

  it('edits, deactivates and reactivates a custom role', async () => {
    const edited = expectOk(await client.put('/roles/9', admin, { name: 'Support Desk', permissions: ['READ', 'API_CONSUMER'], active: false }));
    expect(edited.role).toEqual({ roleId: '9', name: 'Support Desk', permissions: ['READ', 'API_CONSUMER'], active: false, builtIn: false });
    expect(expectOk(await client.put('/roles/9', admin, { active: true })).role.active).toBe(true);
    expect(sim.state.roles.find((r) => r.roleId === '9')).toMatchObject({ name: 'Support Desk', active: true });
  });

  it('never edits, deactivates or removes the built-in Administrator and User roles', async () => {
    for (const roleId of ['1', '2']) {
      expectFailure(await client.put(`/roles/${roleId}`, admin, { active: false }), 'ROLE_IMMUTABLE');
      expectFailure(await client.put(`/roles/${roleId}`, admin, { name: 'Renamed' }), 'ROLE_IMMUTABLE');
      expectFailure(await client.put(`/roles/${roleId}`, admin, { permissions: ['READ', 'ADMIN'] }), 'ROLE_IMMUTABLE');
      expectFailure(await client.delete(`/roles/${roleId}`, admin), 'ROLE_IMMUTABLE');
    }
    expect(sim.state.roles.slice(0, 2).map((r) => [r.name, r.active])).toEqual([
      ['Administrator', true],
      ['User', true],
    ]);
  });

  it('removes a role from all its users, with its environment access', async () => {
    const holders = sim.state.users.filter((u) => u.roles.some((a) => a.roleId === '3'));
    expect(holders.length).toBeGreaterThan(0);
    const removed = expectOk(await client.delete('/roles/3', admin));
    expect(removed).toEqual({ status: true, roleId: '3', removedFromUsers: holders.length });
    const users = expectOk(await client.get('/users', admin)).users as { roles: { roleId: string }[] }[];
    expect(users.some((u) => u.roles.some((a) => a.roleId === '3'))).toBe(false);
    const access = expectOk(await client.get('/environment-access', admin)).access as { roleId: string }[];
    expect(access.some((a) => a.roleId === '3')).toBe(false);
    expectFailure(await client.get('/roles/3/environment-access', admin), 'NOT_FOUND');
    expectFailure(await client.delete('/roles/3', admin), 'NOT_FOUND');
    // The name is free again.
    expectOk(await client.post('/roles', admin, { name: 'Operators', permissions: ['READ'] }));
  });
});

describe('Harmony environment access', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let admin: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator({ sizes: { harmonyUsers: 20, externalUsers: 6 } });
    client = new HarmonyTestClient(sim.url);
    admin = await client.token();
  });
  afterAll(() => sim.close());

  it('reads one role\'s access per environment and every role\'s in one batch', async () => {
    expect(expectOk(await client.get('/roles/9/environment-access', admin)).access).toEqual([
      { envId: '101', levels: ['VIEW_LOGS', 'READ'] },
      { envId: '102', levels: ['READ', 'EXECUTE'] },
      { envId: '103', levels: [] },
    ]);
    const batch = expectOk(await client.get('/environment-access', admin)).access;
    expect(batch).toHaveLength(sim.state.roles.length * 3);
    expect(batch).toEqual(sim.state.access);
    for (const a of batch) expect(Object.keys(a).sort()).toEqual(['envId', 'levels', 'roleId']);
  });

  it('sets the levels of one role in one environment as independent switches', async () => {
    const set = expectOk(await client.put('/roles/4/environment-access/102', admin, { levels: ['WRITE', 'VIEW_LOGS', 'WRITE'] }));
    expect(set.access).toEqual({ roleId: '4', envId: '102', levels: ['VIEW_LOGS', 'WRITE'] });
    expect(expectOk(await client.get('/roles/4/environment-access', admin)).access[1]).toEqual({ envId: '102', levels: ['VIEW_LOGS', 'WRITE'] });
    expect(expectOk(await client.put('/roles/4/environment-access/102', admin, { levels: [] })).access.levels).toEqual([]);
  });

  it("refuses to change a built-in role's access (ROLE_IMMUTABLE), the ADMIN role's included", async () => {
    const before = JSON.stringify(sim.state.access);
    for (const roleId of ['1', '2']) {
      expectFailure(await client.put(`/roles/${roleId}/environment-access/102`, admin, { levels: ['READ'] }), 'ROLE_IMMUTABLE');
    }
    expect(JSON.stringify(sim.state.access)).toBe(before);
  });

  it('validates levels, the environment and the role', async () => {
    expectFailure(await client.put('/roles/4/environment-access/101', admin, { levels: ['DEPLOY'] }), 'INVALID_REQUEST', 400);
    expectFailure(await client.put('/roles/4/environment-access/101', admin, {}), 'INVALID_REQUEST', 400);
    expectFailure(await client.put('/roles/4/environment-access/999', admin, { levels: ['READ'] }), 'NOT_FOUND');
    expectFailure(await client.put('/roles/999/environment-access/101', admin, { levels: ['READ'] }), 'NOT_FOUND');
  });
});

describe('the personas of docs/interfaces.md, as read over HTTP', () => {
  let sim: HarmonySimulator;
  let client: HarmonyTestClient;
  let token: string;

  beforeAll(async () => {
    sim = await startHarmonySimulator();
    client = new HarmonyTestClient(sim.url);
    token = await client.token();
  });
  afterAll(() => sim.close());

  interface Grant {
    role: string;
    active: boolean;
    roleActive: boolean;
    permissions: string[];
    access: Record<string, string[]>;
  }

  const grantsOf = async (): Promise<Map<string, Grant[]>> => {
    const [users, roles, access, envs] = await Promise.all(
      ['/users', '/roles', '/environment-access', '/environments'].map(async (p) => expectOk(await client.get(p, token))),
    );
    const envName = new Map<string, string>(envs.environments.map((e: { envId: string; envName: string }) => [e.envId, e.envName]));
    const result = new Map<string, Grant[]>();
    for (const u of users.users as { email: string; roles: { roleId: string; active: boolean }[] }[]) {
      result.set(
        u.email,
        u.roles.map((a) => {
          const role = roles.roles.find((r: { roleId: string }) => r.roleId === a.roleId);
          const cells = (access.access as { roleId: string; envId: string; levels: string[] }[]).filter(
            (c) => c.roleId === a.roleId && c.levels.length > 0,
          );
          return {
            role: role.name,
            active: a.active,
            roleActive: role.active,
            permissions: role.permissions,
            access: Object.fromEntries(cells.map((c) => [envName.get(c.envId), c.levels])),
          };
        }),
      );
    }
    return result;
  };

  it('matches the persona table', async () => {
    const grants = await grantsOf();
    const all = ['VIEW_LOGS', 'READ', 'EXECUTE', 'WRITE'];
    expect(grants.get('ada.admin@demo.example')).toEqual([
      { role: 'Administrator', active: true, roleActive: true, permissions: ['ADMIN'], access: { Production: all, Sandbox: all, Development: all } },
    ]);
    expect(grants.get('rita.reader@demo.example')).toEqual([
      { role: 'User', active: true, roleActive: true, permissions: ['READ'], access: { Production: ['READ'] } },
    ]);
    expect(grants.get('omar.operator@demo.example')).toEqual([
      { role: 'Operators', active: true, roleActive: true, permissions: ['READ'], access: { Production: ['EXECUTE'], Sandbox: ['WRITE'] } },
    ]);
    expect(grants.get('lena.logs@demo.example')).toEqual([
      { role: 'Log Viewers', active: true, roleActive: true, permissions: ['READ'], access: { Production: ['VIEW_LOGS'] } },
    ]);
    expect(grants.get('ian.inactive@demo.example')).toMatchObject([{ role: 'Administrator', active: false, roleActive: true }]);
    expect(grants.get('dora.deactivated@demo.example')).toMatchObject([
      { role: 'Legacy Admins', active: true, roleActive: false, permissions: ['ADMIN'] },
    ]);
    expect(grants.get('agnes.agent@demo.example')).toEqual([
      { role: 'Agent Installers', active: true, roleActive: true, permissions: ['AGENT_INSTALL'], access: {} },
    ]);
    expect(grants.get('carl.consumer@demo.example')).toEqual([
      { role: 'API Consumers', active: true, roleActive: true, permissions: ['API_CONSUMER'], access: { Production: ['READ'] } },
    ]);
  });
});
