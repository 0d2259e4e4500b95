/**
 * The v1 wire shapes (PascalCase, `Id: { Value }` plus `Uuid`, string enums, UEM dates) of the
 * records the routes return, built from the raw state.
 */
import { COMPLIANCE_POLICIES, PLATFORMS, UNMANAGED_APPS } from './uem.catalog.js';
import { formatUemDate } from './uem.dates.js';
import type { UemState } from './uem.state.js';
import type { DeviceAppInstall, UemApp, UemDevice, UemPlatform, UemUser } from './uem.types.js';

const PLATFORM_CODES: Readonly<Record<UemPlatform, number>> = { Apple: 2, Android: 5, AppleOsX: 10, WinRT: 12, ChromeOS: 21 };
const HOUR_MS = 3_600_000;

const MODEL_CODES = new Map<string, number>();
for (const p of PLATFORMS) for (const h of p.hardware) MODEL_CODES.set(h.model, MODEL_CODES.size + 1);

type Json = Record<string, unknown>;

function groupRef(state: UemState, id: number): Json {
  const og = state.orgGroups.get(id);
  return { Id: { Value: id }, Name: og?.name ?? '', Uuid: og?.uuid ?? '' };
}

export function deviceV1(state: UemState, d: UemDevice): Json {
  const user = state.users.get(d.userId);
  const og = state.orgGroups.get(d.locationGroupId);
  return {
    Id: { Value: d.id },
    Uuid: d.uuid,
    Udid: d.udid,
    SerialNumber: d.serialNumber,
    MacAddress: d.macAddress,
    Imei: d.imei,
    EasId: '',
    AssetNumber: d.assetNumber,
    DeviceFriendlyName: d.friendlyName,
    DeviceReportedName: user ? `${user.firstName}'s ${d.model}` : d.model,
    LocationGroupId: groupRef(state, d.locationGroupId),
    LocationGroupName: og?.name ?? '',
    UserId: { Id: { Value: d.userId }, Name: user?.displayName ?? '', Uuid: user?.uuid ?? '' },
    UserName: user?.userName ?? '',
    UserEmailAddress: user?.email ?? '',
    EnrollmentUserUuid: user?.uuid ?? '',
    Ownership: d.ownership,
    PlatformId: { Id: { Value: PLATFORM_CODES[d.platform] }, Name: d.platform },
    Platform: d.platform,
    ModelId: { Id: { Value: MODEL_CODES.get(d.model) ?? 0 }, Name: d.model },
    Model: d.model,
    OperatingSystem: d.operatingSystem,
    PhoneNumber: d.phoneNumber,
    LastSeen: formatUemDate(d.lastSeen),
    EnrollmentStatus: d.enrollmentStatus,
    ComplianceStatus: d.complianceStatus,
    CompromisedStatus: d.compromised,
    LastEnrolledOn: formatUemDate(d.lastEnrolledOn),
    LastComplianceCheckOn: formatUemDate(d.lastComplianceCheckOn),
    LastCompromisedCheckOn: formatUemDate(d.lastComplianceCheckOn),
    IsSupervised: d.platform === 'Apple' && d.ownership === 'C',
    DataEncryptionYN: d.failingPolicies.includes(902) ? 'N' : 'Y',
    AcLineStatus: 0,
    VirtualMemory: 0,
    OEMInfo: '',
  };
}

export function userV1(state: UemState, u: UemUser): Json {
  return {
    Id: { Value: u.id },
    Uuid: u.uuid,
    UserName: u.userName,
    FirstName: u.firstName,
    LastName: u.lastName,
    Status: u.status,
    Email: u.email,
    SecurityType: u.securityType,
    ContactNumber: u.contactNumber,
    MobileNumber: u.mobileNumber,
    DisplayName: u.displayName,
    LocationGroupId: String(u.locationGroupId),
    Group: state.orgGroups.get(u.locationGroupId)?.name ?? '',
    Role: 'Full Access',
    MessageType: 'Email',
    Department: u.department,
    ExternalId: '',
    EnrolledDevicesCount: String(state.devicesOfUser(u.id).filter((d) => d.enrollmentStatus !== 'Unenrolled').length),
  };
}

/** An item of `mam/apps/search` (the `Application` list). */
export function appSearchItemV1(state: UemState, app: UemApp): Json {
  return {
    Id: { Value: app.id },
    Uuid: app.uuid,
    ApplicationName: app.name,
    BundleId: app.bundleId,
    AppVersion: app.version,
    ActualFileVersion: app.version,
    AppType: 'Internal',
    Status: app.status,
    Platform: app.platform,
    AssignmentStatus: app.assignments.size > 0 ? 'Assigned' : 'NotAssigned',
    ApplicationSize: String(app.sizeKb),
    CategoryList: { Category: [{ Name: app.category }] },
    LocationGroupId: app.locationGroupId,
    RootLocationGroupName: state.orgGroups.get(app.locationGroupId)?.name ?? '',
    OrganizationGroupUuid: state.orgGroups.get(app.locationGroupId)?.uuid ?? '',
    SmartGroups: [...app.assignments.keys()].map((id) => ({ Id: id, Name: state.smartGroups.get(id)?.name ?? '' })),
    IsReimbursable: false,
  };
}

/** `mam/apps/internal/{id}`, with counts over the current assignments and installs. */
export function internalAppV1(state: UemState, app: UemApp): Json {
  const assigned = state.assignedDeviceIds(app);
  let installed = 0;
  let assignedNotInstalled = 0;
  for (const id of state.appDeviceIds(app)) {
    const isInstalled = state.deviceInstall(id, app.id)?.status === 'Installed';
    if (isInstalled) installed++;
    else if (assigned.has(id)) assignedNotInstalled++;
  }
  return {
    Id: { Value: app.id },
    AppId: app.id,
    Uuid: app.uuid,
    ApplicationName: app.name,
    BundleId: app.bundleId,
    AppVersion: app.version,
    AppType: 'Internal',
    Status: app.status,
    Platform: app.platform,
    DevicesAssignedCount: assigned.size,
    DevicesInstalledCount: installed,
    DevicesNotInstalledCount: assignedNotInstalled,
    Assignments: [...app.assignments].map(([id, a]) => ({
      SmartGroupId: id,
      SmartGroupUuid: state.smartGroups.get(id)?.uuid ?? '',
      SmartGroupName: state.smartGroups.get(id)?.name ?? '',
      PushMode: a.pushMode,
      EffectiveDate: formatUemDate(a.assignedAt),
    })),
  };
}

/** The `DeviceApps` of one device: its managed apps, then the built-in apps UEM does not manage. */
export function deviceAppsV1(state: UemState, d: UemDevice, installs: readonly DeviceAppInstall[]): Json[] {
  const managed = installs.map((i) => {
    const app = state.apps.get(i.appId);
    return {
      ApplicationName: app?.name ?? '',
      Version: i.version,
      Status: i.status,
      ApplicationIdentifier: app?.bundleId ?? '',
      ApplicationUuid: app?.uuid ?? '',
      IsManaged: true,
      Type: 'Internal',
      Size: String(app?.sizeKb ?? 0),
      InstalledDate: i.status === 'Installed' ? formatUemDate(i.updatedAt) : formatUemDate(null),
    };
  });
  const builtIn = d.enrollmentStatus === 'Unenrolled' ? [] : UNMANAGED_APPS[d.platform];
  return [
    ...managed,
    ...builtIn.map((a) => ({
      ApplicationName: a.name,
      Version: d.operatingSystem,
      Status: 'Installed',
      ApplicationIdentifier: a.id,
      ApplicationUuid: '',
      IsManaged: false,
      Type: 'System',
      Size: '',
      InstalledDate: formatUemDate(d.lastEnrolledOn),
    })),
  ];
}

export function deviceComplianceV1(d: UemDevice): Json {
  const policies = COMPLIANCE_POLICIES.filter((p) => p.platforms.includes(d.platform));
  return {
    DeviceId: { Value: d.id },
    OverallCompliantStatus: d.complianceStatus,
    CompromisedStatus: d.compromised,
    DeviceCompliance: policies.map((p) => {
      const failing = d.failingPolicies.includes(p.id);
      return {
        Id: { Value: p.id },
        CompliantStatus: !failing,
        PolicyName: p.name,
        PolicyDetail: p.detail,
        LastComplianceCheck: formatUemDate(d.lastComplianceCheckOn),
        NextComplianceCheck: formatUemDate(d.lastComplianceCheckOn + 4 * HOUR_MS),
        ActionTaken: failing ? [{ ActionType: 'Notify' }, { ActionType: 'BlockEmail' }] : [],
      };
    }),
  };
}
