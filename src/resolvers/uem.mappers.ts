/**
 * Parent models of the UEM side beyond Device and UemUser (codegen `mappers`): the datasources'
 * domain types, or a reference where a parent knows only part of an object.
 */
import type {
  UemApp,
  UemOrganizationGroup,
  UemSmartGroup,
  UemTag,
  UemUserGroup,
} from '../datasources/uem/uem.catalog-schemas.js';
import type { UemCompliancePolicy, UemDeviceApp, UemDeviceCompliance } from '../datasources/uem/uem.schemas.js';

export type App = UemApp;
export type DeviceApp = UemDeviceApp;
export type DeviceCompliance = UemDeviceCompliance;
export type CompliancePolicy = UemCompliancePolicy;
export type SmartGroup = UemSmartGroup;
export type Tag = UemTag;
export type UserGroup = UemUserGroup;

/**
 * An organization group as far as the parent knows it: a device carries its group's id, name and
 * UUID; the rest comes from the cached group list only when asked for.
 */
export interface OrganizationGroup {
  id: number;
  name: string | null;
  uuid: string | null;
  record?: UemOrganizationGroup;
}
