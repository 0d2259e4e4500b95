/**
 * The ready-made reports: the three CSV reports the UEM practitioners' guide builds by hand with
 * scripts, as trusted documents registered at start-up (client `gateway-reports`, no API group:
 * Harmony users run them with their own access; an admin may register the same text under a
 * partner's API group). Each has a stable name for `GET /export?report=<name>` and a stable
 * operation name; its `documentId` (the sha256 of the text) works with `/graphql` too and changes
 * only when the text does.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';

export interface ReportDefinition {
  /** The name for `/export?report=`. */
  name: string;
  operationName: string;
  title: string;
  body: string;
  /** sha256 hex of `body` (the documentId). */
  hash: string;
  /** The connection the export pages through. */
  path: string[];
  /** The list exploded into rows, if any. */
  explode?: string[];
}

const NON_COMPLIANT_DEVICES = `query NonCompliantDevicesReport($environment: String, $platform: DevicePlatform, $organizationGroupId: ID, $first: Int = 50, $after: String) {
  devices(filter: { complianceStatus: NON_COMPLIANT, environment: $environment, platform: $platform, organizationGroupId: $organizationGroupId }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      serialNumber
      friendlyName
      platform
      model
      osVersion
      ownership
      lastSeen
      lastComplianceCheck
      compromised
      user { userName email }
      organizationGroup { name }
      environment { name }
      compliance {
        status
        failingPolicies: policies(compliant: false) { name detail lastCheck actionsTaken }
      }
    }
  }
}
`;

/** The root fields of issue 11's provisioning mutations, as the audit trail records them. */
export const PROVISIONING_FIELDS = ['provisionUemUsers', 'createUemUser', 'updateUemUser', 'setUemUserStatus', 'addUsersToUserGroup', 'removeUsersFromUserGroup'];

const PROVISIONING_RESULTS = `query ProvisioningResultsReport($from: DateTime, $to: DateTime, $principalEmail: String, $first: Int = 100, $after: String) {
  auditEvents(filter: { fields: ${JSON.stringify(PROVISIONING_FIELDS)}, from: $from, to: $to, principalEmail: $principalEmail }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      at
      field
      outcome
      errorCodes
      principalEmail
      operationName
      requestId
      targets { type id label }
      details
    }
  }
}
`;

const APP_DEPLOYMENT_STATUS = `query AppDeploymentStatusReport($name: String, $platform: DevicePlatform, $first: Int = 50, $after: String) {
  apps(filter: { name: $name, platform: $platform }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      bundleId
      version
      platform
      status
      smartGroups { id name deviceCount }
      installSummary { assigned installed notInstalled }
    }
  }
}
`;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const define = (report: Omit<ReportDefinition, 'hash'>): ReportDefinition => ({ ...report, hash: sha256(report.body) });

export const REPORTS: readonly ReportDefinition[] = [
  define({
    name: 'non-compliant-devices',
    operationName: 'NonCompliantDevicesReport',
    title: 'Non-compliant devices with their failing policies',
    body: NON_COMPLIANT_DEVICES,
    path: ['devices'],
  }),
  define({
    name: 'provisioning-results',
    operationName: 'ProvisioningResultsReport',
    title: 'Provisioning results from the audit trail (ADMIN)',
    body: PROVISIONING_RESULTS,
    path: ['auditEvents'],
  }),
  define({
    name: 'app-deployment-status',
    operationName: 'AppDeploymentStatusReport',
    title: 'App deployment status per app and smart group',
    body: APP_DEPLOYMENT_STATUS,
    path: ['apps'],
    explode: ['smartGroups'],
  }),
];

export class ReportCatalog {
  constructor(private readonly reports: readonly ReportDefinition[] = REPORTS) {}

  /** By name or operation name, any case. */
  byName(name: string): ReportDefinition | undefined {
    const wanted = name.trim().toLowerCase();
    return this.reports.find((r) => r.name === wanted || r.operationName.toLowerCase() === wanted);
  }

  byHash(hash: string): ReportDefinition | undefined {
    return this.reports.find((r) => r.hash === hash);
  }

  names(): string[] {
    return this.reports.map((r) => r.name);
  }

  all(): readonly ReportDefinition[] {
    return this.reports;
  }
}

/** The part of the document registry start-up registration needs (src/documents/registry.ts). */
export interface ReportRegistry {
  trusted(hash: string): Promise<unknown>;
  register(manifest: unknown, options: { clientName: string; apiGroup?: string | null; createdBy: string }): Promise<{ created: string[] }>;
}

export const REPORTS_CLIENT = 'gateway-reports';

/**
 * Registers the reports not registered yet. A report already registered (by an earlier start, or
 * by an admin under an API group) is left as it is, so a start never moves it out of its group.
 */
export async function registerReports(registry: ReportRegistry, logger: Logger, reports: readonly ReportDefinition[] = REPORTS): Promise<void> {
  const missing: ReportDefinition[] = [];
  for (const report of reports) if (!(await registry.trusted(report.hash))) missing.push(report);
  if (missing.length === 0) return;
  const manifest = Object.fromEntries(missing.map((r) => [r.hash, r.body]));
  const result = await registry.register(manifest, { clientName: REPORTS_CLIENT, apiGroup: null, createdBy: 'gateway start-up' });
  logger.info({ reports: missing.map((r) => r.name), created: result.created.length }, 'ready-made report documents registered');
}
