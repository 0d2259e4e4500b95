/**
 * What UEM reports per device: its apps with install status and its compliance by policy.
 */
import type { AppInstallStatus, Resolvers } from '../../__generated__/resolvers-types.js';
import { toCompliance } from './device-enums.js';

const INSTALL_STATUS: Record<string, AppInstallStatus> = {
  installed: 'INSTALLED',
  pending: 'PENDING',
  failed: 'FAILED',
  notinstalled: 'NOT_INSTALLED',
};

export const toInstallStatus = (v: string | null): AppInstallStatus => INSTALL_STATUS[(v ?? '').toLowerCase()] ?? 'UNKNOWN';

export const deviceDetailsResolvers: Resolvers = {
  DeviceApp: {
    name: (a) => a.name,
    version: (a) => a.version,
    status: (a) => toInstallStatus(a.status),
    bundleId: (a) => a.bundleId,
    managed: (a) => a.managed ?? false,
    installedOn: (a) => a.installedOn,
    app: (a, _args, ctx) => (a.appUuid ? ctx.loaders.uem.appByUuid(a.appUuid) : null),
  },
  DeviceCompliance: {
    status: (c) => toCompliance(c.overallStatus),
    compromised: (c) => c.compromised,
    policies: (c, { compliant }) => (compliant === null || compliant === undefined ? c.policies : c.policies.filter((p) => p.compliant === compliant)),
  },
  CompliancePolicy: {
    id: (p) => (p.policyId === null ? null : String(p.policyId)),
    name: (p) => p.policyName,
    detail: (p) => p.policyDetail,
    compliant: (p) => p.compliant,
    lastCheck: (p) => p.lastCheck,
    nextCheck: (p) => p.nextCheck,
    actionsTaken: (p) => p.actionsTaken,
  },
};
