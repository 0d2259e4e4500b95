/**
 * Between UEM's wire spellings and the graph's enums. Unknown upstream values fall back to a
 * neutral member (OTHER, UNDEFINED) rather than failing the field.
 */
import type {
  ComplianceStatus,
  DeviceOwnership,
  DevicePlatform,
  EnrollmentStatus,
} from '../../__generated__/resolvers-types.js';

const PLATFORMS: Record<Exclude<DevicePlatform, 'OTHER'>, string> = {
  APPLE: 'Apple',
  ANDROID: 'Android',
  WINDOWS: 'WinRT',
  MACOS: 'AppleOsX',
};
const OWNERSHIP: Record<DeviceOwnership, string> = { CORPORATE: 'C', EMPLOYEE: 'E', SHARED: 'S', UNDEFINED: 'Undefined' };
const ENROLLMENT: Record<EnrollmentStatus, string> = {
  ENROLLED: 'Enrolled',
  ENTERPRISE_WIPE_PENDING: 'EnterpriseWipePending',
  DEVICE_WIPE_PENDING: 'DeviceWipePending',
  UNENROLLED: 'Unenrolled',
};
const COMPLIANCE: Record<ComplianceStatus, 'Compliant' | 'NonCompliant'> = { COMPLIANT: 'Compliant', NON_COMPLIANT: 'NonCompliant' };

/**
 * Wire value → enum member, any case. UEM's own spelling is looked up as it comes (four lookups per
 * device of a list: no lower-cased copy of each value); any other case falls back to lower case.
 */
function reader<K extends string, F extends string>(map: Record<K, string>, fallback: F): (v: string | null | undefined) => K | F {
  const exact = new Map(Object.entries(map).map(([k, v]) => [v as string, k as K]));
  const lower = new Map(Object.entries(map).map(([k, v]) => [(v as string).toLowerCase(), k as K]));
  return (v) => (v === null || v === undefined ? fallback : (exact.get(v) ?? lower.get(v.toLowerCase()) ?? fallback));
}

export const toPlatform: (v: string | null | undefined) => DevicePlatform = reader(PLATFORMS, 'OTHER');
export const toOwnership: (v: string | null | undefined) => DeviceOwnership = reader(OWNERSHIP, 'UNDEFINED');
export const toEnrollment: (v: string | null | undefined) => EnrollmentStatus = reader(ENROLLMENT, 'UNENROLLED');
export const toCompliance: (v: string | null | undefined) => ComplianceStatus = reader(COMPLIANCE, 'NON_COMPLIANT');

export const platformParam = (p: Exclude<DevicePlatform, 'OTHER'>): string => PLATFORMS[p];
export const ownershipParam = (o: DeviceOwnership): string => OWNERSHIP[o];
export const complianceParam = (c: ComplianceStatus): 'Compliant' | 'NonCompliant' => COMPLIANCE[c];
