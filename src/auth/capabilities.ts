/**
 * The permission matrix of docs/design.md §4 as one declarative table. The graphql-shield rules are
 * generated from it (permissions.ts), the README prints it, and the persona suite tests it. A
 * capability is either global, or scoped to the environment of the object it is checked against.
 */
import type { GraphQLError } from 'graphql';
import { forbidden } from '../errors.js';
import { hasAccess, environmentsWith, type AccessLevel, type Principal } from './principal.js';

export interface Capability {
  /** Who holds it, in the README's words. */
  who: string;
  /** What it allows. */
  what: string;
  /** `environment`: checked against the environment of each object (a device, a group). */
  scope: 'global' | 'environment';
  /** Whether the principal holds it (in `envId`, for environment-scoped capabilities). */
  holds(principal: Principal, envId?: string): boolean;
}

const isHarmonyUser = (p: Principal) => p.kind === 'HARMONY_USER';
const reads = (p: Principal) => isHarmonyUser(p) && (p.isAdmin || p.permissions.has('READ'));
/**
 * External users hold READ only for the request of a trusted document of their API group (or API),
 * with access in that group's (API's) environment alone (src/documents/scope.ts); never free text or
 * Harmony.
 */
const readsInventory = (p: Principal) => reads(p) || (p.kind === 'EXTERNAL_USER' && p.permissions.has('READ'));
const inEnv = (levels: AccessLevel[]) => (p: Principal, envId?: string) =>
  isHarmonyUser(p) && (p.isAdmin || (envId !== undefined && hasAccess(p, envId, levels)));

/** Levels that let a non-admin read UEM objects of an environment. */
export const INVENTORY_READ_LEVELS: AccessLevel[] = ['READ', 'EXECUTE', 'WRITE'];

export const capabilities = {
  viewer: {
    who: 'any authenticated principal',
    what: 'ask who am I and what I may do (`viewer`)',
    scope: 'global',
    holds: () => true,
  },
  readInventory: {
    who: 'READ or ADMIN; non-admins only in environments where they have READ, EXECUTE or WRITE',
    what: 'read UEM inventory (devices, UEM users, apps, groups, tags, compliance)',
    scope: 'environment',
    holds: (p, envId) =>
      readsInventory(p) && (p.isAdmin || envId === undefined || hasAccess(p, envId, INVENTORY_READ_LEVELS)),
  },
  readSensitiveIdentifiers: {
    who: 'ADMIN only (others get null with FORBIDDEN for the field)',
    what: "read IMEI, phone numbers (a device's, an enrollment user's) and MAC address",
    scope: 'global',
    holds: (p) => isHarmonyUser(p) && p.isAdmin,
  },
  /*
   * ENABLE_DEVICE_ENCRYPTION and INSTALL_OS_UPDATE (issue 18) sit here, at EXECUTE, as the guide runs
   * them: compliance remediation an operator sends to non-compliant devices. They change the device,
   * but towards its policy, and take nothing from its user (no data, unlike wipes; no access, unlike
   * LOCK and CLEAR_PASSCODE, which stay at WRITE). Being state changes, they are never resent blindly
   * after an interruption (device-command.send.ts, DESTRUCTIVE).
   */
  sendNonDestructiveCommand: {
    who: "ADMIN, or EXECUTE or WRITE access in the device's environment",
    what: 'send SYNC and QUERY, and the remediation commands ENABLE_DEVICE_ENCRYPTION and INSTALL_OS_UPDATE',
    scope: 'environment',
    holds: inEnv(['EXECUTE', 'WRITE']),
  },
  sendStateChangingCommand: {
    who: "ADMIN, or WRITE access in the device's environment (for a new tag, its organization group's)",
    what: 'send LOCK and CLEAR_PASSCODE, add and remove tags, create tags',
    scope: 'environment',
    holds: inEnv(['WRITE']),
  },
  wipeDevice: {
    who: 'ADMIN only, with the typed confirmation WIPE',
    what: 'send ENTERPRISE_WIPE and DEVICE_WIPE',
    scope: 'global',
    holds: (p) => isHarmonyUser(p) && p.isAdmin,
  },
  provisionUemUsers: {
    who: "ADMIN, or WRITE access in the environment of the user's organization group",
    what: 'create, update, activate and deactivate enrollment users; add and remove user group members',
    scope: 'environment',
    holds: inEnv(['WRITE']),
  },
  deployApps: {
    who: 'ADMIN, or WRITE access in the environment of every device affected',
    what: 'assign and unassign apps to smart groups, retry failed installs',
    scope: 'environment',
    holds: inEnv(['WRITE']),
  },
  readHarmony: {
    who: 'ADMIN, or an active role with EXECUTE or VIEW_LOGS access in some environment',
    what: 'read Harmony users, roles, environment access, external users, API groups',
    scope: 'global',
    holds: (p) => isHarmonyUser(p) && (p.isAdmin || environmentsWith(p, ['EXECUTE', 'VIEW_LOGS']).length > 0),
  },
  writeHarmony: {
    who: "ADMIN, while the organization's subscription is not expired",
    what: 'change anything on the Harmony side',
    scope: 'global',
    holds: (p) => isHarmonyUser(p) && p.isAdmin && !p.subscriptionExpired,
  },
  runPartnerDocuments: {
    who: "ACTIVE, unexpired external users (documents of their API groups, and of the APIs granted to them); Harmony users with API_CONSUMER and READ access in the group's or the API's environment",
    what: 'run persisted partner operations',
    scope: 'environment',
    holds: (p, envId) =>
      p.kind === 'EXTERNAL_USER'
        ? envId === undefined
          ? p.partnerEnvironmentIds.length > 0
          : p.partnerEnvironmentIds.includes(envId)
        : p.permissions.has('API_CONSUMER') && envId !== undefined && hasAccess(p, envId, ['READ']),
  },
  sendFreeText: {
    who: 'Harmony users with READ or ADMIN in an active role; nobody else, external users included (PERSISTED_QUERY_REQUIRED)',
    what: 'send free-text (ad-hoc) documents',
    scope: 'global',
    holds: reads,
  },
  administerGateway: {
    who: 'ADMIN',
    what: 'register persisted documents, create and revoke API keys, read the audit log',
    scope: 'global',
    holds: (p) => isHarmonyUser(p) && p.isAdmin,
  },
} as const satisfies Record<string, Capability>;

export type CapabilityName = keyof typeof capabilities;

export function holds(principal: Principal, capability: CapabilityName, envId?: string): boolean {
  return (capabilities[capability] as Capability).holds(principal, envId);
}

/** The FORBIDDEN error of a caller who lacks a capability (the permission layer's, and the subgraph's entity checks). */
export function missingCapability(capability: CapabilityName): GraphQLError {
  return forbidden(`This needs the capability "${capability}": ${capabilities[capability].who}.`, { capability });
}
