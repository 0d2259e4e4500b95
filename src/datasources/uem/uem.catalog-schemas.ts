/**
 * Zod schemas of UEM's v1 app, group and tag shapes (docs/upstreams/uem.md) into camelCase domain
 * types. The app-devices route is snake_case on the wire, as UEM writes it.
 */
import { z } from 'zod';
import { count, list, optionalId, reference, text, uemDate, uemId } from './uem.wire.js';

export const appSchema = z
  .object({
    Id: uemId,
    Uuid: text,
    ApplicationName: text,
    BundleId: text,
    AppVersion: text,
    AppType: text,
    Status: text,
    Platform: text,
    AssignmentStatus: text,
    LocationGroupId: optionalId,
    SmartGroups: list(z.object({ Id: optionalId, Name: text })),
  })
  .transform((a) => ({
    id: a.Id,
    uuid: a.Uuid,
    name: a.ApplicationName,
    bundleId: a.BundleId,
    version: a.AppVersion,
    appType: a.AppType,
    /** `Active`, `Retired`, … */
    status: a.Status,
    platform: a.Platform,
    assignmentStatus: a.AssignmentStatus,
    organizationGroupId: a.LocationGroupId,
    smartGroups: a.SmartGroups.map((g) => ({ id: g.Id, name: g.Name })),
  }));
export type UemApp = z.output<typeof appSchema>;

export const internalAppSchema = z
  .object({
    AppId: optionalId,
    Id: optionalId,
    Uuid: text,
    ApplicationName: text,
    BundleId: text,
    AppVersion: text,
    Status: text,
    Platform: text,
    DevicesAssignedCount: count,
    DevicesInstalledCount: count,
    DevicesNotInstalledCount: count,
    Assignments: list(
      z.object({ SmartGroupId: optionalId, SmartGroupUuid: text, SmartGroupName: text, PushMode: text, EffectiveDate: uemDate }),
    ),
  })
  .refine((a) => a.AppId !== null || a.Id !== null, 'an internal app needs AppId or Id')
  .transform((a) => ({
    id: (a.AppId ?? a.Id) as number,
    uuid: a.Uuid,
    name: a.ApplicationName,
    bundleId: a.BundleId,
    version: a.AppVersion,
    status: a.Status,
    platform: a.Platform,
    devicesAssignedCount: a.DevicesAssignedCount,
    devicesInstalledCount: a.DevicesInstalledCount,
    devicesNotInstalledCount: a.DevicesNotInstalledCount,
    assignments: a.Assignments.map((s) => ({
      smartGroupId: s.SmartGroupId,
      smartGroupUuid: s.SmartGroupUuid,
      smartGroupName: s.SmartGroupName,
      /** `Auto` or `OnDemand`. */
      pushMode: s.PushMode,
      effectiveDate: s.EffectiveDate,
    })),
  }));
export type UemInternalApp = z.output<typeof internalAppSchema>;

export const appDeviceSchema = z
  .object({
    device_id: uemId,
    device_uuid: text,
    device_friendly_name: text,
    enrollment_user_name: text,
    assignment_status: text,
    installed_status: text,
    installed_version: text,
    last_action_taken: text,
  })
  .transform((d) => ({
    deviceId: d.device_id,
    deviceUuid: d.device_uuid,
    friendlyName: d.device_friendly_name,
    userName: d.enrollment_user_name,
    assignmentStatus: d.assignment_status,
    installedStatus: d.installed_status,
    installedVersion: d.installed_version,
    lastActionTaken: d.last_action_taken,
  }));
export type UemAppDevice = z.output<typeof appDeviceSchema>;

export const organizationGroupSchema = z
  .object({
    Id: uemId,
    Uuid: text,
    Name: text,
    GroupId: text,
    LocationGroupType: text,
    ParentLocationGroup: reference,
    Devices: count,
    Users: count,
  })
  .transform((g) => ({
    id: g.Id,
    uuid: g.Uuid,
    name: g.Name,
    groupId: g.GroupId,
    type: g.LocationGroupType,
    parentId: g.ParentLocationGroup.id,
    parentName: g.ParentLocationGroup.name,
    deviceCount: g.Devices,
    userCount: g.Users,
  }));
export type UemOrganizationGroup = z.output<typeof organizationGroupSchema>;

export const smartGroupSchema = z
  .object({ SmartGroupID: uemId, SmartGroupUuid: text, Name: text, Devices: count, Assignments: count, ManagedByOrganizationGroupId: optionalId })
  .transform((g) => ({
    id: g.SmartGroupID,
    uuid: g.SmartGroupUuid,
    name: g.Name,
    deviceCount: g.Devices,
    assignmentCount: g.Assignments,
    managedByOrganizationGroupId: g.ManagedByOrganizationGroupId,
  }));
export type UemSmartGroup = z.output<typeof smartGroupSchema>;

export const smartGroupDeviceSchema = z
  .object({ Id: uemId, Name: text, Model: text, OSVersion: text, Username: text, Platform: text, Ownership: text })
  .transform((d) => ({
    id: d.Id,
    friendlyName: d.Name,
    model: d.Model,
    osVersion: d.OSVersion,
    userName: d.Username,
    platform: d.Platform,
    ownership: d.Ownership,
  }));
export type UemSmartGroupDevice = z.output<typeof smartGroupDeviceSchema>;

export const tagSchema = z
  .object({ Id: uemId, Uuid: text, TagName: text, TagType: text, LocationGroupId: optionalId })
  .transform((t) => ({ id: t.Id, uuid: t.Uuid, name: t.TagName, tagType: t.TagType, organizationGroupId: t.LocationGroupId }));
export type UemTag = z.output<typeof tagSchema>;

export const tagDeviceSchema = z
  .object({ DeviceId: uemId, DeviceUuid: text, FriendlyName: text, DateTagged: uemDate })
  .transform((d) => ({ deviceId: d.DeviceId, deviceUuid: d.DeviceUuid, friendlyName: d.FriendlyName, taggedOn: d.DateTagged }));
export type UemTagDevice = z.output<typeof tagDeviceSchema>;

export const userGroupSchema = z
  .object({ UserGroupId: uemId, UserGroupUuid: text, UserGroupName: text, OrganizationGroup: text, OrganizationGroupId: optionalId, UserCount: count })
  .transform((g) => ({
    id: g.UserGroupId,
    uuid: g.UserGroupUuid,
    name: g.UserGroupName,
    organizationGroupName: g.OrganizationGroup,
    organizationGroupId: g.OrganizationGroupId,
    userCount: g.UserCount,
  }));
export type UemUserGroup = z.output<typeof userGroupSchema>;
