/**
 * The live data of the simulated Harmony organization. The wire shapes (docs/upstreams/harmony.md) are
 * built from these by `harmony.wire.ts`; fields that never go on the wire (names of Harmony users,
 * invitation counts) are kept for tests and realism.
 */
import type { AccessLevel, ExternalStatus, Permission } from '../dataset/demo-org.js';

export type { AccessLevel, ExternalStatus, Permission };

export interface HarmonyOrg {
  orgId: string;
  orgName: string;
  ssoEnabled: boolean;
  subscriptionExpired: boolean;
  tfaRequired: boolean;
}

export interface HarmonyEnvironment {
  envId: string;
  envName: string;
  envDesc: string;
  envType: 'PRODUCTION' | 'SANDBOX' | 'DEVELOPMENT';
}

export interface HarmonyRole {
  roleId: string;
  name: string;
  permissions: Permission[];
  active: boolean;
  builtIn: boolean;
}

export interface RoleAssignment {
  roleId: string;
  active: boolean;
}

export interface HarmonyUser {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  roles: RoleAssignment[];
}

/** One cell of the role × environment matrix; every role has one per environment (levels may be empty). */
export interface RoleEnvironmentAccess {
  roleId: string;
  envId: string;
  levels: AccessLevel[];
}

export interface HarmonyApiGroup {
  apiGroupId: string;
  name: string;
  envId: string;
  apis: string[];
}

/** An API published in API Manager, in one environment (its id is unique in the organization). */
export interface HarmonyApi {
  apiId: string;
  name: string;
  envId: string;
}

/** An external user's grant of one API on its own, in the environment it is published in. */
export interface ApiGrant {
  envId: string;
  apiId: string;
}

/**
 * An external user as stored. `status` is what an administrator or the registration set;
 * the status on the wire is EXPIRED once the clock passes the expiry instant (`harmony.expiry.ts`).
 */
export interface HarmonyExternalUser {
  externalUserId: string;
  email: string;
  name: string;
  company: string;
  status: ExternalStatus;
  /** `YYYY-MM-DD`, access ends at 23:59 that day in `timeZone`; null = never. */
  accessExpiresOn: string | null;
  /** IANA time zone. */
  timeZone: string;
  /** ISO 8601 instants, null until the user registers / logs in. */
  lastLogin: string | null;
  memberSince: string | null;
  apiGroupIds: string[];
  apis: ApiGrant[];
  /** How many registration emails were sent (the invitation plus resends). */
  invitationsSent: number;
}

/** Someone who belongs to another Harmony organization (for the SSO membership rule). */
export interface OtherOrgMember {
  email: string;
  /** Whether that other organization uses SSO. */
  sso: boolean;
}

export interface HarmonyState {
  org: HarmonyOrg;
  environments: HarmonyEnvironment[];
  roles: HarmonyRole[];
  users: HarmonyUser[];
  access: RoleEnvironmentAccess[];
  apiGroups: HarmonyApiGroup[];
  /** Every published API: the groups' and the ones granted on their own. */
  apis: HarmonyApi[];
  externalUsers: HarmonyExternalUser[];
  /** Members of other organizations, for `SSO_ORG_CONFLICT`. */
  otherOrgMembers: OtherOrgMember[];
  /** Emails allowed a password login although the organization uses SSO. */
  bypassSso: string[];
}

export const ALL_PERMISSIONS: readonly Permission[] = ['READ', 'ADMIN', 'AGENT_INSTALL', 'API_CONSUMER', 'APP_DEVELOPER'];
export const ALL_LEVELS: readonly AccessLevel[] = ['VIEW_LOGS', 'READ', 'EXECUTE', 'WRITE'];
export const ALL_STATUSES: readonly ExternalStatus[] = ['REQUESTED', 'ACTIVE', 'SUSPENDED', 'EXPIRED'];
