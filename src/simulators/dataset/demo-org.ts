/**
 * The fixed part of the demo organization (docs/interfaces.md, "The demo organization's personas"): its
 * environments, UEM organization groups with their mapping, Harmony roles and the personas. Both
 * simulators build their seeded data around these, so they agree on every email and name.
 */

export type Permission = 'READ' | 'ADMIN' | 'AGENT_INSTALL' | 'API_CONSUMER' | 'APP_DEVELOPER';
export type AccessLevel = 'VIEW_LOGS' | 'READ' | 'EXECUTE' | 'WRITE';
export type ExternalStatus = 'REQUESTED' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED';

export const ORG_ID = 'demo-org';
export const ORG_NAME = 'Demo Organization';

export interface DemoEnvironment {
  envId: string;
  envName: string;
  envDesc: string;
  envType: 'PRODUCTION' | 'SANDBOX' | 'DEVELOPMENT';
}

export const ENVIRONMENTS: readonly DemoEnvironment[] = [
  { envId: '101', envName: 'Production', envDesc: 'Live integrations', envType: 'PRODUCTION' },
  { envId: '102', envName: 'Sandbox', envDesc: 'Testing before release', envType: 'SANDBOX' },
  { envId: '103', envName: 'Development', envDesc: 'Integration development', envType: 'DEVELOPMENT' },
];

export interface DemoOrganizationGroup {
  /** UEM's numeric id (`LocationGroupId.Id.Value`). */
  id: number;
  name: string;
  /** UEM's group id string (`GroupId`). */
  groupId: string;
  /** The Harmony environment it maps to (ENV_MAP). */
  environment: string;
}

/** The top group holds the tenant; devices live in the three child groups. */
export const TOP_ORGANIZATION_GROUP = { id: 570, name: 'Demo Organization', groupId: 'demo' } as const;

export const ORGANIZATION_GROUPS: readonly DemoOrganizationGroup[] = [
  { id: 571, name: 'Production Devices', groupId: 'demo-prod', environment: 'Production' },
  { id: 572, name: 'Sandbox Devices', groupId: 'demo-sandbox', environment: 'Sandbox' },
  { id: 573, name: 'Lab Devices', groupId: 'demo-lab', environment: 'Development' },
];

/** The demo ENV_MAP: organization group name → environment name. */
export const DEMO_ENV_MAP: Readonly<Record<string, string>> = Object.fromEntries(
  ORGANIZATION_GROUPS.map((g) => [g.name, g.environment]),
);

export interface DemoRole {
  roleId: string;
  name: string;
  permissions: Permission[];
  active: boolean;
  builtIn: boolean;
  /** Environment name → levels. */
  access: Partial<Record<string, AccessLevel[]>>;
}

const ALL_LEVELS: AccessLevel[] = ['VIEW_LOGS', 'READ', 'EXECUTE', 'WRITE'];

export const ROLES: readonly DemoRole[] = [
  {
    roleId: '1',
    name: 'Administrator',
    permissions: ['ADMIN'],
    active: true,
    builtIn: true,
    access: { Production: ALL_LEVELS, Sandbox: ALL_LEVELS, Development: ALL_LEVELS },
  },
  { roleId: '2', name: 'User', permissions: ['READ'], active: true, builtIn: true, access: { Production: ['READ'] } },
  {
    roleId: '3',
    name: 'Operators',
    permissions: ['READ'],
    active: true,
    builtIn: false,
    access: { Production: ['EXECUTE'], Sandbox: ['WRITE'] },
  },
  { roleId: '4', name: 'Log Viewers', permissions: ['READ'], active: true, builtIn: false, access: { Production: ['VIEW_LOGS'] } },
  {
    roleId: '5',
    name: 'Legacy Admins',
    permissions: ['ADMIN'],
    active: false,
    builtIn: false,
    access: { Production: ALL_LEVELS, Sandbox: ALL_LEVELS, Development: ALL_LEVELS },
  },
  { roleId: '6', name: 'Agent Installers', permissions: ['AGENT_INSTALL'], active: true, builtIn: false, access: {} },
  { roleId: '7', name: 'API Consumers', permissions: ['API_CONSUMER'], active: true, builtIn: false, access: { Production: ['READ'] } },
  {
    roleId: '8',
    name: 'Developers',
    permissions: ['READ', 'APP_DEVELOPER'],
    active: true,
    builtIn: false,
    access: { Development: ['READ', 'EXECUTE', 'WRITE'], Sandbox: ['READ'] },
  },
  {
    roleId: '9',
    name: 'Support',
    permissions: ['READ'],
    active: true,
    builtIn: false,
    access: { Production: ['READ', 'VIEW_LOGS'], Sandbox: ['READ', 'EXECUTE'] },
  },
];

export interface HarmonyPersona {
  email: string;
  firstName: string;
  lastName: string;
  /** Role name → whether the assignment is active. */
  roles: Record<string, boolean>;
}

/** The integration account the gateway logs in with (an organization admin). */
export const INTEGRATION_ACCOUNT: HarmonyPersona = {
  email: 'integration@demo.example',
  firstName: 'Integration',
  lastName: 'Account',
  roles: { Administrator: true },
};

export const HARMONY_PERSONAS: readonly HarmonyPersona[] = [
  { email: 'ada.admin@demo.example', firstName: 'Ada', lastName: 'Admin', roles: { Administrator: true } },
  { email: 'rita.reader@demo.example', firstName: 'Rita', lastName: 'Reader', roles: { User: true } },
  { email: 'omar.operator@demo.example', firstName: 'Omar', lastName: 'Operator', roles: { Operators: true } },
  { email: 'lena.logs@demo.example', firstName: 'Lena', lastName: 'Logs', roles: { 'Log Viewers': true } },
  { email: 'ian.inactive@demo.example', firstName: 'Ian', lastName: 'Inactive', roles: { Administrator: false } },
  { email: 'dora.deactivated@demo.example', firstName: 'Dora', lastName: 'Deactivated', roles: { 'Legacy Admins': true } },
  { email: 'agnes.agent@demo.example', firstName: 'Agnes', lastName: 'Agent', roles: { 'Agent Installers': true } },
  { email: 'carl.consumer@demo.example', firstName: 'Carl', lastName: 'Consumer', roles: { 'API Consumers': true } },
];

/**
 * The APIs published in API Manager, each in one environment: the ones the API groups bundle, and
 * two published on their own, granted to external users one by one (seed 004: "Under APIs, select
 * an environment, then select the APIs").
 */
export interface ApiSpec {
  apiId: string;
  name: string;
  environment: string;
}

export const APIS: readonly ApiSpec[] = [
  { apiId: 'api-devices', name: 'Devices', environment: 'Production' },
  { apiId: 'api-compliance', name: 'Compliance', environment: 'Production' },
  { apiId: 'api-sandbox-devices', name: 'Sandbox devices', environment: 'Sandbox' },
  { apiId: 'api-orders', name: 'Order status', environment: 'Production' },
  { apiId: 'api-device-lookup', name: 'Device lookup', environment: 'Production' },
  { apiId: 'api-lab-devices', name: 'Lab devices', environment: 'Development' },
];

export interface ApiGroupSpec {
  apiGroupId: string;
  name: string;
  environment: string;
  apis: string[];
}

export const API_GROUPS: readonly ApiGroupSpec[] = [
  { apiGroupId: 'ag-1', name: 'device-inventory', environment: 'Production', apis: ['api-devices', 'api-compliance'] },
  { apiGroupId: 'ag-2', name: 'sandbox-inventory', environment: 'Sandbox', apis: ['api-sandbox-devices'] },
  { apiGroupId: 'ag-3', name: 'order-status', environment: 'Production', apis: ['api-orders'] },
];

export interface ExternalPersona {
  email: string;
  name: string;
  company: string;
  status: ExternalStatus;
  /**
   * Expiry as days from "today" in the user's time zone (`-1` = expired yesterday), or null for
   * never.
   */
  expiresInDays: number | null;
  timeZone: string;
  apiGroups: string[];
}

export const EXTERNAL_PERSONAS: readonly ExternalPersona[] = [
  {
    email: 'pat.partner@partner.example',
    name: 'Pat Partner',
    company: 'Partner Example Ltd',
    status: 'ACTIVE',
    expiresInDays: null,
    timeZone: 'America/New_York',
    apiGroups: ['device-inventory'],
  },
  {
    email: 'sam.suspended@partner.example',
    name: 'Sam Suspended',
    company: 'Partner Example Ltd',
    status: 'SUSPENDED',
    expiresInDays: null,
    timeZone: 'Europe/London',
    apiGroups: ['device-inventory'],
  },
  {
    email: 'eve.expired@partner.example',
    name: 'Eve Expired',
    company: 'Partner Example Ltd',
    status: 'ACTIVE',
    expiresInDays: -1,
    timeZone: 'Asia/Tokyo',
    apiGroups: ['device-inventory'],
  },
  {
    email: 'rex.requested@partner.example',
    name: 'Rex Requested',
    company: 'Partner Example Ltd',
    status: 'REQUESTED',
    expiresInDays: 30,
    timeZone: 'Australia/Sydney',
    apiGroups: [],
  },
];

/** Default dataset sizes (docs/interfaces.md: SIM_DEVICES, SIM_UEM_USERS, …). */
export const DEFAULT_SIZES = {
  devices: 2_000,
  uemUsers: 800,
  apps: 60,
  harmonyUsers: 120,
  externalUsers: 40,
  seed: 42,
} as const;

export type DatasetSizes = { -readonly [K in keyof typeof DEFAULT_SIZES]: number };
