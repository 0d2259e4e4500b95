/**
 * Harmony reads for one request. Harmony answers lists whole, so each list is one upstream call
 * per request at most, shared with the principal's own resolution and cached across requests
 * (access data for the principal TTL, the rest for the reference TTL).
 */
import type { HarmonyDatasource } from '../datasources/harmony/harmony.datasource.js';
import type {
  HarmonyApi,
  HarmonyApiGroup,
  HarmonyEnvironment,
  HarmonyEnvironmentAccess,
  HarmonyExternalUser,
  HarmonyOrganization,
  HarmonyRole,
  HarmonyUser,
} from '../datasources/harmony/harmony.schemas.js';
import type { ReferenceGetOptions, RequestReference } from './reference.js';

export interface HarmonyCacheSettings {
  /** TTL of users, roles and environment access (what principals are computed from). */
  accessTtlMs: number;
  /** TTL of environments, the organization, external users, API groups and APIs. */
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
  apis: 'harmony:apis',
} as const;

/**
 * The graph field each list answers, named in the response's `extensions.stale` when a copy kept
 * past a failed refresh is served (README, "Stale answers"). The organization is only read for the
 * caller's permissions (its subscription state): `viewer`. Environment access belongs to roles.
 */
export const HARMONY_STALE_FIELDS: Record<keyof typeof HARMONY_KEYS, string> = {
  organization: 'viewer',
  environments: 'environments',
  users: 'harmonyUsers',
  roles: 'roles',
  environmentAccess: 'roles',
  externalUsers: 'externalUsers',
  apiGroups: 'apiGroups',
  apis: 'apis',
};

export function createHarmonyLoaders(harmony: HarmonyDatasource, ref: RequestReference, settings: HarmonyCacheSettings) {
  const access = { ttlMs: settings.accessTtlMs, staleIfErrorMs: settings.staleIfErrorMs };
  const reference = { ttlMs: settings.referenceTtlMs, staleIfErrorMs: settings.staleIfErrorMs };
  const list = <T>(name: keyof typeof HARMONY_KEYS, load: () => Promise<T>, ttl: typeof access): Promise<T> => {
    const options: ReferenceGetOptions = { stale: { upstream: 'harmony', field: HARMONY_STALE_FIELDS[name] }, ...ttl };
    return ref.get(HARMONY_KEYS[name], load, options);
  };
  let usersByEmail: Promise<Map<string, HarmonyUser>> | undefined;
  const users = (): Promise<HarmonyUser[]> => list('users', () => harmony.users(), access);
  return {
    organization: (): Promise<HarmonyOrganization> => list('organization', () => harmony.organization(), reference),
    environments: (): Promise<HarmonyEnvironment[]> => list('environments', () => harmony.environments(), reference),
    users,
    roles: (): Promise<HarmonyRole[]> => list('roles', () => harmony.roles(), access),
    environmentAccess: (): Promise<HarmonyEnvironmentAccess[]> => list('environmentAccess', () => harmony.environmentAccess(), access),
    externalUsers: (): Promise<HarmonyExternalUser[]> => list('externalUsers', () => harmony.externalUsers(), access),
    apiGroups: (): Promise<HarmonyApiGroup[]> => list('apiGroups', () => harmony.apiGroups(), reference),
    apis: (): Promise<HarmonyApi[]> => list('apis', () => harmony.apis(), reference),
    /** Harmony users by lower-case email. */
    async userByEmail(email: string): Promise<HarmonyUser | null> {
      usersByEmail ??= users().then((all) => new Map(all.map((u) => [u.email.toLowerCase(), u])));
      return (await usersByEmail).get(email.toLowerCase()) ?? null;
    },
  };
}

export type HarmonyLoaders = ReturnType<typeof createHarmonyLoaders>;
