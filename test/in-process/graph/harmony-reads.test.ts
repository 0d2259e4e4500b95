/**
 * Harmony users, roles, environments and API groups over real HTTP, checked against the Harmony
 * simulator's own data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';

const ADMIN = 'ada.admin@demo.example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

const state = () => gw.app.simulators.harmony!.state;
const roleNamed = (name: string) => state().roles.find((r) => r.name === name)!;

async function query<T>(q: string, variables?: Record<string, unknown>, as = ADMIN): Promise<T> {
  return expectData(await gw.gql<T>(q, { as, variables }), q);
}

interface UserPage {
  harmonyUsers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; email: string } }[];
    nodes: { id: string; email: string }[];
  };
}

const USERS = `query Users($filter: HarmonyUserFilter, $first: Int, $after: String) {
  harmonyUsers(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id email } }
    nodes { id email }
  }
}`;

async function allUsers(filter: Record<string, unknown> | null, first: number): Promise<string[]> {
  const emails: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: UserPage = await query<UserPage>(USERS, { filter, first, after });
    expect(page.harmonyUsers.nodes.map((n) => n.email)).toEqual(page.harmonyUsers.edges.map((e) => e.node.email));
    emails.push(...page.harmonyUsers.nodes.map((n) => n.email));
    if (!page.harmonyUsers.pageInfo.hasNextPage) {
      expect(emails).toHaveLength(page.harmonyUsers.totalCount);
      return emails;
    }
    after = page.harmonyUsers.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

const sortedEmails = (emails: string[]) => [...emails].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));

describe('harmonyUsers', () => {
  it('pages through every user, ordered by email, to the end', async () => {
    const emails = await allUsers(null, 37);
    expect(emails).toEqual(sortedEmails(state().users.map((u) => u.email)));
  });

  it('filters by email text, case-insensitive', async () => {
    const emails = await allUsers({ emailContains: 'DEMO.EXAMPLE' }, 50);
    expect(emails).toEqual(sortedEmails(state().users.filter((u) => u.email.includes('demo.example')).map((u) => u.email)));
  });

  it('filters by assigned role, active or not', async () => {
    const admin = roleNamed('Administrator');
    const emails = await allUsers({ roleId: admin.roleId }, 50);
    const expected = state().users.filter((u) => u.roles.some((a) => a.roleId === admin.roleId)).map((u) => u.email);
    expect(emails).toEqual(sortedEmails(expected));
    expect(emails).toContain('ian.inactive@demo.example');
  });

  it('filters by effective permission: inactive roles and assignments grant nothing', async () => {
    const emails = await allUsers({ permission: 'ADMIN' }, 50);
    expect(emails).toContain('ada.admin@demo.example');
    expect(emails).not.toContain('ian.inactive@demo.example');
    expect(emails).not.toContain('dora.deactivated@demo.example');
    expect(emails).not.toContain('rita.reader@demo.example');
  });

  it('filters by effective access in an environment', async () => {
    const emails = await allUsers({ environment: 'production', accessLevel: 'VIEW_LOGS' }, 50);
    expect(emails).toContain('lena.logs@demo.example');
    expect(emails).toContain('ada.admin@demo.example');
    expect(emails).not.toContain('omar.operator@demo.example');
    const sandboxWriters = await allUsers({ environment: 'Sandbox', accessLevel: 'WRITE' }, 50);
    expect(sandboxWriters).toContain('omar.operator@demo.example');
    expect(sandboxWriters).not.toContain('lena.logs@demo.example');
  });

  it('refuses a cursor issued for another filter, and a `first` above the cap', async () => {
    const page = await query<UserPage>(USERS, { first: 2 });
    const reused = await gw.gql(USERS, { as: ADMIN, variables: { first: 2, after: page.harmonyUsers.pageInfo.endCursor, filter: { permission: 'READ' } } });
    expect(reused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await gw.gql(USERS, { as: ADMIN, variables: { first: gw.app.config.maxPageSize + 1 } });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('harmonyUser', () => {
  const USER = `query User($email: String!) {
    harmonyUser(email: $email) {
      id email permissions
      environmentAccess { environment { id name } levels }
      roles { status effective role { id name status builtIn permissions } }
    }
  }`;
  type UserResult = {
    harmonyUser: {
      id: string;
      email: string;
      permissions: string[];
      environmentAccess: { environment: { name: string }; levels: string[] }[];
      roles: { status: string; effective: boolean; role: { id: string; name: string; status: string; builtIn: boolean; permissions: string[] } }[];
    } | null;
  };

  it('answers a user by email in any case, with role assignments and effective access', async () => {
    const { harmonyUser: omar } = await query<UserResult>(USER, { email: 'OMAR.Operator@demo.example' });
    const raw = state().users.find((u) => u.email === 'omar.operator@demo.example')!;
    expect(omar?.id).toBe(raw.userId);
    expect(omar?.permissions).toEqual(['READ']);
    expect(omar?.environmentAccess).toEqual([
      { environment: { id: '101', name: 'Production' }, levels: ['EXECUTE'] },
      { environment: { id: '102', name: 'Sandbox' }, levels: ['WRITE'] },
    ]);
    expect(omar?.roles.map((r) => r.role.name)).toEqual(['Operators']);
  });

  it('shows inactive assignments and inactive roles as not effective', async () => {
    const { harmonyUser: ian } = await query<UserResult>(USER, { email: 'ian.inactive@demo.example' });
    expect(ian?.roles).toContainEqual(expect.objectContaining({ status: 'INACTIVE', effective: false, role: expect.objectContaining({ name: 'Administrator', builtIn: true, status: 'ACTIVE' }) }));
    expect(ian?.permissions).not.toContain('ADMIN');
    const { harmonyUser: dora } = await query<UserResult>(USER, { email: 'dora.deactivated@demo.example' });
    expect(dora?.roles).toEqual([expect.objectContaining({ status: 'ACTIVE', effective: false, role: expect.objectContaining({ name: 'Legacy Admins', status: 'INACTIVE' }) })]);
    expect(dora?.permissions).toEqual([]);
    expect(dora?.environmentAccess).toEqual([]);
  });

  it('gives ADMIN every permission but the deprecated one', async () => {
    const { harmonyUser: ada } = await query<UserResult>(USER, { email: ADMIN });
    expect(ada?.permissions).toEqual(['READ', 'ADMIN', 'AGENT_INSTALL', 'API_CONSUMER']);
  });

  it('answers null for an unknown email', async () => {
    expect((await query<UserResult>(USER, { email: 'nobody@demo.example' })).harmonyUser).toBeNull();
  });
});

describe('roles, role, environments, apiGroups', () => {
  it('lists every role as Harmony has it, with environment access from the batch list', async () => {
    const data = await query<{
      roles: { id: string; name: string; permissions: string[]; status: string; builtIn: boolean; environmentAccess: { environment: { id: string }; levels: string[] }[] }[];
    }>(`{ roles { id name permissions status builtIn environmentAccess { environment { id } levels } } }`);
    expect(data.roles.map((r) => r.id)).toEqual(state().roles.map((r) => r.roleId));
    for (const role of data.roles) {
      const raw = state().roles.find((r) => r.roleId === role.id)!;
      expect(role).toMatchObject({ name: raw.name, permissions: raw.permissions, status: raw.active ? 'ACTIVE' : 'INACTIVE', builtIn: raw.builtIn });
      expect(role.environmentAccess.map((a) => a.environment.id)).toEqual(state().environments.map((e) => e.envId));
      for (const cell of role.environmentAccess) {
        const rawCell = state().access.find((a) => a.roleId === role.id && a.envId === cell.environment.id);
        expect([...cell.levels].sort()).toEqual([...(rawCell?.levels ?? [])].sort());
      }
    }
  });

  it('answers one role by id with its assignments, and null for an unknown id', async () => {
    const operators = roleNamed('Operators');
    const data = await query<{ role: { name: string; assignments: { status: string; user: { email: string } }[] } | null; none: unknown }>(
      `query Role($id: ID!) { role(id: $id) { name assignments { status user { email } } } none: role(id: "no-such-role") { id } }`,
      { id: operators.roleId },
    );
    const expected = state().users.filter((u) => u.roles.some((a) => a.roleId === operators.roleId)).map((u) => u.email);
    expect(data.role?.name).toBe('Operators');
    expect(data.role?.assignments.map((a) => a.user.email)).toEqual(expected);
    expect(data.none).toBeNull();
  });

  it('lists environments with their kind, description, role access and API groups', async () => {
    const data = await query<{
      environments: { id: string; name: string; type: string; description: string | null; roleAccess: { role: { name: string }; levels: string[] }[]; apiGroups: { name: string }[] }[];
    }>(`{ environments { id name type description roleAccess { role { name } levels } apiGroups { name } } }`);
    expect(data.environments.map((e) => ({ id: e.id, name: e.name, type: e.type, description: e.description }))).toEqual(
      state().environments.map((e) => ({ id: e.envId, name: e.envName, type: e.envType, description: e.envDesc })),
    );
    const production = data.environments.find((e) => e.name === 'Production')!;
    expect(production.roleAccess).toContainEqual({ role: { name: 'Log Viewers' }, levels: ['VIEW_LOGS'] });
    expect(production.roleAccess.every((a) => a.levels.length > 0)).toBe(true);
    expect(production.apiGroups.map((g) => g.name)).toEqual(state().apiGroups.filter((g) => g.envId === production.id).map((g) => g.name));
  });

  it('lists API groups with their environment, APIs and granted external users', async () => {
    const data = await query<{ apiGroups: { id: string; name: string; apiIds: string[]; environment: { id: string; name: string }; externalUsers: { email: string }[] }[] }>(
      `{ apiGroups { id name apiIds environment { id name } externalUsers { email } } }`,
    );
    expect(data.apiGroups.map((g) => g.id)).toEqual(state().apiGroups.map((g) => g.apiGroupId));
    for (const group of data.apiGroups) {
      const raw = state().apiGroups.find((g) => g.apiGroupId === group.id)!;
      expect(group).toMatchObject({ name: raw.name, apiIds: raw.apis, environment: { id: raw.envId } });
      expect(group.externalUsers.map((u) => u.email)).toEqual(
        state().externalUsers.filter((u) => u.apiGroupIds.includes(raw.apiGroupId)).map((u) => u.email),
      );
    }
    expect(data.apiGroups.find((g) => g.name === 'device-inventory')?.environment.name).toBe('Production');
  });
});
