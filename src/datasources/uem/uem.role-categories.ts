/**
 * The permission categories of UEM's API-only admin role (the Harmony Mobile integration guide:
 * copy Read Only, set these six to Edit), which UEM route needs which, and the fix to name when UEM
 * refuses one. The one place that knows it: `npm run doctor` probes each category
 * (src/doctor/uem.checks.ts) and a refusal at query time names the missing one (uem.call.ts).
 */

/** Category → its path in the UEM console's role editor, in the guide's order. */
export const UEM_ROLE_CATEGORIES = {
  devices: 'API > REST > Devices',
  groups: 'API > REST > Groups',
  bulk: 'Device Management > Bulk Management',
  compliance: 'Device Management > Compliance',
  reports: 'Monitor > Reports > General',
  tags: 'Settings > Tags > Tags',
} as const;

export type UemRoleCategory = keyof typeof UEM_ROLE_CATEGORIES;

/**
 * Which category a route needs, by its path under `/API` (most specific first): bulk commands and
 * bulk settings, the extensive search (a report), a device's compliance, tags, then groups of every
 * kind (organization groups, smart groups, enrollment users, user groups), then devices and apps.
 * Undefined for a route that needs none (`/system/info`) or one not listed.
 */
const ROUTES: readonly [RegExp, UemRoleCategory][] = [
  [/^\/mdm\/devices\/(commands\/bulk|bulksettings)(\/|$)/i, 'bulk'],
  [/^\/mdm\/devices\/extensivesearch(\/|$)/i, 'reports'],
  [/^\/mdm\/devices\/[^/]+\/compliance(\/|$)/i, 'compliance'],
  [/^\/mdm\/tags(\/|$)/i, 'tags'],
  [/^\/(system\/(groups|users|usergroups)|mdm\/smartgroups)(\/|$)/i, 'groups'],
  [/^\/(mdm\/devices|mam\/apps)(\/|$)/i, 'devices'],
];

export function roleCategoryOf(path: string): UemRoleCategory | undefined {
  return ROUTES.find(([pattern]) => pattern.test(path))?.[1];
}

/** What an operator does about a missing category. */
export const roleCategoryFix = (category: UemRoleCategory): string =>
  `In the UEM console, edit the API-only admin's role (Accounts > Administrators > Roles) and set ${UEM_ROLE_CATEGORIES[category]} to Edit.`;
