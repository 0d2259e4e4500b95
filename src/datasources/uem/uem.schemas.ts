/**
 * Zod schemas of UEM's v1 device and user shapes (docs/upstreams/uem.md), each transformed into a plain
 * camelCase domain type for the gateway. Search items may omit any field but the id.
 */
import { z } from 'zod';
import { complianceKind, enrollmentKind, ownershipKind, platformKind, type ComplianceKind, type EnrollmentKind, type OwnershipKind, type PlatformKind } from '../../device-kinds.js';
import { count, flag, list, optionalId, readCount, readFlag, readId, readReference, readText, text, uemDate, uemDateToIso, uemId } from './uem.wire.js';

/**
 * A v1 device as the gateway reads it. Built in one pass over the wire object (no intermediate
 * objects, ids through the `{ Value }` fast path); the three dates stay in their wire form until
 * read, so a list that does not select them never converts them. Platform, ownership, enrollment
 * and compliance are kept as UEM spells them (`uemPlatform`, …) and read as kinds (`platform`, …:
 * src/device-kinds.ts), the graph's enums.
 */
export class UemDevice {
  readonly id: number;
  readonly uuid: string | null;
  readonly udid: string | null;
  readonly serialNumber: string | null;
  readonly macAddress: string | null;
  readonly imei: string | null;
  readonly friendlyName: string | null;
  readonly organizationGroupId: number | null;
  readonly organizationGroupName: string | null;
  readonly organizationGroupUuid: string | null;
  readonly userId: number | null;
  readonly userUuid: string | null;
  readonly userName: string | null;
  readonly userEmail: string | null;
  /** As UEM spells it: `C` corporate, `E` employee, `S` shared, `Undefined` (the kind: `ownership`). */
  readonly uemOwnership: string | null;
  /** As UEM spells it: `Apple`, `Android`, `WinRT`, `AppleOsX`, … (the kind: `platform`). */
  readonly uemPlatform: string | null;
  readonly model: string | null;
  readonly osVersion: string | null;
  readonly phoneNumber: string | null;
  /** As UEM spells it: `Enrolled`, `EnterpriseWipePending`, `DeviceWipePending`, `Unenrolled` (the kind: `enrollmentStatus`). */
  readonly uemEnrollmentStatus: string | null;
  /** As UEM spells it: `Compliant`, `NonCompliant` (the kind: `complianceStatus`). */
  readonly uemComplianceStatus: string | null;
  readonly compromised: boolean | null;
  readonly #lastSeen: unknown;
  readonly #lastEnrolledOn: unknown;
  readonly #lastComplianceCheckOn: unknown;

  /** Reads a wire object whose `Id` is known to be readable (see `readDevice`). */
  private constructor(w: Record<string, unknown>, id: number) {
    const group = readReference(w.LocationGroupId);
    const user = readReference(w.UserId);
    this.id = id;
    this.uuid = readText(w.Uuid);
    this.udid = readText(w.Udid);
    this.serialNumber = readText(w.SerialNumber);
    this.macAddress = readText(w.MacAddress);
    this.imei = readText(w.Imei);
    this.friendlyName = readText(w.DeviceFriendlyName);
    this.organizationGroupId = group.id;
    this.organizationGroupName = readText(w.LocationGroupName) ?? group.name;
    this.organizationGroupUuid = group.uuid;
    this.userId = user.id;
    this.userUuid = user.uuid;
    this.userName = readText(w.UserName);
    this.userEmail = readText(w.UserEmailAddress);
    this.uemOwnership = readText(w.Ownership);
    this.uemPlatform = readText(w.Platform);
    this.model = readText(w.Model);
    this.osVersion = readText(w.OperatingSystem);
    this.phoneNumber = readText(w.PhoneNumber);
    this.uemEnrollmentStatus = readText(w.EnrollmentStatus);
    this.uemComplianceStatus = readText(w.ComplianceStatus);
    this.compromised = readFlag(w.CompromisedStatus);
    this.#lastSeen = w.LastSeen;
    this.#lastEnrolledOn = w.LastEnrolledOn;
    this.#lastComplianceCheckOn = w.LastComplianceCheckOn;
  }

  /** The device of a v1 wire object, or null when it has no readable `Id`. */
  static read(wire: unknown): UemDevice | null {
    if (typeof wire !== 'object' || wire === null) return null;
    const w = wire as Record<string, unknown>;
    const id = readId(w.Id);
    return id === null ? null : new UemDevice(w, id);
  }

  // The kinds are read off the prototype: a compiled operation reads the graph's enum fields in
  // place (no resolver call, resolve info or closures per device), and only for what it selects.
  get platform(): PlatformKind {
    return platformKind(this.uemPlatform);
  }
  get ownership(): OwnershipKind {
    return ownershipKind(this.uemOwnership);
  }
  get enrollmentStatus(): EnrollmentKind {
    return enrollmentKind(this.uemEnrollmentStatus);
  }
  get complianceStatus(): ComplianceKind {
    return complianceKind(this.uemComplianceStatus);
  }

  get lastSeen(): string | null {
    return uemDateToIso(this.#lastSeen);
  }
  get lastEnrolledOn(): string | null {
    return uemDateToIso(this.#lastEnrolledOn);
  }
  get lastComplianceCheckOn(): string | null {
    return uemDateToIso(this.#lastComplianceCheckOn);
  }

  /**
   * The v1 wire fields this reader uses, and nothing else (what the snapshot store keeps: reading
   * it back with `UemDevice.read` gives an equal device).
   */
  toWire(): Record<string, unknown> {
    return {
      Id: { Value: this.id },
      Uuid: this.uuid,
      Udid: this.udid,
      SerialNumber: this.serialNumber,
      MacAddress: this.macAddress,
      Imei: this.imei,
      DeviceFriendlyName: this.friendlyName,
      LocationGroupId: { Id: { Value: this.organizationGroupId }, Name: this.organizationGroupName, Uuid: this.organizationGroupUuid },
      LocationGroupName: this.organizationGroupName,
      UserId: { Id: { Value: this.userId }, Uuid: this.userUuid },
      UserName: this.userName,
      UserEmailAddress: this.userEmail,
      Ownership: this.uemOwnership,
      Platform: this.uemPlatform,
      Model: this.model,
      OperatingSystem: this.osVersion,
      PhoneNumber: this.phoneNumber,
      LastSeen: this.#lastSeen,
      EnrollmentStatus: this.uemEnrollmentStatus,
      ComplianceStatus: this.uemComplianceStatus,
      CompromisedStatus: this.compromised,
      LastEnrolledOn: this.#lastEnrolledOn,
      LastComplianceCheckOn: this.#lastComplianceCheckOn,
    };
  }

  /** Every field with the kinds read and the dates converted (logs, tests, JSON). */
  toJSON(): Record<string, unknown> {
    return {
      ...(this as object),
      platform: this.platform,
      ownership: this.ownership,
      enrollmentStatus: this.enrollmentStatus,
      complianceStatus: this.complianceStatus,
      lastSeen: this.lastSeen,
      lastEnrolledOn: this.lastEnrolledOn,
      lastComplianceCheckOn: this.lastComplianceCheckOn,
    };
  }
}

/** zod over a reader: the value, or one issue saying what could not be read. */
function readerSchema<T>(read: (wire: unknown) => T | null, what: string) {
  return z.unknown().transform((wire, ctx): T => {
    const value = read(wire);
    if (value !== null) return value;
    ctx.issues.push({ code: 'custom', message: `${what} without a readable Id`, input: wire });
    return z.NEVER;
  });
}

export const deviceSchema = readerSchema(UemDevice.read, 'a device');

export interface UemUser {
  id: number;
  uuid: string | null;
  userName: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Active (true) or inactive. */
  active: boolean | null;
  email: string | null;
  /** `Basic` or `Directory`. */
  securityType: string | null;
  contactNumber: string | null;
  mobileNumber: string | null;
  displayName: string | null;
  organizationGroupId: number | null;
  organizationGroupName: string | null;
  department: string | null;
  enrolledDevicesCount: number | null;
}

/** A v1 enrollment user, in one pass; null when it has no readable `Id`. */
export function readUser(wire: unknown): UemUser | null {
  if (typeof wire !== 'object' || wire === null) return null;
  const u = wire as Record<string, unknown>;
  const id = readId(u.Id);
  if (id === null) return null;
  return {
    id,
    uuid: readText(u.Uuid),
    userName: readText(u.UserName),
    firstName: readText(u.FirstName),
    lastName: readText(u.LastName),
    active: readFlag(u.Status),
    email: readText(u.Email),
    securityType: readText(u.SecurityType),
    contactNumber: readText(u.ContactNumber),
    mobileNumber: readText(u.MobileNumber),
    displayName: readText(u.DisplayName),
    organizationGroupId: readId(u.LocationGroupId),
    organizationGroupName: readText(u.Group),
    department: readText(u.Department),
    enrolledDevicesCount: readCount(u.EnrolledDevicesCount),
  };
}

/** The v1 wire fields `readUser` uses (what the snapshot store keeps). */
export function userToWire(u: UemUser): Record<string, unknown> {
  return {
    Id: { Value: u.id },
    Uuid: u.uuid,
    UserName: u.userName,
    FirstName: u.firstName,
    LastName: u.lastName,
    Status: u.active,
    Email: u.email,
    SecurityType: u.securityType,
    ContactNumber: u.contactNumber,
    MobileNumber: u.mobileNumber,
    DisplayName: u.displayName,
    LocationGroupId: u.organizationGroupId,
    Group: u.organizationGroupName,
    Department: u.department,
    EnrolledDevicesCount: u.enrolledDevicesCount,
  };
}

export const userSchema = readerSchema(readUser, 'an enrollment user');

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
