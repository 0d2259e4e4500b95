/**
 * Fixed reference lists the seeded UEM tenant is built from: hardware per platform, compliance
 * policies, tags, smart groups, user groups and the app catalog's names.
 */
import type { CompliancePolicy, Ownership, UemPlatform } from './uem.types.js';

export interface HardwareSpec {
  model: string;
  /** A phone has an IMEI and often a phone number. */
  phone: boolean;
}

export interface PlatformSpec {
  platform: UemPlatform;
  weight: number;
  hardware: readonly HardwareSpec[];
  osVersions: readonly string[];
}

export const PLATFORMS: readonly PlatformSpec[] = [
  {
    platform: 'Apple',
    weight: 38,
    hardware: [
      { model: 'iPhone 13', phone: true },
      { model: 'iPhone 14', phone: true },
      { model: 'iPhone 15 Pro', phone: true },
      { model: 'iPad Air', phone: false },
      { model: 'iPad Pro 11', phone: false },
    ],
    osVersions: ['16.7.8', '17.4.1', '17.5.1', '17.6.1', '18.0.1'],
  },
  {
    platform: 'Android',
    weight: 30,
    hardware: [
      { model: 'Pixel 7', phone: true },
      { model: 'Pixel 8', phone: true },
      { model: 'Galaxy S23', phone: true },
      { model: 'Galaxy Tab S8', phone: false },
      { model: 'Zebra TC52', phone: true },
    ],
    osVersions: ['12.0.0', '13.0.0', '14.0.0'],
  },
  {
    platform: 'WinRT',
    weight: 17,
    hardware: [
      { model: 'Surface Pro 9', phone: false },
      { model: 'Latitude 7430', phone: false },
      { model: 'ThinkPad X1 Carbon', phone: false },
    ],
    osVersions: ['10.0.19045', '10.0.22631'],
  },
  {
    platform: 'AppleOsX',
    weight: 12,
    hardware: [
      { model: 'MacBook Pro (14-inch)', phone: false },
      { model: 'MacBook Air (M2)', phone: false },
      { model: 'iMac (24-inch)', phone: false },
    ],
    osVersions: ['13.6.7', '14.5.0', '14.6.1'],
  },
  {
    platform: 'ChromeOS',
    weight: 3,
    hardware: [{ model: 'Chromebook Plus', phone: false }],
    osVersions: ['126.0.6478'],
  },
];

export const OWNERSHIP_WEIGHTS: readonly (readonly [Ownership, number])[] = [
  ['C', 55],
  ['E', 30],
  ['S', 10],
  ['Undefined', 5],
];

const ALL: readonly UemPlatform[] = ['Apple', 'Android', 'WinRT', 'AppleOsX', 'ChromeOS'];
const MOBILE: readonly UemPlatform[] = ['Apple', 'Android'];

/** The compromised-status policy is failed exactly by compromised devices. */
export const COMPROMISED_POLICY_ID = 904;

export const COMPLIANCE_POLICIES: readonly CompliancePolicy[] = [
  { id: 901, name: 'Passcode Required', detail: 'A passcode of six or more characters is set', platforms: ALL },
  { id: 902, name: 'Encryption Required', detail: 'Storage is encrypted', platforms: ALL },
  { id: 903, name: 'Minimum OS Version', detail: 'The OS is a supported release', platforms: ALL },
  { id: COMPROMISED_POLICY_ID, name: 'Compromised Status', detail: 'The device is not jailbroken or rooted', platforms: MOBILE },
  { id: 905, name: 'Denied Applications', detail: 'No application from the deny list is installed', platforms: MOBILE },
  { id: 906, name: 'Last Check-in', detail: 'The device checked in within the last 30 days', platforms: ALL },
  { id: 907, name: 'Firewall Enabled', detail: 'The firewall is on', platforms: ['WinRT', 'AppleOsX'] },
];

export const TAG_SPECS: readonly { name: string; share: number; group: number }[] = [
  { name: 'Executive', share: 0.02, group: 570 },
  { name: 'Field Sales', share: 0.12, group: 570 },
  { name: 'Kiosk', share: 0.05, group: 573 },
  { name: 'Warehouse', share: 0.08, group: 571 },
  { name: 'Pilot Ring', share: 0.04, group: 570 },
  { name: 'Loaner', share: 0.03, group: 570 },
  { name: 'VIP Support', share: 0.01, group: 570 },
  { name: 'Refresh 2025', share: 0.15, group: 570 },
  { name: 'Finance', share: 0.06, group: 570 },
  { name: 'Lost Mode', share: 0.005, group: 570 },
];

export type SmartGroupCriterion =
  | { kind: 'platform'; platform: UemPlatform }
  | { kind: 'group'; groupId: number }
  | { kind: 'ownership'; ownership: Ownership };

export const SMART_GROUP_SPECS: readonly { name: string; managedBy: number; criterion: SmartGroupCriterion }[] = [
  { name: 'All Apple Devices', managedBy: 570, criterion: { kind: 'platform', platform: 'Apple' } },
  { name: 'All Android Devices', managedBy: 570, criterion: { kind: 'platform', platform: 'Android' } },
  { name: 'Windows Fleet', managedBy: 570, criterion: { kind: 'platform', platform: 'WinRT' } },
  { name: 'macOS Fleet', managedBy: 570, criterion: { kind: 'platform', platform: 'AppleOsX' } },
  { name: 'Production Rollout', managedBy: 571, criterion: { kind: 'group', groupId: 571 } },
  { name: 'Lab Test Devices', managedBy: 573, criterion: { kind: 'group', groupId: 573 } },
  { name: 'Corporate Owned', managedBy: 570, criterion: { kind: 'ownership', ownership: 'C' } },
  { name: 'Employee Owned (BYOD)', managedBy: 570, criterion: { kind: 'ownership', ownership: 'E' } },
];

export const USER_GROUP_SPECS: readonly { name: string; share: number; group: number }[] = [
  { name: 'All Staff', share: 0.9, group: 570 },
  { name: 'Sales', share: 0.2, group: 571 },
  { name: 'Engineering', share: 0.25, group: 570 },
  { name: 'Field Workers', share: 0.15, group: 571 },
  { name: 'Executives', share: 0.03, group: 570 },
  { name: 'Contractors', share: 0.08, group: 572 },
];

export const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Operations', 'Support', 'Marketing', 'Legal', 'HR'];

export const APP_BASES: readonly { name: string; slug: string; category: string }[] = [
  { name: 'Expenses', slug: 'expenses', category: 'Finance' },
  { name: 'Field Service', slug: 'fieldservice', category: 'Operations' },
  { name: 'Inventory Scanner', slug: 'inventory', category: 'Operations' },
  { name: 'Sales Portal', slug: 'salesportal', category: 'Sales' },
  { name: 'Secure Notes', slug: 'securenotes', category: 'Productivity' },
  { name: 'Badge Reader', slug: 'badge', category: 'Security' },
  { name: 'Time Tracker', slug: 'timetracker', category: 'HR' },
  { name: 'HR Connect', slug: 'hrconnect', category: 'HR' },
  { name: 'Travel Desk', slug: 'travel', category: 'Productivity' },
  { name: 'IT Helpdesk', slug: 'helpdesk', category: 'Support' },
  { name: 'Warehouse Picker', slug: 'picker', category: 'Operations' },
  { name: 'Kiosk Browser', slug: 'kiosk', category: 'Utilities' },
  { name: 'Survey Kit', slug: 'survey', category: 'Marketing' },
  { name: 'Doc Signer', slug: 'docsigner', category: 'Productivity' },
  { name: 'Fleet Tracker', slug: 'fleet', category: 'Operations' },
];

/** Platforms the app catalog covers, in rotation. */
export const APP_PLATFORMS: readonly UemPlatform[] = ['Apple', 'Android', 'WinRT', 'AppleOsX'];

/** Apps every device reports that UEM does not manage (IsManaged false), by platform. */
export const UNMANAGED_APPS: Readonly<Record<UemPlatform, readonly { name: string; id: string }[]>> = {
  Apple: [
    { name: 'Safari', id: 'com.apple.mobilesafari' },
    { name: 'Maps', id: 'com.apple.Maps' },
  ],
  Android: [
    { name: 'Chrome', id: 'com.android.chrome' },
    { name: 'Gmail', id: 'com.google.android.gm' },
  ],
  WinRT: [{ name: 'Microsoft Edge', id: 'Microsoft.MicrosoftEdge.Stable_8wekyb3d8bbwe' }],
  AppleOsX: [{ name: 'Safari', id: 'com.apple.Safari' }],
  ChromeOS: [{ name: 'Files', id: 'com.google.chromeos.files' }],
};
