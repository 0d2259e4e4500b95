/**
 * Zod schemas of UEM's v1 device and user shapes (docs/upstreams/uem.md), each transformed into a plain
 * camelCase domain type for the gateway. Search items may omit any field but the id.
 */
import { z } from 'zod';
import { count, flag, list, optionalId, reference, text, uemDate, uemId } from './uem.wire.js';

export const deviceSchema = z
  .object({
    Id: uemId,
    Uuid: text,
    Udid: text,
    SerialNumber: text,
    MacAddress: text,
    Imei: text,
    DeviceFriendlyName: text,
    LocationGroupId: reference,
    LocationGroupName: text,
    UserId: reference,
    UserName: text,
    UserEmailAddress: text,
    Ownership: text,
    Platform: text,
    Model: text,
    OperatingSystem: text,
    PhoneNumber: text,
    LastSeen: uemDate,
    EnrollmentStatus: text,
    ComplianceStatus: text,
    CompromisedStatus: flag,
    LastEnrolledOn: uemDate,
    LastComplianceCheckOn: uemDate,
  })
  .transform((d) => ({
    id: d.Id,
    uuid: d.Uuid,
    udid: d.Udid,
    serialNumber: d.SerialNumber,
    macAddress: d.MacAddress,
    imei: d.Imei,
    friendlyName: d.DeviceFriendlyName,
    organizationGroupId: d.LocationGroupId.id,
    organizationGroupName: d.LocationGroupName ?? d.LocationGroupId.name,
    organizationGroupUuid: d.LocationGroupId.uuid,
    userId: d.UserId.id,
    userUuid: d.UserId.uuid,
    userName: d.UserName,
    userEmail: d.UserEmailAddress,
    /** `C` corporate, `E` employee, `S` shared, `Undefined`. */
    ownership: d.Ownership,
    /** `Apple`, `Android`, `WinRT`, `AppleOsX`, … */
    platform: d.Platform,
    model: d.Model,
    osVersion: d.OperatingSystem,
    phoneNumber: d.PhoneNumber,
    lastSeen: d.LastSeen,
    /** `Enrolled`, `EnterpriseWipePending`, `DeviceWipePending`, `Unenrolled`. */
    enrollmentStatus: d.EnrollmentStatus,
    /** `Compliant`, `NonCompliant`. */
    complianceStatus: d.ComplianceStatus,
    compromised: d.CompromisedStatus,
    lastEnrolledOn: d.LastEnrolledOn,
    lastComplianceCheckOn: d.LastComplianceCheckOn,
  }));
export type UemDevice = z.output<typeof deviceSchema>;

export const userSchema = z
  .object({
    Id: uemId,
    Uuid: text,
    UserName: text,
    FirstName: text,
    LastName: text,
    Status: flag,
    Email: text,
    SecurityType: text,
    ContactNumber: text,
    MobileNumber: text,
    DisplayName: text,
    LocationGroupId: optionalId,
    Group: text,
    Department: text,
    EnrolledDevicesCount: count,
  })
  .transform((u) => ({
    id: u.Id,
    uuid: u.Uuid,
    userName: u.UserName,
    firstName: u.FirstName,
    lastName: u.LastName,
    /** Active (true) or inactive. */
    active: u.Status,
    email: u.Email,
    /** `Basic` or `Directory`. */
    securityType: u.SecurityType,
    contactNumber: u.ContactNumber,
    mobileNumber: u.MobileNumber,
    displayName: u.DisplayName,
    organizationGroupId: u.LocationGroupId,
    organizationGroupName: u.Group,
    department: u.Department,
    enrolledDevicesCount: u.EnrolledDevicesCount,
  }));
export type UemUser = z.output<typeof userSchema>;

export const deviceAppSchema = z
  .object({
    ApplicationName: text,
    Version: text,
    Status: text,
    ApplicationIdentifier: text,
    ApplicationUuid: text,
    IsManaged: flag,
    Type: text,
    InstalledDate: uemDate,
  })
  .transform((a) => ({
    name: a.ApplicationName,
    version: a.Version,
    /** `Installed`, `Pending`, `Failed`, … */
    status: a.Status,
    bundleId: a.ApplicationIdentifier,
    appUuid: a.ApplicationUuid,
    managed: a.IsManaged,
    type: a.Type,
    installedOn: a.InstalledDate,
  }));
export type UemDeviceApp = z.output<typeof deviceAppSchema>;

const compliancePolicySchema = z
  .object({
    Id: optionalId,
    CompliantStatus: flag,
    PolicyName: text,
    PolicyDetail: text,
    LastComplianceCheck: uemDate,
    NextComplianceCheck: uemDate,
    ActionTaken: list(z.object({ ActionType: text })),
  })
  .transform((p) => ({
    policyId: p.Id,
    compliant: p.CompliantStatus,
    policyName: p.PolicyName,
    policyDetail: p.PolicyDetail,
    lastCheck: p.LastComplianceCheck,
    nextCheck: p.NextComplianceCheck,
    actionsTaken: p.ActionTaken.flatMap((a) => (a.ActionType ? [a.ActionType] : [])),
  }));

export const deviceComplianceSchema = z
  .object({ OverallCompliantStatus: text, CompromisedStatus: flag, DeviceCompliance: list(compliancePolicySchema) })
  .transform((c) => ({ overallStatus: c.OverallCompliantStatus, compromised: c.CompromisedStatus, policies: c.DeviceCompliance }));
export type UemDeviceCompliance = z.output<typeof deviceComplianceSchema>;
export type UemCompliancePolicy = UemDeviceCompliance['policies'][number];

export const extensiveDeviceSchema = z
  .object({
    DeviceId: uemId,
    DeviceUuid: text,
    SerialNumber: text,
    UserName: text,
    UserEmailAddress: text,
    Platform: text,
    OrganizationGroupId: optionalId,
    LastSeen: uemDate,
    Compliant: flag,
    SmartGroups: list(z.object({ SmartGroupId: optionalId, SmartGroupName: text, SmartGroupUuid: text })),
    CustomAttributes: list(z.object({ Name: text, Value: text, Application: text })),
  })
  .transform((d) => ({
    deviceId: d.DeviceId,
    deviceUuid: d.DeviceUuid,
    serialNumber: d.SerialNumber,
    userName: d.UserName,
    userEmail: d.UserEmailAddress,
    platform: d.Platform,
    organizationGroupId: d.OrganizationGroupId,
    lastSeen: d.LastSeen,
    compliant: d.Compliant,
    smartGroups: d.SmartGroups.map((g) => ({ id: g.SmartGroupId, name: g.SmartGroupName, uuid: g.SmartGroupUuid })),
    customAttributes: d.CustomAttributes.map((a) => ({ name: a.Name, value: a.Value, application: a.Application })),
  }));
export type UemExtensiveDevice = z.output<typeof extensiveDeviceSchema>;

export const systemInfoSchema = z
  .object({ ProductName: text, ProductVersion: text })
  .transform((s) => ({ productName: s.ProductName, productVersion: s.ProductVersion }));
export type UemSystemInfo = z.output<typeof systemInfoSchema>;

const limit = count.transform((v) => (v !== null && v > 0 ? v : null));

/** Most devices per bulk call, per kind of bulk action (`GET /devices/bulksettings`); null = not reported. */
export const bulkSettingsSchema = z
  .object({ SendMessage: limit, EnterpriseWipe: limit, DeleteDevice: limit, GPS: limit, LockDevice: limit })
  .transform((b) => ({ sendMessage: b.SendMessage, enterpriseWipe: b.EnterpriseWipe, deleteDevice: b.DeleteDevice, gps: b.GPS, lockDevice: b.LockDevice }));
export type UemBulkSettings = z.output<typeof bulkSettingsSchema>;

/** v1 BulkResponse: HTTP 200 even on partial failure; the failures are per-item faults. */
export const bulkResponseSchema = z.object({
  TotalItems: count,
  AcceptedItems: count,
  FailedItems: count,
  Faults: z
    .object({ Fault: list(z.object({ ErrorCode: z.union([z.number(), z.string()]).nullish(), ItemValue: text })) })
    .nullish()
    .transform((f) => f?.Fault ?? []),
});
export type UemBulkResponse = z.output<typeof bulkResponseSchema>;

/** One entry of a device's event log (`GET /devices/{id}/eventlog`); the text fields are UEM's own. */
export const deviceEventSchema = z
  .object({ TimeStamp: uemDate, Event: text, Severity: text, Source: text, Category: text })
  .transform((e) => ({ at: e.TimeStamp, event: e.Event ?? '', severity: e.Severity ?? null, source: e.Source ?? null, category: e.Category ?? null }));
export type UemDeviceEvent = z.output<typeof deviceEventSchema>;

/** `{ Value: newId }` of `adduser`. */
export const createdSchema = z.object({ Value: uemId });
