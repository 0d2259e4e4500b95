/**
 * `deviceSummary`: device counts grouped by up to six dimensions, from one read of every matching
 * device (the device scan: one UEM request per 500 devices, cached briefly and shared with other
 * requests and with `UemUser.devices`), so a dashboard refreshing its summaries costs UEM nothing
 * while the scan is fresh. Grouping 2,000 devices in memory takes well under a millisecond.
 */
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
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import type { OrganizationGroup } from '../uem.mappers.js';
import { environmentRefs } from '../uem-catalog/group-environment.js';
import { toCompliance, toEnrollment, toOwnership, toPlatform } from './device-enums.js';
import { matchingDevices } from './device-search.service.js';

export interface SummaryBucket {
  count: number;
  platform: DevicePlatform | null;
  complianceStatus: ComplianceStatus | null;
  ownership: DeviceOwnership | null;
  environment: EnvironmentRef | null;
  organizationGroup: OrganizationGroup | null;
  enrollmentStatus: EnrollmentStatus | null;
}

export async function deviceSummary(
  ctx: GraphQLContext,
  filter: DeviceFilter | null | undefined,
  groupBy: readonly DeviceSummaryDimension[],
): Promise<{ totalCount: number; buckets: SummaryBucket[] }> {
  const dims = new Set(groupBy);
  const [devices, envs] = await Promise.all([matchingDevices(ctx, filter), dims.has('ENVIRONMENT') ? environmentRefs(ctx) : []]);
  const buckets = new Map<string, SummaryBucket>();
  for (const d of devices) {
    const bucket = bucketOf(ctx, d, dims, envs);
    const key = JSON.stringify([bucket.platform, bucket.complianceStatus, bucket.ownership, bucket.environment?.id, bucket.organizationGroup?.id, bucket.enrollmentStatus]);
    const existing = buckets.get(key);
    if (existing) existing.count++;
    else buckets.set(key, bucket);
  }
  // Largest first; ties in a stable order (the bucket keys), so equal queries answer equal lists.
  const sorted = [...buckets].sort(([ka, a], [kb, b]) => b.count - a.count || ka.localeCompare(kb)).map(([, b]) => b);
  return { totalCount: devices.length, buckets: devices.length === 0 && dims.size === 0 ? [] : sorted };
}

function bucketOf(ctx: GraphQLContext, d: UemDevice, dims: ReadonlySet<DeviceSummaryDimension>, envs: readonly EnvironmentRef[]): SummaryBucket {
  return {
    count: 1,
    platform: dims.has('PLATFORM') ? toPlatform(d.platform) : null,
    complianceStatus: dims.has('COMPLIANCE_STATUS') ? toCompliance(d.complianceStatus) : null,
    ownership: dims.has('OWNERSHIP') ? toOwnership(d.ownership) : null,
    environment: dims.has('ENVIRONMENT') ? ctx.services.environmentMap.environmentOf(d.organizationGroupName, envs) : null,
    organizationGroup:
      dims.has('ORGANIZATION_GROUP') && d.organizationGroupId !== null
        ? { id: d.organizationGroupId, name: d.organizationGroupName, uuid: d.organizationGroupUuid }
        : null,
    enrollmentStatus: dims.has('ENROLLMENT_STATUS') ? toEnrollment(d.enrollmentStatus) : null,
  };
}
