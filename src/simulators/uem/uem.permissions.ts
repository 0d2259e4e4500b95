/**
 * The permission categories of the API-only admin's role (docs/upstreams/uem.md). A simulator started
 * with `missingPermissions` answers 403 (errorCode 1016) on every route of a missing category, so
 * the doctor command can say which capability is affected. Which route needs which category is
 * declared where the route is registered; the mapping, in short:
 *
 * - devices: device search, one device, devices by id list, device apps, single-device commands,
 *   every `/mam/apps` route
 * - groups: organization groups, smart groups, enrollment users, user groups
 * - bulk: bulk settings, bulk commands
 * - compliance: a device's compliance
 * - reports: extensive search
 * - tags: tag search, tag devices, tag and untag
 *
 * `system/info` needs none (it is the connectivity probe).
 */
export const PERMISSION_CATEGORIES = ['devices', 'groups', 'bulk', 'compliance', 'reports', 'tags'] as const;
export type PermissionCategory = (typeof PERMISSION_CATEGORIES)[number];

export const PERMISSION_LABELS: Readonly<Record<PermissionCategory, string>> = {
  devices: 'API > REST > Devices',
  groups: 'API > REST > Groups',
  bulk: 'Device Management > Bulk Management',
  compliance: 'Device Management > Compliance',
  reports: 'Monitor > Reports > General',
  tags: 'Settings > Tags > Tags',
};
