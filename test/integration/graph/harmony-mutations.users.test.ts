/**
 * Harmony user mutations over real HTTP against the Harmony simulator: invite, remove (typed
 * REMOVE), assign, unassign and switch assignments, with the membership rules refused before
 * anything is sent; Harmony's own refusals mapped to the same reasons; principals see a change at
 * once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { harmonyMutationKit, READER } from './harmony-mutations.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const { sim, state, ok, refused, run, writes, audits } = harmonyMutationKit(() => gw);
const roleId = (name: string) => state().roles.find((r) => r.name === name)!.roleId;
const userNamed = (email: string) => state().users.find((u) => u.email.toLowerCase() === email.toLowerCase());

const INVITE = `mutation Invite($input: InviteHarmonyUserInput!) {
  inviteHarmonyUser(input: $input) { user { id email roles { role { name } status effective } permissions } }
}`;
const REMOVE = `mutation Remove($userId: ID!, $confirm: String!) { removeHarmonyUser(userId: $userId, confirm: $confirm) { removedUserId email } }`;
const ASSIGN = `mutation Assign($userId: ID!, $roleId: ID!, $active: Boolean) {
  assignRole(userId: $userId, roleId: $roleId, active: $active) { user { id roles { role { name } status } } }
}`;
const UNASSIGN = `mutation Unassign($userId: ID!, $roleId: ID!) { unassignRole(userId: $userId, roleId: $roleId) { user { id roles { role { name } } } } }`;
const SWITCH = `mutation Switch($userId: ID!, $roleId: ID!, $active: Boolean!) {
  setRoleAssignmentActive(userId: $userId, roleId: $roleId, active: $active) { user { id roles { role { name } status effective } } }
}`;
const VIEWER = `{ viewer { email permissions } }`;

interface InvitedUser {
  id: string;
  email: string;
  roles: { role: { name: string }; status: string; effective: boolean }[];
  permissions: string[];
}

describe('inviteHarmonyUser', () => {
  it('invites a user with active assignments of the roles given', async () => {
    const data = await ok<{ inviteHarmonyUser: { user: InvitedUser } }>(INVITE, {
      input: { email: ' new.person@demo.example ', roleIds: [roleId('Operators'), roleId('Log Viewers')] },
    });
    const user = data.inviteHarmonyUser.user;
    expect(user.email).toBe('new.person@demo.example');
    expect(user.roles).toEqual([
      { role: { name: 'Operators' }, status: 'ACTIVE', effective: true },
      { role: { name: 'Log Viewers' }, status: 'ACTIVE', effective: true },
    ]);
    expect(userNamed('new.person@demo.example')).toMatchObject({ userId: user.id });
    const read = await ok<{ harmonyUser: { id: string } | null }>(`query U($e: String!) { harmonyUser(email: $e) { id } }`, { e: 'NEW.person@demo.example' });
    expect(read.harmonyUser?.id).toBe(user.id);
  });

  it('refuses an email of a member, in any letter case (EMAIL_IS_ORG_MEMBER)', async () => {
    await refused(INVITE, { input: { email: 'Rita.Reader@demo.example', roleIds: [roleId('User')] } }, 'BAD_USER_INPUT', 'EMAIL_IS_ORG_MEMBER');
  });

  it('refuses an email of an external user (EMAIL_IS_EXTERNAL_USER)', async () => {
    await refused(INVITE, { input: { email: 'pat.partner@partner.example', roleIds: [roleId('User')] } }, 'BAD_USER_INPUT', 'EMAIL_IS_EXTERNAL_USER');
  });

  it('refuses something that is not an email, as SSO_ORG_CONFLICT in an SSO organization', async () => {
    await refused(INVITE, { input: { email: 'not-an-email', roleIds: [roleId('User')] } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    sim().setSsoEnabled(true);
    gw.app.services.cache.invalidate('harmony:*');
    try {
      await refused(INVITE, { input: { email: 'DOMAIN\\jdoe', roleIds: [roleId('User')] } }, 'BAD_USER_INPUT', 'SSO_ORG_CONFLICT');
    } finally {
      sim().setSsoEnabled(false);
      gw.app.services.cache.invalidate('harmony:*');
    }
  });

  it('refuses an invitation without roles or with an unknown role', async () => {
    await refused(INVITE, { input: { email: 'x1@demo.example', roleIds: [] } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(INVITE, { input: { email: 'x2@demo.example', roleIds: ['999999'] } }, 'NOT_FOUND', 'NOT_FOUND');
  });

  it("maps Harmony's own refusal (a member of another SSO organization) to the same reason", async () => {
    const before = writes();
    const result = await run(INVITE, { input: { email: 'sso.elsewhere@other-sso.example', roleIds: [roleId('User')] } });
    expect(writes()).toBe(before + 1);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SSO_ORG_CONFLICT', upstream: 'harmony' });
    const [event] = await audits('inviteHarmonyUser');
    expect(event).toMatchObject({ outcome: 'FAILURE', errorCodes: ['BAD_USER_INPUT'], targets: [{ type: 'HarmonyUser', id: 'sso.elsewhere@other-sso.example' }] });
  });
});

describe('role assignments', () => {
  it('assigns a role, and the principal has it on the very next request', async () => {
    const rita = userNamed(READER)!;
    expect((await ok<{ viewer: { permissions: string[] } }>(VIEWER, {}, READER)).viewer.permissions).not.toContain('AGENT_INSTALL');
    const data = await ok<{ assignRole: { user: { roles: { role: { name: string }; status: string }[] } } }>(ASSIGN, {
      userId: rita.userId,
      roleId: roleId('Agent Installers'),
    });
    expect(data.assignRole.user.roles).toContainEqual({ role: { name: 'Agent Installers' }, status: 'ACTIVE' });
    expect(rita.roles).toContainEqual({ roleId: roleId('Agent Installers'), active: true });
    expect((await ok<{ viewer: { permissions: string[] } }>(VIEWER, {}, READER)).viewer.permissions).toContain('AGENT_INSTALL');
  });

  it('deactivates and activates an assignment', async () => {
    const rita = userNamed(READER)!;
    const off = await ok<{ setRoleAssignmentActive: { user: { roles: { role: { name: string }; status: string; effective: boolean }[] } } }>(SWITCH, {
      userId: rita.userId,
      roleId: roleId('Agent Installers'),
      active: false,
    });
    expect(off.setRoleAssignmentActive.user.roles).toContainEqual({ role: { name: 'Agent Installers' }, status: 'INACTIVE', effective: false });
    expect(rita.roles).toContainEqual({ roleId: roleId('Agent Installers'), active: false });
    expect((await ok<{ viewer: { permissions: string[] } }>(VIEWER, {}, READER)).viewer.permissions).not.toContain('AGENT_INSTALL');
    await ok(SWITCH, { userId: rita.userId, roleId: roleId('Agent Installers'), active: true });
    expect(rita.roles).toContainEqual({ roleId: roleId('Agent Installers'), active: true });
  });

  it('unassigns a role', async () => {
    const rita = userNamed(READER)!;
    const data = await ok<{ unassignRole: { user: { roles: { role: { name: string } }[] } } }>(UNASSIGN, { userId: rita.userId, roleId: roleId('Agent Installers') });
    expect(data.unassignRole.user.roles.map((r) => r.role.name)).toEqual(['User']);
    expect(rita.roles.map((a) => a.roleId)).toEqual([roleId('User')]);
  });

  it('refuses to switch or unassign a role that is not assigned, and unknown users or roles', async () => {
    const rita = userNamed(READER)!;
    await refused(SWITCH, { userId: rita.userId, roleId: roleId('Operators'), active: true }, 'NOT_FOUND', 'NOT_FOUND');
    await refused(UNASSIGN, { userId: rita.userId, roleId: roleId('Operators') }, 'NOT_FOUND', 'NOT_FOUND');
    await refused(ASSIGN, { userId: 'nobody', roleId: roleId('Operators') }, 'NOT_FOUND', 'NOT_FOUND');
    const err = await refused(ASSIGN, { userId: rita.userId, roleId: 'none' }, 'NOT_FOUND', 'NOT_FOUND');
    expect(err.extensions?.field).toBe('roleId');
  });

  it('runs several mutations of one document in order, each seeing the previous one', async () => {
    const rita = userNamed(READER)!;
    const data = await ok<{ a: { user: { roles: unknown[] } }; b: { user: { roles: { role: { name: string } }[] } } }>(
      `mutation Both($u: ID!, $r: ID!) {
        a: assignRole(userId: $u, roleId: $r) { user { roles { role { name } } } }
        b: unassignRole(userId: $u, roleId: $r) { user { roles { role { name } } } }
      }`,
      { u: rita.userId, r: roleId('Support') },
    );
    expect(data.a.user.roles).toHaveLength(2);
    expect(data.b.user.roles.map((r) => r.role.name)).toEqual(['User']);
  });
});

describe('removeHarmonyUser', () => {
  it('needs the typed confirmation REMOVE', async () => {
    const user = userNamed('new.person@demo.example')!;
    await refused(REMOVE, { userId: user.userId, confirm: 'remove' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
    await refused(REMOVE, { userId: user.userId, confirm: 'yes' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
    expect(userNamed('new.person@demo.example')).toBeDefined();
  });

  it('removes the user, who can no longer call the gateway', async () => {
    const user = userNamed('new.person@demo.example')!;
    expect((await ok<{ viewer: { email: string } }>(VIEWER, {}, 'new.person@demo.example')).viewer.email).toBe('new.person@demo.example');
    const data = await ok<{ removeHarmonyUser: { removedUserId: string; email: string } }>(REMOVE, { userId: user.userId, confirm: 'REMOVE' });
    expect(data.removeHarmonyUser).toEqual({ removedUserId: user.userId, email: 'new.person@demo.example' });
    expect(userNamed('new.person@demo.example')).toBeUndefined();
    const after = await run(VIEWER, {}, 'new.person@demo.example');
    expect(after.status).toBe(401);
    await refused(REMOVE, { userId: user.userId, confirm: 'REMOVE' }, 'NOT_FOUND', 'NOT_FOUND');
  });
});

describe('audit', () => {
  it.each(['inviteHarmonyUser', 'removeHarmonyUser', 'assignRole', 'unassignRole', 'setRoleAssignmentActive'])(
    'records every %s, refused or not, with the caller and its targets',
    async (field) => {
      const events = await audits(field);
      expect(events.some((e) => e.outcome === 'SUCCESS')).toBe(true);
      expect(events.some((e) => e.outcome === 'FAILURE')).toBe(true);
      for (const e of events) expect(e).toMatchObject({ principalKind: 'HARMONY_USER', principalEmail: 'ada.admin@demo.example', field });
    },
  );
});
