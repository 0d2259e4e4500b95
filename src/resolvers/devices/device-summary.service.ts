/**
 * `deviceSummary`: device counts grouped by up to six dimensions, from the device snapshot in the
 * store (its in-memory index: no upstream request, a dashboard polling summaries costs UEM nothing)
 * or, when no snapshot serves, one read of every matching device (one UEM request per 500, cached
 * briefly). Grouping is in memory, a few milliseconds for 200,000 devices.
 */
import type { EnvironmentLookup } from '../../auth/access/core.js';
import type { EnvironmentRef } from '../../auth/principal.js';
import type {
  ComplianceStatus,
  DeviceFilter,
  DeviceOwnership,
  DevicePlatform,
  DeviceSummaryDimension,
  EnrollmentStatus,
} from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { IndexedDevice, SummaryColumn } from '../../tenant/device-index.js';
import type { OrganizationGroup } from '../uem.mappers.js';
import { toCompliance, toEnrollment, toOwnership, toPlatform } from './device-enums.js';
import { matchingGroups } from './device-search.service.js';

export interface SummaryBucket {
  count: number;
  platform: DevicePlatform | null;
  complianceStatus: ComplianceStatus | null;
  ownership: DeviceOwnership | null;
  environment: EnvironmentRef | null;
  organizationGroup: OrganizationGroup | null;
  enrollmentStatus: EnrollmentStatus | null;
}

const noEnvironment: EnvironmentLookup = () => null;

export async function deviceSummary(
  ctx: GraphQLContext,
  filter: DeviceFilter | null | undefined,
  groupBy: readonly DeviceSummaryDimension[],
): Promise<{ totalCount: number; buckets: SummaryBucket[] }> {
  const dims = new Set(groupBy);
  const [groups, environmentOf] = await Promise.all([matchingGroups(ctx, filter, columnsOf(dims)), dims.has('ENVIRONMENT') ? ctx.access.environmentLookup() : noEnvironment]);
  const buckets = new Map<string, SummaryBucket>();
  let totalCount = 0;
  for (const { device, count } of groups) {
    totalCount += count;
    const bucket = bucketOf(device, dims, environmentOf);
    const key = JSON.stringify([bucket.platform, bucket.complianceStatus, bucket.ownership, bucket.environment?.id, bucket.organizationGroup?.id, bucket.enrollmentStatus]);
    const existing = buckets.get(key);
    if (existing) existing.count += count;
    else buckets.set(key, { ...bucket, count });
  }
  // Largest first; ties in a stable order (the bucket keys), so equal queries answer equal lists.
  const sorted = [...buckets].sort(([ka, a], [kb, b]) => b.count - a.count || ka.localeCompare(kb)).map(([, b]) => b);
  return { totalCount, buckets: totalCount === 0 && dims.size === 0 ? [] : sorted };
}

/** The index columns a grouping needs (environments and groups both come from the group). */
function columnsOf(dims: ReadonlySet<DeviceSummaryDimension>): SummaryColumn[] {
  const columns: SummaryColumn[] = [];
  if (dims.has('PLATFORM')) columns.push('platform');
  if (dims.has('COMPLIANCE_STATUS')) columns.push('complianceStatus');
  if (dims.has('OWNERSHIP')) columns.push('ownership');
  if (dims.has('ENROLLMENT_STATUS')) columns.push('enrollmentStatus');
  if (dims.has('ENVIRONMENT') || dims.has('ORGANIZATION_GROUP')) columns.push('organizationGroup');
  return columns;
}

function bucketOf(d: IndexedDevice, dims: ReadonlySet<DeviceSummaryDimension>, environmentOf: EnvironmentLookup): SummaryBucket {
  return {
    count: 1,
    platform: dims.has('PLATFORM') ? toPlatform(d.uemPlatform) : null,
    complianceStatus: dims.has('COMPLIANCE_STATUS') ? toCompliance(d.uemComplianceStatus) : null,
    ownership: dims.has('OWNERSHIP') ? toOwnership(d.uemOwnership) : null,
    environment: dims.has('ENVIRONMENT') ? environmentOf(d.organizationGroupName) : null,
    organizationGroup:
      dims.has('ORGANIZATION_GROUP') && d.organizationGroupId !== null
        ? { id: d.organizationGroupId, name: d.organizationGroupName, uuid: d.organizationGroupUuid }
        : null,
    enrollmentStatus: dims.has('ENROLLMENT_STATUS') ? toEnrollment(d.uemEnrollmentStatus) : null,
  };
}
