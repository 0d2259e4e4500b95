/**
 * Role mutations over real HTTP against the Harmony simulator: create, edit, deactivate (typed
 * DEACTIVATE), reactivate, remove (typed REMOVE) and environment access, each checked against the
 * simulator's state; every rule refused before anything is sent to Harmony. Each test that changes
 * a role changes one of its own (`freshRole`): no test depends on another's renames or order.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARMONY_KEYS } from '../../../src/loaders/index.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { harmonyMutationKit } from './harmony-mutations.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const { state, ok, refused, writes, audits } = harmonyMutationKit(() => gw);
const roleNamed = (name: string) => state().roles.find((r) => r.name === name);
const roleById = (id: string) => state().roles.find((r) => r.roleId === id);
/** A name no other test uses. */
const uniqueName = (prefix: string) => `${prefix} ${randomBytes(4).toString('hex')}`;

const CREATE = `mutation Create($input: CreateRoleInput!) {
  createRole(input: $input) { role { id name permissions status builtIn environmentAccess { environment { name } levels } } }
}`;
const UPDATE = `mutation Update($roleId: ID!, $input: UpdateRoleInput!) {
  updateRole(roleId: $roleId, input: $input) { role { id name permissions status } }
}`;
const DEACTIVATE = `mutation Deactivate($roleId: ID!, $confirm: String!) {
  deactivateRole(roleId: $roleId, confirm: $confirm) { role { id status } }
}`;
const REACTIVATE = `mutation Reactivate($roleId: ID!) { reactivateRole(roleId: $roleId) { role { id status } } }`;
const REMOVE = `mutation Remove($roleId: ID!, $confirm: String!) {
  removeRole(roleId: $roleId, confirm: $confirm) { removedRoleId removedFromUsers }
}`;
const ACCESS = `mutation Access($roleId: ID!, $environmentId: ID!, $levels: [AccessLevel!]!) {
  setEnvironmentAccess(roleId: $roleId, environmentId: $environmentId, levels: $levels) {
    environmentAccess { environment { id name } levels }
    role { id environmentAccess { environment { name } levels } }
  }
}`;

interface RoleData {
  id: string;
  name: string;
  permissions: string[];
  status: string;
  builtIn: boolean;
  environmentAccess: { environment: { name: string }; levels: string[] }[];
}

describe('createRole', () => {
  it('creates an active role with no environment access, and a read right after shows it', async () => {
    await ok(`{ roles { name } }`); // warm the cache first
    const name = uniqueName('Auditors');
    const data = await ok<{ createRole: { role: RoleData } }>(CREATE, { input: { name: `  ${name} `, permissions: ['READ', 'READ'] } });
    const role = data.createRole.role;
    expect(role).toMatchObject({ name, permissions: ['READ'], status: 'ACTIVE', builtIn: false });
    expect(role.environmentAccess.every((a) => a.levels.length === 0)).toBe(true);
    expect(roleNamed(name)).toMatchObject({ roleId: role.id, permissions: ['READ'], active: true });
    const read = await ok<{ roles: { name: string }[] }>(`{ roles { name } }`);
    expect(read.roles.map((r) => r.name)).toContain(name);
  });

  it('refuses a name already taken, in any letter case (ROLE_NAME_EXISTS)', async () => {
    const err = await refused(CREATE, { input: { name: 'operators', permissions: ['READ'] } }, 'BAD_USER_INPUT', 'ROLE_NAME_EXISTS');
    expect(err.message).toMatch(/Operators/);
  });

  it('refuses a role without permissions (ROLE_NEEDS_PERMISSION)', async () => {
    await refused(CREATE, { input: { name: uniqueName('Empty'), permissions: [] } }, 'BAD_USER_INPUT', 'ROLE_NEEDS_PERMISSION');
  });

  it('refuses the deprecated APP_DEVELOPER permission (PERMISSION_DEPRECATED)', async () => {
    await refused(CREATE, { input: { name: uniqueName('Apps'), permissions: ['READ', 'APP_DEVELOPER'] } }, 'BAD_USER_INPUT', 'PERMISSION_DEPRECATED');
  });

  it('refuses an empty name', async () => {
    await refused(CREATE, { input: { name: '   ', permissions: ['READ'] } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
  });
});

describe('updateRole', () => {
  it('renames a role and changes its permissions', async () => {
    const id = await freshRole();
    const name = uniqueName('Helpdesk');
    const data = await ok<{ updateRole: { role: RoleData } }>(UPDATE, { roleId: id, input: { name, permissions: ['READ', 'AGENT_INSTALL'] } });
    expect(data.updateRole.role).toMatchObject({ id, name, permissions: ['READ', 'AGENT_INSTALL'] });
    expect(roleById(id)).toMatchObject({ name, permissions: ['READ', 'AGENT_INSTALL'] });
  });

  it('lets a role keep APP_DEVELOPER, but not add it', async () => {
    const developers = await legacyDeveloperRole();
    await ok(UPDATE, { roleId: developers, input: { name: uniqueName('App Developers') } });
    await ok(UPDATE, { roleId: developers, input: { permissions: ['READ', 'APP_DEVELOPER', 'API_CONSUMER'] } });
    expect(roleById(developers)!.permissions).toEqual(['READ', 'APP_DEVELOPER', 'API_CONSUMER']);
    await refused(UPDATE, { roleId: await freshRole(), input: { permissions: ['APP_DEVELOPER'] } }, 'BAD_USER_INPUT', 'PERMISSION_DEPRECATED');
  });

  it('refuses a name another role has, but accepts a role keeping its own in another letter case', async () => {
    const id = await freshRole();
    await refused(UPDATE, { roleId: id, input: { name: 'LOG VIEWERS' } }, 'BAD_USER_INPUT', 'ROLE_NAME_EXISTS');
    const own = roleById(id)!.name;
    await ok(UPDATE, { roleId: id, input: { name: own.toUpperCase() } });
    expect(roleById(id)!.name).toBe(own.toUpperCase());
  });

  it('refuses removing every permission, editing a built-in role, an empty edit and an unknown id', async () => {
    const id = await freshRole();
    await refused(UPDATE, { roleId: id, input: { permissions: [] } }, 'BAD_USER_INPUT', 'ROLE_NEEDS_PERMISSION');
    await refused(UPDATE, { roleId: roleNamed('Administrator')!.roleId, input: { name: 'Admins' } }, 'BAD_USER_INPUT', 'ROLE_IMMUTABLE');
    await refused(UPDATE, { roleId: roleNamed('User')!.roleId, input: { permissions: ['READ', 'AGENT_INSTALL'] } }, 'BAD_USER_INPUT', 'ROLE_IMMUTABLE');
    await refused(UPDATE, { roleId: id, input: {} }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(UPDATE, { roleId: '999999', input: { name: 'Ghost' } }, 'NOT_FOUND', 'NOT_FOUND');
  });
});

describe('deactivateRole and reactivateRole', () => {
  it('needs the typed confirmation DEACTIVATE', async () => {
    const id = await freshRole();
    await refused(DEACTIVATE, { roleId: id, confirm: 'deactivate' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
    await refused(DEACTIVATE, { roleId: id, confirm: '' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
    expect(roleById(id)!.active).toBe(true);
  });

  it('deactivates with DEACTIVATE and reactivates without confirmation', async () => {
    const id = await freshRole();
    const off = await ok<{ deactivateRole: { role: { status: string } } }>(DEACTIVATE, { roleId: id, confirm: 'DEACTIVATE' });
    expect(off.deactivateRole.role.status).toBe('INACTIVE');
    expect(roleById(id)!.active).toBe(false);
    const on = await ok<{ reactivateRole: { role: { status: string } } }>(REACTIVATE, { roleId: id });
    expect(on.reactivateRole.role.status).toBe('ACTIVE');
    expect(roleById(id)!.active).toBe(true);
  });

  it('refuses to deactivate or reactivate a built-in role (ROLE_IMMUTABLE)', async () => {
    await refused(DEACTIVATE, { roleId: roleNamed('Administrator')!.roleId, confirm: 'DEACTIVATE' }, 'BAD_USER_INPUT', 'ROLE_IMMUTABLE');
    await refused(DEACTIVATE, { roleId: roleNamed('User')!.roleId, confirm: 'DEACTIVATE' }, 'BAD_USER_INPUT', 'ROLE_IMMUTABLE');
    await refused(REACTIVATE, { roleId: roleNamed('User')!.roleId }, 'BAD_USER_INPUT', 'ROLE_IMMUTABLE');
  });

  it('refuses unknown roles with NOT_FOUND', async () => {
    await refused(DEACTIVATE, { roleId: 'nope', confirm: 'DEACTIVATE' }, 'NOT_FOUND', 'NOT_FOUND');
    await refused(REACTIVATE, { roleId: 'nope' }, 'NOT_FOUND', 'NOT_FOUND');
  });
});

describe('removeRole', () => {
  it('needs REMOVE, refuses built-in roles, then removes the role from all its users', async () => {
    const id = await freshRole();
    const users = state().users.slice(0, 3);
    for (const u of users) {
      await ok(`mutation A($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { user { id } } }`, { u: u.userId, r: id });
    }
    await refused(REMOVE, { roleId: id, confirm: 'DELETE' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
    await refused(REMOVE, { roleId: roleNamed('Administrator')!.roleId, confirm: 'REMOVE' }, 'BAD_USER_INPUT', 'ROLE_IMMUTABLE');
    const data = await ok<{ removeRole: { removedRoleId: string; removedFromUsers: number } }>(REMOVE, { roleId: id, confirm: 'REMOVE' });
    expect(data.removeRole).toEqual({ removedRoleId: id, removedFromUsers: 3 });
    expect(state().roles.some((r) => r.roleId === id)).toBe(false);
    expect(state().users.some((u) => u.roles.some((a) => a.roleId === id))).toBe(false);
    await refused(REMOVE, { roleId: id, confirm: 'REMOVE' }, 'NOT_FOUND', 'NOT_FOUND');
  });
});

describe('setEnvironmentAccess', () => {
  it("sets a role's levels in one environment, in the enum's order", async () => {
    const id = await freshRole();
    const dev = state().environments.find((e) => e.envName === 'Development')!;
    const data = await ok<{ setEnvironmentAccess: { environmentAccess: { environment: { id: string; name: string }; levels: string[] }; role: RoleData } }>(
      ACCESS,
      { roleId: id, environmentId: dev.envId, levels: ['WRITE', 'READ'] },
    );
    expect(data.setEnvironmentAccess.environmentAccess).toEqual({ environment: { id: dev.envId, name: 'Development' }, levels: ['READ', 'WRITE'] });
    expect(data.setEnvironmentAccess.role.environmentAccess.find((a) => a.environment.name === 'Development')!.levels).toEqual(['READ', 'WRITE']);
    expect(state().access.find((a) => a.roleId === id && a.envId === dev.envId)!.levels).toEqual(['READ', 'WRITE']);
    await ok(ACCESS, { roleId: id, environmentId: dev.envId, levels: [] });
    expect(state().access.find((a) => a.roleId === id && a.envId === dev.envId)!.levels).toEqual([]);
  });

  it('refuses unknown roles and environments with NOT_FOUND', async () => {
    const dev = state().environments[0]!.envId;
    await refused(ACCESS, { roleId: 'nope', environmentId: dev, levels: ['READ'] }, 'NOT_FOUND', 'NOT_FOUND');
    const err = await refused(ACCESS, { roleId: await freshRole(), environmentId: 'nope', levels: ['READ'] }, 'NOT_FOUND', 'NOT_FOUND');
    expect(err.extensions?.field).toBe('environmentId');
  });
});

describe('audit', () => {
  it('records each change and each refusal with the caller, the targets and the outcome', async () => {
    const before = writes();
    const name = uniqueName('Audited');
    const create = await ok<{ createRole: { role: RoleData } }>(CREATE, { input: { name, permissions: ['READ'] } }, 'ada.admin@demo.example');
    expect(writes()).toBe(before + 1);
    await refused(CREATE, { input: { name, permissions: ['READ'] } }, 'BAD_USER_INPUT', 'ROLE_NAME_EXISTS');
    const events = (await audits('createRole')).filter((e) => e.targets.some((t) => t.id === name));
    expect(events.map((e) => e.outcome)).toEqual(['FAILURE', 'SUCCESS']);
    expect(events[1]).toMatchObject({
      principalKind: 'HARMONY_USER',
      principalEmail: 'ada.admin@demo.example',
      operationName: 'Create',
      field: 'createRole',
      errorCodes: [],
      variables: { input: { name, permissions: ['READ'] } },
    });
    expect(events[0]!.errorCodes).toEqual(['BAD_USER_INPUT']);
    expect(create.createRole.role.name).toBe(name);
  });

  /** One change and one refusal of each field, on a role of the test's own. */
  const CASES: Record<string, (id: string) => Promise<void>> = {
    updateRole: async (id) => {
      await ok(UPDATE, { roleId: id, input: { name: uniqueName('Renamed') } });
      await refused(UPDATE, { roleId: id, input: { permissions: [] } }, 'BAD_USER_INPUT', 'ROLE_NEEDS_PERMISSION');
    },
    deactivateRole: async (id) => {
      await ok(DEACTIVATE, { roleId: id, confirm: 'DEACTIVATE' });
      await refused(DEACTIVATE, { roleId: id, confirm: 'no' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
    },
    reactivateRole: async (id) => {
      await ok(DEACTIVATE, { roleId: id, confirm: 'DEACTIVATE' });
      await ok(REACTIVATE, { roleId: id });
      await refused(REACTIVATE, { roleId: `${id}0000` }, 'NOT_FOUND', 'NOT_FOUND');
    },
    removeRole: async (id) => {
      await refused(REMOVE, { roleId: id, confirm: 'DELETE' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
      await ok(REMOVE, { roleId: id, confirm: 'REMOVE' });
    },
    setEnvironmentAccess: async (id) => {
      await ok(ACCESS, { roleId: id, environmentId: state().environments[0]!.envId, levels: ['READ'] });
      await refused(ACCESS, { roleId: id, environmentId: 'nope', levels: ['READ'] }, 'NOT_FOUND', 'NOT_FOUND');
    },
  };

  it.each(Object.keys(CASES))('records every %s, refused or not', async (field) => {
    const id = await freshRole();
    await CASES[field]!(id);
    const events = (await audits(field)).filter((e) => e.targets.some((t) => t.id === id || t.id === `${id}0000`));
    expect(events.map((e) => e.outcome).sort()).toEqual(['FAILURE', 'SUCCESS']);
    for (const e of events) expect(e).toMatchObject({ principalEmail: 'ada.admin@demo.example', field, targets: expect.arrayContaining([expect.objectContaining({ type: 'Role' })]) });
  });
});

/** A role of the calling test's own, created through createRole; its id. */
async function freshRole(permissions: string[] = ['READ']): Promise<string> {
  const data = await ok<{ createRole: { role: RoleData } }>(CREATE, { input: { name: uniqueName('Test role'), permissions } });
  return data.createRole.role.id;
}

/** A fresh role that still holds APP_DEVELOPER, as roles from before its deprecation may (set in Harmony directly). */
async function legacyDeveloperRole(): Promise<string> {
  const id = await freshRole(['READ', 'API_CONSUMER']);
  roleById(id)!.permissions = ['READ', 'APP_DEVELOPER', 'API_CONSUMER'];
  gw.app.services.cache.invalidate(HARMONY_KEYS.roles);
  return id;
}
