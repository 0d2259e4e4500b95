/**
 * The principal: who is calling and what they may do, resolved once per request from Harmony data
 * (docs/design.md §2). Effective access is the union over active assignments of active roles; ADMIN
 * implies every permission.
 */
export const PERMISSIONS = ['READ', 'ADMIN', 'AGENT_INSTALL', 'API_CONSUMER', 'APP_DEVELOPER'] as const;
export type Permission = (typeof PERMISSIONS)[number];
export const ACCESS_LEVELS = ['VIEW_LOGS', 'READ', 'EXECUTE', 'WRITE'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type PrincipalKind = 'HARMONY_USER' | 'EXTERNAL_USER';

/** An API in the environment it is published in. */
export interface ApiRef {
  envId: string;
  apiId: string;
}

export interface EnvironmentRef {
  id: string;
  name: string;
}

export interface Principal {
  kind: PrincipalKind;
  /** Lower case. */
  email: string;
  isAdmin: boolean;
  permissions: ReadonlySet<Permission>;
  /** Environment id → levels held there. */
  access: ReadonlyMap<string, ReadonlySet<AccessLevel>>;
  environments: readonly EnvironmentRef[];
  /** API groups granted to an external user (ids); empty for Harmony users. */
  apiGroupIds: readonly string[];
  /**
   * APIs an external user may call, each in the environment it is published in: granted on their
   * own, or through a granted API group (its APIs, in its environment). Empty for Harmony users.
   */
  apis: readonly ApiRef[];
  /** Environment ids of those API groups and APIs: where an external user may run partner documents. */
  partnerEnvironmentIds: readonly string[];
  /** The organization's subscription is expired: admins become read-only. */
  subscriptionExpired: boolean;
}

/** The Harmony data a principal is computed from (the shapes of docs/upstreams/harmony.md, already parsed). */
export interface AccessDirectory {
  users: readonly { email: string; roles: readonly { roleId: string; active: boolean }[] }[];
  roles: readonly { roleId: string; permissions: readonly string[]; active: boolean }[];
  access: readonly { roleId: string; envId: string; levels: readonly string[] }[];
  environments: readonly EnvironmentRef[];
  subscriptionExpired: boolean;
}

const isPermission = (p: string): p is Permission => (PERMISSIONS as readonly string[]).includes(p);
const isLevel = (l: string): l is AccessLevel => (ACCESS_LEVELS as readonly string[]).includes(l);

/**
 * Computes a Harmony user's principal, or undefined when the email is not a user of the
 * organization. Inactive roles and inactive assignments grant nothing.
 */
export function harmonyPrincipal(directory: AccessDirectory, email: string): Principal | undefined {
  const wanted = email.toLowerCase();
  const user = directory.users.find((u) => u.email.toLowerCase() === wanted);
  if (!user) return undefined;
  const roles = new Map(directory.roles.map((r) => [r.roleId, r]));
  const activeRoleIds = new Set(
    user.roles.filter((a) => a.active && roles.get(a.roleId)?.active === true).map((a) => a.roleId),
  );
  const permissions = new Set<Permission>();
  for (const id of activeRoleIds) {
    for (const p of roles.get(id)?.permissions ?? []) if (isPermission(p)) permissions.add(p);
  }
  const isAdmin = permissions.has('ADMIN');
  if (isAdmin) for (const p of PERMISSIONS) if (p !== 'APP_DEVELOPER') permissions.add(p);
  const access = new Map<string, Set<AccessLevel>>();
  for (const grant of directory.access) {
    if (!activeRoleIds.has(grant.roleId)) continue;
    const levels = access.get(grant.envId) ?? new Set<AccessLevel>();
    for (const l of grant.levels) if (isLevel(l)) levels.add(l);
    if (levels.size > 0) access.set(grant.envId, levels);
  }
  return {
    kind: 'HARMONY_USER',
    email: wanted,
    isAdmin,
    permissions,
    access,
    environments: directory.environments,
    apiGroupIds: [],
    apis: [],
    partnerEnvironmentIds: [],
    subscriptionExpired: directory.subscriptionExpired,
  };
}

/** Whether the principal holds any of `levels` in the environment. */
export function hasAccess(principal: Principal, envId: string, levels: readonly AccessLevel[]): boolean {
  const held = principal.access.get(envId);
  return held !== undefined && levels.some((l) => held.has(l));
}

/** Environment ids where the principal holds any of `levels`. */
export function environmentsWith(principal: Principal, levels: readonly AccessLevel[]): string[] {
  return [...principal.access.keys()].filter((envId) => hasAccess(principal, envId, levels));
}
