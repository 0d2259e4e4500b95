/**
 * DeviceFilter → UEM's own search parameters. Every filter here costs no extra upstream request.
 */
import type { DeviceFilter } from '../../__generated__/resolvers-types.js';
import type { UemDeviceFilter } from '../../datasources/uem/uem.devices.js';
import { badInput } from '../../errors.js';
import { complianceParam, ownershipParam, platformParam } from './device-enums.js';

function instant(value: string, argument: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw badInput(`"${argument}" must be an ISO 8601 date and time.`, { argument });
  return new Date(ms).toISOString();
}

export function toUemDeviceFilter(filter: DeviceFilter | null | undefined): UemDeviceFilter {
  const out: UemDeviceFilter = {};
  if (!filter) return out;
  if (filter.platform) {
    if (filter.platform === 'OTHER') throw badInput('"platform: OTHER" cannot be filtered on; name a platform.', { argument: 'filter.platform' });
    out.platform = platformParam(filter.platform);
  }
  if (filter.model) out.model = filter.model;
  if (filter.ownership) out.ownership = ownershipParam(filter.ownership);
  if (filter.complianceStatus) out.complianceStatus = complianceParam(filter.complianceStatus);
  if (filter.userName) out.userName = filter.userName;
  if (filter.organizationGroupId) {
    const id = Number(filter.organizationGroupId);
    if (!Number.isInteger(id) || id <= 0) throw badInput('"organizationGroupId" must be a UEM group id.', { argument: 'filter.organizationGroupId' });
    out.organizationGroupId = id;
  }
  if (filter.lastSeenAfter) out.seenSince = instant(filter.lastSeenAfter, 'filter.lastSeenAfter');
  if (filter.lastSeenBefore) out.seenUntil = instant(filter.lastSeenBefore, 'filter.lastSeenBefore');
  return out;
}
