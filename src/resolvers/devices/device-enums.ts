/**
 * Between UEM's wire spellings and the graph's enums: the kinds of src/device-kinds.ts,
 * typed as the graph's enums (the assignments below fail to compile if a kind is not a member of its
 * enum). Unknown upstream values fall back to a neutral member (OTHER, UNDEFINED) rather than failing
 * the field.
 */
import type { ComplianceStatus, DeviceOwnership, DevicePlatform, EnrollmentStatus } from '../../__generated__/resolvers-types.js';
import * as kinds from '../../device-kinds.js';

export const toPlatform: (v: string | null | undefined) => DevicePlatform = kinds.platformKind;
export const toOwnership: (v: string | null | undefined) => DeviceOwnership = kinds.ownershipKind;
export const toEnrollment: (v: string | null | undefined) => EnrollmentStatus = kinds.enrollmentKind;
export const toCompliance: (v: string | null | undefined) => ComplianceStatus = kinds.complianceKind;

export const platformParam = (p: Exclude<DevicePlatform, 'OTHER'>): string => kinds.PLATFORMS[p];
export const ownershipParam = (o: DeviceOwnership): string => kinds.OWNERSHIP[o];
export const complianceParam = (c: ComplianceStatus): 'Compliant' | 'NonCompliant' => kinds.COMPLIANCE[c];
