/**
 * Harmony's UI labels for the wire spellings of permissions and statuses (the User Management
 * page's columns), and the page's role search: the text, in any case, matches anywhere in the Role,
 * Permissions or Status column. Underscores and spaces are alike, so `API_CONSUMER` and
 * `api consumer` both find the API Consumer permission.
 */
import type { Permission } from '../datasources/harmony/harmony.schemas.js';

export const PERMISSION_LABELS: Readonly<Record<Permission, string>> = {
  READ: 'Read',
  ADMIN: 'Admin',
  AGENT_INSTALL: 'Agent Install',
  API_CONSUMER: 'API Consumer',
  APP_DEVELOPER: 'App Developer',
};

/** The Status column's words: "active" is in "Inactive" too, as on the page. */
export const statusLabel = (active: boolean): string => (active ? 'Active' : 'Inactive');

const normalize = (text: string): string => text.toLowerCase().replace(/[\s_]+/g, ' ').trim();

export interface SearchableRole {
  name: string;
  permissions: readonly Permission[];
  active: boolean;
}

/** Whether `role` shows `search` in its Role, Permissions or Status column; a blank search matches every role. */
export function roleMatches(role: SearchableRole, search: string): boolean {
  const wanted = normalize(search);
  if (wanted === '') return true;
  const columns = [role.name, ...role.permissions.map((p) => PERMISSION_LABELS[p]), statusLabel(role.active)];
  return columns.some((text) => normalize(text).includes(wanted));
}
