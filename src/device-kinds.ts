/**
 * UEM's wire spellings of a device's platform, ownership, enrollment and compliance, and the kinds
 * the gateway names them by: the graph's enums (src/resolvers/devices/device-enums.ts types the
 * readers as such, so a kind the graph lacks does not compile). Unknown wire values fall back to a
 * neutral kind (OTHER, UNDEFINED, ...) rather than failing a field.
 */

export type PlatformKind = 'APPLE' | 'ANDROID' | 'WINDOWS' | 'MACOS' | 'OTHER';
export type OwnershipKind = 'CORPORATE' | 'EMPLOYEE' | 'SHARED' | 'UNDEFINED';
export type EnrollmentKind = 'ENROLLED' | 'ENTERPRISE_WIPE_PENDING' | 'DEVICE_WIPE_PENDING' | 'UNENROLLED';
export type ComplianceKind = 'COMPLIANT' | 'NON_COMPLIANT';

export const PLATFORMS: Readonly<Record<Exclude<PlatformKind, 'OTHER'>, string>> = {
  APPLE: 'Apple',
  ANDROID: 'Android',
  WINDOWS: 'WinRT',
  MACOS: 'AppleOsX',
};
export const OWNERSHIP: Readonly<Record<OwnershipKind, string>> = { CORPORATE: 'C', EMPLOYEE: 'E', SHARED: 'S', UNDEFINED: 'Undefined' };
export const ENROLLMENT: Readonly<Record<EnrollmentKind, string>> = {
  ENROLLED: 'Enrolled',
  ENTERPRISE_WIPE_PENDING: 'EnterpriseWipePending',
  DEVICE_WIPE_PENDING: 'DeviceWipePending',
  UNENROLLED: 'Unenrolled',
};
export const COMPLIANCE: Readonly<Record<ComplianceKind, 'Compliant' | 'NonCompliant'>> = { COMPLIANT: 'Compliant', NON_COMPLIANT: 'NonCompliant' };

/**
 * Wire value → kind, any case. UEM's own spelling is looked up as it comes (no lower-cased copy of
 * each value); any other case falls back to lower case.
 */
function reader<K extends string, F extends string>(map: Readonly<Record<K, string>>, fallback: F): (v: string | null | undefined) => K | F {
  const exact = new Map(Object.entries(map).map(([k, v]) => [v as string, k as K]));
  const lower = new Map(Object.entries(map).map(([k, v]) => [(v as string).toLowerCase(), k as K]));
  return (v) => (v === null || v === undefined ? fallback : (exact.get(v) ?? lower.get(v.toLowerCase()) ?? fallback));
}

export const platformKind: (v: string | null | undefined) => PlatformKind = reader(PLATFORMS, 'OTHER');
export const ownershipKind: (v: string | null | undefined) => OwnershipKind = reader(OWNERSHIP, 'UNDEFINED');
export const enrollmentKind: (v: string | null | undefined) => EnrollmentKind = reader(ENROLLMENT, 'UNENROLLED');
export const complianceKind: (v: string | null | undefined) => ComplianceKind = reader(COMPLIANCE, 'NON_COMPLIANT');
