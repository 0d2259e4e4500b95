/**
 * Every Harmony route the datasource calls, relative to the API base `/jitterbit-cloud-restful-service`.
 * `login` is Harmony's documented API. Everything under `/orgs/{orgId}` is **our own contract**
 * (docs/upstreams/harmony.md, "defined here"): no public user-management API exists, so these paths are
 * agreed with the Harmony simulator (`src/simulators/harmony/harmony.paths.ts`). Change both together.
 */
export const HARMONY_API_BASE = '/jitterbit-cloud-restful-service';

/** Harmony's documented session header. */
export const HARMONY_AUTH_HEADER = 'authToken';

const seg = (value: string) => encodeURIComponent(value);
const org = (orgId: string) => `/orgs/${seg(orgId)}`;

export const HarmonyRoutes = {
  // Documented.
  login: () => '/user/login',
  // Defined here.
  org: (orgId: string) => org(orgId),
  environments: (orgId: string) => `${org(orgId)}/environments`,
  users: (orgId: string) => `${org(orgId)}/users`,
  user: (orgId: string, userId: string) => `${org(orgId)}/users/${seg(userId)}`,
  userRole: (orgId: string, userId: string, roleId: string) => `${org(orgId)}/users/${seg(userId)}/roles/${seg(roleId)}`,
  roles: (orgId: string) => `${org(orgId)}/roles`,
  role: (orgId: string, roleId: string) => `${org(orgId)}/roles/${seg(roleId)}`,
  roleAccess: (orgId: string, roleId: string) => `${org(orgId)}/roles/${seg(roleId)}/environment-access`,
  roleEnvAccess: (orgId: string, roleId: string, envId: string) =>
    `${org(orgId)}/roles/${seg(roleId)}/environment-access/${seg(envId)}`,
  allAccess: (orgId: string) => `${org(orgId)}/environment-access`,
  externalUsers: (orgId: string) => `${org(orgId)}/external-users`,
  externalUser: (orgId: string, id: string) => `${org(orgId)}/external-users/${seg(id)}`,
  externalUserResend: (orgId: string, id: string) => `${org(orgId)}/external-users/${seg(id)}/resend`,
  apiGroups: (orgId: string) => `${org(orgId)}/api-groups`,
  apis: (orgId: string) => `${org(orgId)}/apis`,
} as const;

/** The API base URL from an origin (`https://na-east.jitterbit.com`), unless it already ends with it. */
export function harmonyApiBaseUrl(origin: string): string {
  const trimmed = origin.replace(/\/+$/, '');
  return trimmed.endsWith(HARMONY_API_BASE) ? trimmed : `${trimmed}${HARMONY_API_BASE}`;
}
