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

function reverse<K extends string>(map: Record<K, string>): Map<string, K> {
  return new Map(Object.entries(map).map(([k, v]) => [(v as string).toLowerCase(), k as K]));
}
const platformOf = reverse(PLATFORMS);
const ownershipOf = reverse(OWNERSHIP);
const enrollmentOf = reverse(ENROLLMENT);
const complianceOf = reverse(COMPLIANCE);

export const toPlatform = (v: string | null): DevicePlatform => platformOf.get((v ?? '').toLowerCase()) ?? 'OTHER';
export const toOwnership = (v: string | null): DeviceOwnership => ownershipOf.get((v ?? '').toLowerCase()) ?? 'UNDEFINED';
export const toEnrollment = (v: string | null): EnrollmentStatus => enrollmentOf.get((v ?? '').toLowerCase()) ?? 'UNENROLLED';
export const toCompliance = (v: string | null): ComplianceStatus => complianceOf.get((v ?? '').toLowerCase()) ?? 'NON_COMPLIANT';

export const platformParam = (p: Exclude<DevicePlatform, 'OTHER'>): string => PLATFORMS[p];
export const ownershipParam = (o: DeviceOwnership): string => OWNERSHIP[o];
export const complianceParam = (c: ComplianceStatus): 'Compliant' | 'NonCompliant' => COMPLIANCE[c];
