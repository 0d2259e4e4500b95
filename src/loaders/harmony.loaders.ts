/**
 * Harmony reads for one request. Harmony answers lists whole, so each list is one upstream call
 * per request at most, shared with the principal's own resolution and cached across requests
 * (access data for the principal TTL, the rest for the reference TTL).
 */
import type { HarmonyDatasource } from '../datasources/harmony/harmony.datasource.js';
import type {
  HarmonyApiGroup,
  HarmonyEnvironment,
  HarmonyEnvironmentAccess,
  HarmonyExternalUser,
  HarmonyOrganization,
  HarmonyRole,
  HarmonyUser,
} from '../datasources/harmony/harmony.schemas.js';
import type { RequestReference } from './reference.js';

export interface HarmonyCacheSettings {
  /** TTL of users, roles and environment access (what principals are computed from). */
  accessTtlMs: number;
  /** TTL of environments, the organization, external users and API groups. */
  referenceTtlMs: number;
  staleIfErrorMs: number;
}

export const HARMONY_KEYS = {
  organization: 'harmony:organization',
  environments: 'harmony:environments',
  users: 'harmony:users',
  roles: 'harmony:roles',
  environmentAccess: 'harmony:environment-access',
  externalUsers: 'harmony:external-users',
  apiGroups: 'harmony:api-groups',
} as const;

export function createHarmonyLoaders(harmony: HarmonyDatasource, ref: RequestReference, settings: HarmonyCacheSettings) {
  const access = { ttlMs: settings.accessTtlMs, staleIfErrorMs: settings.staleIfErrorMs };
  const reference = { ttlMs: settings.referenceTtlMs, staleIfErrorMs: settings.staleIfErrorMs };
  let usersByEmail: Promise<Map<string, HarmonyUser>> | undefined;
  return {
    organization: (): Promise<HarmonyOrganization> => ref.get(HARMONY_KEYS.organization, () => harmony.organization(), reference),
    environments: (): Promise<HarmonyEnvironment[]> => ref.get(HARMONY_KEYS.environments, () => harmony.environments(), reference),
    users: (): Promise<HarmonyUser[]> => ref.get(HARMONY_KEYS.users, () => harmony.users(), access),
    roles: (): Promise<HarmonyRole[]> => ref.get(HARMONY_KEYS.roles, () => harmony.roles(), access),
    environmentAccess: (): Promise<HarmonyEnvironmentAccess[]> =>
      ref.get(HARMONY_KEYS.environmentAccess, () => harmony.environmentAccess(), access),
    externalUsers: (): Promise<HarmonyExternalUser[]> => ref.get(HARMONY_KEYS.externalUsers, () => harmony.externalUsers(), access),
    apiGroups: (): Promise<HarmonyApiGroup[]> => ref.get(HARMONY_KEYS.apiGroups, () => harmony.apiGroups(), reference),
    /** Harmony users by lower-case email. */
    async userByEmail(email: string): Promise<HarmonyUser | null> {
      usersByEmail ??= ref
        .get(HARMONY_KEYS.users, () => harmony.users(), access)
        .then((users) => new Map(users.map((u) => [u.email.toLowerCase(), u])));
      return (await usersByEmail).get(email.toLowerCase()) ?? null;
    },
  };
}

export type HarmonyLoaders = ReturnType<typeof createHarmonyLoaders>;
