/**
 * Zod schemas of Harmony's wire shapes (docs/upstreams/harmony.md) and the domain types inferred from
 * them. Tolerant where Harmony may grow (unknown permissions and access levels are dropped, ids may
 * come as numbers), strict where the gateway's rules depend on a value (external user status).
 */
import { z } from 'zod';

export const PERMISSIONS = ['READ', 'ADMIN', 'AGENT_INSTALL', 'API_CONSUMER', 'APP_DEVELOPER'] as const;
export const ACCESS_LEVELS = ['VIEW_LOGS', 'READ', 'EXECUTE', 'WRITE'] as const;
export const EXTERNAL_STATUSES = ['REQUESTED', 'ACTIVE', 'SUSPENDED', 'EXPIRED'] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type ExternalUserStatus = (typeof EXTERNAL_STATUSES)[number];

const id = z.union([z.string(), z.number()]).transform(String);
const text = z.string().nullish().transform((v) => v ?? '');
const knownOnly = <T extends string>(known: readonly T[]) =>
  z.array(z.string()).nullish().transform((list) => (list ?? []).filter((v): v is T => (known as readonly string[]).includes(v)));

/** The envelope every answer has: `{ status: true, … }` or `{ status: false, errorCode, errorMessage }`. */
export const envelopeSchema = z.object({
  status: z.boolean().optional(),
  success: z.boolean().optional(),
  errorCode: z.union([z.string(), z.number()]).optional(),
});

export const loginSuccessSchema = z.object({
  status: z.literal(true),
  authenticationToken: z.string().min(1),
  sessionTimeoutInSeconds: z.coerce.number().positive().optional(),
  orgAttrs: z.array(z.object({ orgId: id, orgName: text })).nullish().transform((v) => v ?? []),
  defaultOrgId: id.optional(),
});

export const organizationSchema = z.object({
  orgId: id,
  orgName: text,
  ssoEnabled: z.boolean().default(false),
  subscriptionExpired: z.boolean().default(false),
  tfaRequired: z.boolean().default(false),
});

export const environmentSchema = z.object({ envId: id, envName: text, envDesc: text, envType: text });

export const roleAssignmentSchema = z.object({ roleId: id, active: z.boolean() });

export const userSchema = z.object({
  userId: id,
  email: z.string(),
  roles: z.array(roleAssignmentSchema).nullish().transform((v) => v ?? []),
});

export const roleSchema = z.object({
  roleId: id,
  name: z.string(),
  permissions: knownOnly(PERMISSIONS),
  active: z.boolean(),
  builtIn: z.boolean().default(false),
});

export const roleEnvironmentAccessSchema = z.object({ envId: id, levels: knownOnly(ACCESS_LEVELS) });

export const environmentAccessSchema = z.object({ roleId: id, envId: id, levels: knownOnly(ACCESS_LEVELS) });

export const externalUserSchema = z.object({
  externalUserId: id,
  email: z.string(),
  name: text,
  company: text,
  status: z.enum(EXTERNAL_STATUSES),
  /** `YYYY-MM-DD`; access ends at 23:59 that day in `timeZone`. Null: never. */
  accessExpiresOn: z.string().nullish().transform((v) => v || null),
  timeZone: z.string().nullish().transform((v) => v || 'UTC'),
  lastLogin: z.string().nullish().transform((v) => v || null),
  memberSince: z.string().nullish().transform((v) => v || null),
  apiGroupIds: z.array(id).nullish().transform((v) => v ?? []),
  apis: z.array(z.object({ envId: id, apiId: id })).nullish().transform((v) => v ?? []),
});

export const apiGroupSchema = z.object({
  apiGroupId: id,
  name: z.string(),
  envId: id,
  apis: z.array(id).nullish().transform((v) => v ?? []),
});

/** An API published in API Manager, in one environment. */
export const apiSchema = z.object({ apiId: id, name: text, envId: id });

export type HarmonyOrganization = z.output<typeof organizationSchema>;
export type HarmonyEnvironment = z.output<typeof environmentSchema>;
export type HarmonyUser = z.output<typeof userSchema>;
export type HarmonyRole = z.output<typeof roleSchema>;
/** One role's levels in one environment (from the per-role route). */
export type HarmonyRoleEnvironmentAccess = z.output<typeof roleEnvironmentAccessSchema>;
/** One role × environment cell (from the batch `/environment-access` route). */
export type HarmonyEnvironmentAccess = z.output<typeof environmentAccessSchema>;
export type HarmonyExternalUser = z.output<typeof externalUserSchema>;
export type HarmonyApiGroup = z.output<typeof apiGroupSchema>;
export type HarmonyApi = z.output<typeof apiSchema>;
/** An external user's grant of one API, in the environment it is published in. */
export type HarmonyApiGrant = HarmonyExternalUser['apis'][number];

/** Payload schemas of each route, keyed the way the datasource reads them. */
export const payloads = {
  org: z.object({ org: organizationSchema }),
  environments: z.object({ environments: z.array(environmentSchema) }),
  users: z.object({ users: z.array(userSchema) }),
  user: z.object({ user: userSchema }),
  userId: z.object({ userId: id }),
  roles: z.object({ roles: z.array(roleSchema) }),
  role: z.object({ role: roleSchema }),
  roleRemoved: z.object({ roleId: id, removedFromUsers: z.number().default(0) }),
  roleAccess: z.object({ access: z.array(roleEnvironmentAccessSchema) }),
  accessCell: z.object({ access: environmentAccessSchema }),
  allAccess: z.object({ access: z.array(environmentAccessSchema) }),
  externalUsers: z.object({ externalUsers: z.array(externalUserSchema) }),
  externalUser: z.object({ externalUser: externalUserSchema }),
  externalUserId: z.object({ externalUserId: id }),
  apiGroups: z.object({ apiGroups: z.array(apiGroupSchema) }),
  apis: z.object({ apis: z.array(apiSchema) }),
} as const;
