/**
 * Role rules (docs/design.md §5): a role's name is unique in the organization (trimmed, any letter
 * case); a role grants at least one permission; APP_DEVELOPER is deprecated — a role that still has
 * it may keep it, nobody may add it; the built-in Administrator and User roles cannot be edited
 * (their environment access included), deactivated or removed.
 */
import type { HarmonyRole, Permission } from '../../datasources/harmony/harmony.schemas.js';
import { firstViolation, violation, type RuleViolation } from './violation.js';

type RoleLike = Pick<HarmonyRole, 'roleId' | 'name' | 'permissions' | 'builtIn'>;

export function findRole<R extends Pick<HarmonyRole, 'roleId'>>(roles: readonly R[], roleId: string): R | RuleViolation {
  return roles.find((r) => r.roleId === roleId) ?? violation('NOT_FOUND', `There is no role with id ${roleId}.`, 'roleId');
}

export function checkRoleName(roles: readonly RoleLike[], name: string, self?: RoleLike): RuleViolation | undefined {
  const key = name.trim().toLowerCase();
  if (key === '') return violation('INVALID_REQUEST', 'A role needs a name.', 'name');
  const taken = roles.find((r) => r.roleId !== self?.roleId && r.name.trim().toLowerCase() === key);
  return taken ? violation('ROLE_NAME_EXISTS', `A role named "${taken.name}" already exists.`, 'name') : undefined;
}

/** `had`: the role's current permissions (keeping APP_DEVELOPER is not assigning it). */
export function checkPermissions(permissions: readonly Permission[], had: readonly Permission[] = []): RuleViolation | undefined {
  if (permissions.length === 0) return violation('ROLE_NEEDS_PERMISSION', 'A role needs at least one permission.', 'permissions');
  if (permissions.includes('APP_DEVELOPER') && !had.includes('APP_DEVELOPER')) {
    return violation('PERMISSION_DEPRECATED', 'The APP_DEVELOPER permission is deprecated and can no longer be assigned.', 'permissions');
  }
  return undefined;
}

/** The built-in roles stay as Harmony made them. `action`: "edited", "deactivated", "removed"… */
export function checkMutable(role: RoleLike, action: string): RuleViolation | undefined {
  if (!role.builtIn) return undefined;
  return violation('ROLE_IMMUTABLE', `The built-in ${role.name} role cannot be ${action}.`, 'roleId');
}

export function checkNewRole(roles: readonly RoleLike[], input: { name: string; permissions: readonly Permission[] }): RuleViolation | undefined {
  return firstViolation(checkRoleName(roles, input.name), checkPermissions(input.permissions));
}

export interface RoleEdit {
  name?: string | null;
  permissions?: readonly Permission[] | null;
}

export function checkRoleEdit(roles: readonly RoleLike[], role: RoleLike, edit: RoleEdit): RuleViolation | undefined {
  const name = edit.name ?? undefined;
  const permissions = edit.permissions ?? undefined;
  return firstViolation(
    checkMutable(role, 'edited'),
    name === undefined && permissions === undefined ? violation('INVALID_REQUEST', 'Give a new name, new permissions, or both.') : undefined,
    name === undefined ? undefined : checkRoleName(roles, name, role),
    permissions === undefined ? undefined : checkPermissions(permissions, role.permissions),
  );
}

/** Unique values in the order given (a permission listed twice is granted once). */
export const distinct = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Access is set per environment of the organization. */
export function findEnvironment<E extends { envId: string }>(environments: readonly E[], envId: string): E | RuleViolation {
  return environments.find((e) => e.envId === envId) ?? violation('NOT_FOUND', `There is no environment with id ${envId}.`, 'environmentId');
}
