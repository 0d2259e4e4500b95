/**
 * The UEM simulator's in-memory records. They hold raw values (epoch milliseconds, numbers, sets);
 * `uem.shapes.ts` turns them into the v1 wire shapes of `docs/upstreams/uem.md`.
 */

export type UemPlatform = 'Apple' | 'Android' | 'WinRT' | 'AppleOsX' | 'ChromeOS';
export type Ownership = 'C' | 'E' | 'S' | 'Undefined';
export type EnrollmentStatus = 'Enrolled' | 'EnterpriseWipePending' | 'DeviceWipePending' | 'Unenrolled';
export type ComplianceStatus = 'Compliant' | 'NonCompliant';
export type InstallStatus = 'Installed' | 'Pending' | 'Failed';
export type PushMode = 'Auto' | 'OnDemand';

/** The device commands of the v1 command routes, with their canonical spelling. */
export const DEVICE_COMMANDS = [
  'SyncDevice',
  'DeviceQuery',
  'Lock',
  'ClearPasscode',
  'EnterpriseWipe',
  'DeviceWipe',
  'EnableDeviceEncryption',
  'InstallOSUpdate',
] as const;
export type DeviceCommand = (typeof DEVICE_COMMANDS)[number];

export interface UemOrgGroup {
  id: number;
  uuid: string;
  name: string;
  groupId: string;
  type: 'Customer' | 'Container';
  parentId: number | null;
  createdOn: number;
  country: string;
  locale: string;
}

export interface UemUser {
  id: number;
  uuid: string;
  userName: string;
  firstName: string;
  lastName: string;
  /** As UEM spells it (may be mixed case). */
  email: string;
  status: boolean;
  securityType: 'Basic' | 'Directory';
  contactNumber: string;
  mobileNumber: string;
  displayName: string;
  locationGroupId: number;
  department: string;
  /** Only for Basic users created through `adduser`; never sent back. */
  password?: string;
}

export interface UemDevice {
  id: number;
  uuid: string;
  udid: string;
  serialNumber: string;
  macAddress: string;
  imei: string;
  assetNumber: string;
  friendlyName: string;
  locationGroupId: number;
  userId: number;
  ownership: Ownership;
  platform: UemPlatform;
  model: string;
  operatingSystem: string;
  phoneNumber: string;
  lastSeen: number;
  enrollmentStatus: EnrollmentStatus;
  complianceStatus: ComplianceStatus;
  compromised: boolean;
  lastEnrolledOn: number;
  lastComplianceCheckOn: number;
  /** Ids of the compliance policies this device fails; empty exactly when it is Compliant. */
  failingPolicies: number[];
}

export interface CompliancePolicy {
  id: number;
  name: string;
  detail: string;
  platforms: readonly UemPlatform[];
}

export interface UemApp {
  id: number;
  uuid: string;
  name: string;
  bundleId: string;
  platform: UemPlatform;
  version: string;
  status: 'Active' | 'Retired';
  category: string;
  sizeKb: number;
  locationGroupId: number;
  /** Smart group id → assignment. */
  assignments: Map<number, { pushMode: PushMode; assignedAt: number }>;
}

/** One app on one device. A Pending install with `resolveAt` settles lazily when read. */
export interface DeviceAppInstall {
  appId: number;
  status: InstallStatus;
  version: string;
  updatedAt: number;
  attempts: number;
  resolveAt?: number;
  outcome?: 'Installed' | 'Failed';
}

export interface UemSmartGroup {
  id: number;
  uuid: string;
  name: string;
  /** Human-readable criteria, e.g. `Platform = Apple`. */
  criteria: string;
  managedBy: number;
  deviceIds: number[];
}

export interface UemTag {
  id: number;
  uuid: string;
  name: string;
  tagType: 'Device';
  locationGroupId: number;
  /** Device id → when it was tagged (epoch ms). */
  members: Map<number, number>;
}

export interface UemUserGroup {
  id: number;
  uuid: string;
  name: string;
  description: string;
  locationGroupId: number;
  members: Set<number>;
}

/** A command UEM accepted for a device; its status follows from the clock (uem.command-queue.ts). */
export interface CommandRecord {
  /** UEM's CommandUuid. */
  uuid: string;
  deviceId: number;
  command: DeviceCommand;
  /** Queued at (accepted by the API). */
  at: number;
  via: 'single' | 'bulk';
  /** When the device picks the command up (Queued until then). */
  sentAt: number;
  /** When the device reports back (Sent until then), with `outcome`. */
  doneAt: number;
  outcome: 'Completed' | 'Failed';
}

export interface UemDataset {
  generatedAt: number;
  orgGroups: UemOrgGroup[];
  users: UemUser[];
  devices: UemDevice[];
  apps: UemApp[];
  /** Device id → its managed apps. */
  installs: Map<number, DeviceAppInstall[]>;
  smartGroups: UemSmartGroup[];
  tags: UemTag[];
  userGroups: UemUserGroup[];
}
