/**
 * A small organization for the unit tests of src/resolvers/: three environments, the demo's
 * organization groups and ENV_MAP, four callers (as the demo personas: an admin, a reader of
 * Production, an operator with EXECUTE in Production and WRITE in Sandbox, a log viewer), and a
 * request context whose loaders answer from plain lists. Principals come from the real
 * `harmonyPrincipal` and the access service is the real one (src/auth/access/); only the loaders'
 * transport is replaced.
 */
import { harmonyPrincipal, type AccessDirectory } from '../../../src/auth/principal.js';
import type { GraphQLContext } from '../../../src/context.js';
import type { UemDevice } from '../../../src/datasources/uem/uem.schemas.js';
import { AccessPolicy } from '../../../src/auth/access/policy.js';

export const ENVS = [
  { envId: 'e1', envName: 'Production', envDesc: '', envType: '' },
  { envId: 'e2', envName: 'Sandbox', envDesc: '', envType: '' },
  { envId: 'e3', envName: 'Development', envDesc: '', envType: '' },
];
export const GROUPS = [
  { id: 570, name: 'Demo Org', parentId: null },
  { id: 571, name: 'Production Devices', parentId: 570 },
  { id: 572, name: 'Sandbox Devices', parentId: 570 },
  { id: 573, name: 'Lab Devices', parentId: 570 },
];
export const DEMO_MAP = { 'Production Devices': 'Production', 'Sandbox Devices': 'Sandbox', 'Lab Devices': 'Development' };

export const ROLES = [
  { roleId: 'r-admin', name: 'Administrator', permissions: ['ADMIN'], active: true, builtIn: true },
  { roleId: 'r-reader', name: 'User', permissions: ['READ'], active: true, builtIn: true },
  { roleId: 'r-ops', name: 'Operators', permissions: ['READ'], active: true, builtIn: false },
  { roleId: 'r-logs', name: 'Log Viewers', permissions: ['READ'], active: true, builtIn: false },
  { roleId: 'r-agents', name: 'Agent Installers', permissions: ['AGENT_INSTALL'], active: true, builtIn: false },
];
export const ACCESS = [
  { roleId: 'r-reader', envId: 'e1', levels: ['READ'] },
  { roleId: 'r-ops', envId: 'e1', levels: ['READ', 'EXECUTE'] },
  { roleId: 'r-ops', envId: 'e2', levels: ['WRITE'] },
  { roleId: 'r-logs', envId: 'e1', levels: ['VIEW_LOGS'] },
];
export const USERS = [
  { userId: 'u1', email: 'Ada.Admin@example.com', roles: [{ roleId: 'r-admin', active: true }] },
  { userId: 'u2', email: 'rita.reader@example.com', roles: [{ roleId: 'r-reader', active: true }] },
  { userId: 'u3', email: 'omar.operator@example.com', roles: [{ roleId: 'r-ops', active: true }] },
  { userId: 'u4', email: 'lena.logs@example.com', roles: [{ roleId: 'r-logs', active: true }] },
  { userId: 'u5', email: 'agnes.agent@example.com', roles: [{ roleId: 'r-agents', active: true }, { roleId: 'r-ops', active: false }] },
];
export const ADA = 'ada.admin@example.com';
export const RITA = 'rita.reader@example.com';
export const OMAR = 'omar.operator@example.com';
export const LENA = 'lena.logs@example.com';

/** Devices: one per group, id = group id × 10 + n. */
export const DEVICES = [5711, 5712, 5721, 5731].map((id) => ({
  id,
  organizationGroupName: GROUPS.find((g) => g.id === Math.floor(id / 10))!.name,
})) as unknown as UemDevice[];

export interface World {
  envMap?: Record<string, string>;
  tags?: { id: number; name: string | null; members: number[] }[];
  smartGroups?: { id: number; name: string; managedByOrganizationGroupId: number | null; members: number[] }[];
}

const directory: AccessDirectory = {
  users: USERS,
  roles: ROLES,
  access: ACCESS,
  environments: ENVS.map((e) => ({ id: e.envId, name: e.envName })),
  subscriptionExpired: false,
};

/** A request context of `email` over the world's lists. */
export function contextOf(email: string, world: World = {}): GraphQLContext {
  const principal = harmonyPrincipal(directory, email);
  if (!principal) throw new Error(`no such caller ${email}`);
  const devices = new Map(DEVICES.map((d) => [String(d.id), d]));
  const uem = {
    organizationGroups: async () => GROUPS,
    organizationGroupById: async (id: number) => GROUPS.find((g) => g.id === id) ?? null,
    tags: async () => world.tags ?? [],
    tagMembers: async (id: number) => world.tags?.find((t) => t.id === id)?.members ?? [],
    smartGroups: async () => world.smartGroups ?? [],
    smartGroupMembers: async (id: number) => world.smartGroups?.find((g) => g.id === id)?.members ?? [],
    smartGroupMembersLive: async (id: number) => world.smartGroups?.find((g) => g.id === id)?.members ?? [],
    deviceById: {
      load: async (id: string) => devices.get(id) ?? null,
      loadMany: async (ids: readonly string[]) => ids.map((id) => devices.get(id) ?? null),
    },
    cachedDeviceScan: () => undefined,
  };
  const harmony = {
    environments: async () => ENVS,
    users: async () => USERS,
    roles: async () => ROLES,
    environmentAccess: async () => ACCESS,
  };
  const loaders = { uem, harmony } as unknown as GraphQLContext['loaders'];
  const policy = new AccessPolicy(world.envMap ?? DEMO_MAP);
  return { principal, loaders, services: { access: policy }, access: policy.forRequest(principal, loaders) } as unknown as GraphQLContext;
}
