/**
 * The simulated Harmony organization, built deterministically from a seed and the clock's "now":
 * the demo organization's fixed parts (demo-org.ts), its Harmony users from the shared directory
 * (people.ts, so the UEM simulator agrees on every email), and generated external users.
 */
import { Rng } from '../common/rng.js';
import { API_GROUPS, APIS, ENVIRONMENTS, HARMONY_PERSONAS, INTEGRATION_ACCOUNT, ORG_ID, ORG_NAME, ROLES } from '../dataset/demo-org.js';
import { generateDirectory } from '../dataset/people.js';
import { generateExternalUsers } from './harmony.external-dataset.js';
import { ALL_LEVELS, type HarmonyApi, type HarmonyApiGroup, type HarmonyRole, type HarmonyState, type HarmonyUser, type OtherOrgMember, type RoleAssignment, type RoleEnvironmentAccess } from './harmony.types.js';

export interface HarmonyDatasetOptions {
  seed: number;
  harmonyUsers: number;
  externalUsers: number;
  /** UEM users of the shared directory: it shapes which generated emails exist, so pass the UEM size. */
  uemUsers: number;
  /** Epoch ms; external-user dates are relative to this day. */
  now: number;
  orgId?: string;
  /** The integration account's email (default `integration@demo.example`). */
  integrationEmail?: string;
  ssoEnabled?: boolean;
  subscriptionExpired?: boolean;
  tfaRequired?: boolean;
  bypassSso?: string[];
  otherOrgMembers?: OtherOrgMember[];
}

/** People in other organizations, so the SSO membership rule has someone to refuse by default. */
export const DEFAULT_OTHER_ORG_MEMBERS: readonly OtherOrgMember[] = [
  { email: 'sso.elsewhere@other-sso.example', sso: true },
  { email: 'multi.org@other.example', sso: false },
];

/** How generated users spread over roles (by name), roughly as a mid-sized organization would. */
const ROLE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['User', 30],
  ['Operators', 14],
  ['Support', 12],
  ['Developers', 12],
  ['Log Viewers', 8],
  ['API Consumers', 6],
  ['Agent Installers', 5],
  ['Administrator', 5],
  ['Legacy Admins', 2],
];

const envIdByName = (name: string): string => {
  const env = ENVIRONMENTS.find((e) => e.envName === name);
  if (!env) throw new Error(`unknown environment ${name}`);
  return env.envId;
};

const roleIdByName = (name: string): string => {
  const role = ROLES.find((r) => r.name === name);
  if (!role) throw new Error(`unknown role ${name}`);
  return role.roleId;
};

function buildAccess(): RoleEnvironmentAccess[] {
  return ROLES.flatMap((role) =>
    ENVIRONMENTS.map((env) => {
      // Levels are independent switches; keep them in one canonical order, as the PUT route does.
      const granted = role.access[env.envName] ?? [];
      return { roleId: role.roleId, envId: env.envId, levels: ALL_LEVELS.filter((l) => granted.includes(l)) };
    }),
  );
}

function generatedAssignments(rng: Rng): RoleAssignment[] {
  const count = rng.weighted([
    [1, 70],
    [2, 25],
    [3, 5],
  ] as const);
  const names = new Set<string>();
  while (names.size < count) names.add(rng.weighted(ROLE_WEIGHTS));
  return [...names].map((name) => ({ roleId: roleIdByName(name), active: !rng.chance(0.1) }));
}

export function generateHarmonyDataset(options: HarmonyDatasetOptions): HarmonyState {
  const rng = new Rng(options.seed).fork('harmony');
  const roleRng = rng.fork('roles');
  const integrationEmail = options.integrationEmail ?? INTEGRATION_ACCOUNT.email;
  const personas = new Map(HARMONY_PERSONAS.map((p) => [p.email, p]));

  const directory = generateDirectory({ seed: options.seed, harmonyUsers: options.harmonyUsers, uemUsers: options.uemUsers });
  const users: HarmonyUser[] = directory
    .filter((p) => p.harmony)
    .map((p, i) => {
      const isIntegration = p.email === INTEGRATION_ACCOUNT.email;
      const fixed = isIntegration ? INTEGRATION_ACCOUNT : personas.get(p.email);
      const roles = fixed
        ? Object.entries(fixed.roles).map(([name, active]) => ({ roleId: roleIdByName(name), active }))
        : generatedAssignments(roleRng);
      return {
        userId: String(10001 + i),
        email: isIntegration ? integrationEmail : p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        roles,
      };
    });

  const roles: HarmonyRole[] = ROLES.map((r) => ({
    roleId: r.roleId,
    name: r.name,
    permissions: [...r.permissions],
    active: r.active,
    builtIn: r.builtIn,
  }));
  const apiGroups: HarmonyApiGroup[] = API_GROUPS.map((g) => ({
    apiGroupId: g.apiGroupId,
    name: g.name,
    envId: envIdByName(g.environment),
    apis: [...g.apis],
  }));
  const apis: HarmonyApi[] = APIS.map((a) => ({ apiId: a.apiId, name: a.name, envId: envIdByName(a.environment) }));

  return {
    org: {
      orgId: options.orgId ?? ORG_ID,
      orgName: ORG_NAME,
      ssoEnabled: options.ssoEnabled ?? false,
      subscriptionExpired: options.subscriptionExpired ?? false,
      tfaRequired: options.tfaRequired ?? false,
    },
    environments: ENVIRONMENTS.map((e) => ({ ...e })),
    roles,
    users,
    access: buildAccess(),
    apiGroups,
    apis,
    externalUsers: generateExternalUsers({ rng: rng.fork('external'), count: options.externalUsers, now: options.now, apiGroups, apis }),
    otherOrgMembers: (options.otherOrgMembers ?? DEFAULT_OTHER_ORG_MEMBERS).map((m) => ({ ...m })),
    bypassSso: [...(options.bypassSso ?? [])],
  };
}
