/**
 * Every route the Harmony simulator answers, in one place (docs/upstreams/harmony.md). Login and the
 * TFA completion are Harmony's documented API; everything under `/orgs/{orgId}` is **defined
 * here**: no public user-management API exists, so these templates are our own contract with the
 * gateway's Harmony datasource. Change them together with that client, never alone.
 */

/** The API base under the region host (`https://na-east.jitterbit.com/jitterbit-cloud-restful-service`). */
export const HARMONY_BASE = '/jitterbit-cloud-restful-service';

const org = `${HARMONY_BASE}/orgs/{orgId}`;

export const HarmonyPaths = {
  // Documented.
  login: `${HARMONY_BASE}/user/login`,
  tfaCode: `${HARMONY_BASE}/user/login/tfacode`,
  // Defined here.
  org,
  environments: `${org}/environments`,
  users: `${org}/users`,
  user: `${org}/users/{userId}`,
  userRole: `${org}/users/{userId}/roles/{roleId}`,
  roles: `${org}/roles`,
  role: `${org}/roles/{roleId}`,
  roleAccess: `${org}/roles/{roleId}/environment-access`,
  roleEnvAccess: `${org}/roles/{roleId}/environment-access/{envId}`,
  allAccess: `${org}/environment-access`,
  externalUsers: `${org}/external-users`,
  externalUser: `${org}/external-users/{externalUserId}`,
  externalUserResend: `${org}/external-users/{externalUserId}/resend`,
  apiGroups: `${org}/api-groups`,
  apis: `${org}/apis`,
} as const;

/** The HTTP header every call after login carries. */
export const AUTH_HEADER = 'authtoken';
