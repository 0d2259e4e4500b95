/**
 * Roles (defined here, docs/upstreams/harmony.md) with the rules of docs/design.md §5: unique names (case-insensitive),
 * at least one permission, APP_DEVELOPER readable but not assignable, and the built-in
 * Administrator and User roles immutable. Removing a role removes it from all its users and drops
 * its environment access. The typed confirmations (REMOVE, DEACTIVATE) are the gateway's job.
 */
import type { Router } from '../common/router.js';
import { authenticate, authenticateWriter, findRole, type HarmonyContext } from './harmony.context.js';
import { type Body, fail, ok, optionalBoolean, optionalString, optionalStringList, readBody, requiredString } from './harmony.envelope.js';
import { HarmonyPaths } from './harmony.paths.js';
import { ALL_PERMISSIONS, type HarmonyRole, type HarmonyState, type Permission } from './harmony.types.js';
import { roleWire } from './harmony.wire.js';

function checkName(state: HarmonyState, name: string, self?: HarmonyRole): void {
  const key = name.toLowerCase();
  if (state.roles.some((r) => r !== self && r.name.trim().toLowerCase() === key)) {
    fail('ROLE_NAME_EXISTS', `A role named "${name}" already exists.`);
  }
}

/** The permissions sent, checked; `had` are the role's current ones (keeping APP_DEVELOPER is not assigning it). */
function checkPermissions(body: Body, had: readonly Permission[] = []): Permission[] | undefined {
  const permissions = optionalStringList(body, 'permissions', ALL_PERMISSIONS);
  if (permissions === undefined) return undefined;
  if (permissions.length === 0) fail('ROLE_NEEDS_PERMISSION', 'A role needs at least one permission.');
  if (permissions.includes('APP_DEVELOPER') && !had.includes('APP_DEVELOPER')) {
    fail('PERMISSION_DEPRECATED', 'The APP_DEVELOPER permission is deprecated and can no longer be assigned.');
  }
  return permissions;
}

function checkMutable(role: HarmonyRole): void {
  if (role.builtIn) fail('ROLE_IMMUTABLE', `The built-in ${role.name} role cannot be edited, removed or deactivated.`);
}

export function registerRoleRoutes(router: Router, ctx: HarmonyContext): void {
  const { state } = ctx;

  router.get(HarmonyPaths.roles, (req) => {
    authenticate(ctx, req);
    return ok({ roles: state.roles.map(roleWire) });
  });

  router.post(HarmonyPaths.roles, (req) => {
    authenticateWriter(ctx, req);
    const body = readBody(req);
    const name = requiredString(body, 'name');
    const permissions = checkPermissions(body) ?? fail('ROLE_NEEDS_PERMISSION', 'A role needs at least one permission.');
    const active = optionalBoolean(body, 'active') ?? true;
    checkName(state, name);
    const role: HarmonyRole = { roleId: ctx.nextRoleId(), name, permissions, active, builtIn: false };
    state.roles.push(role);
    // A new role has no environment access until it is granted explicitly.
    for (const env of state.environments) state.access.push({ roleId: role.roleId, envId: env.envId, levels: [] });
    return ok({ role: roleWire(role) });
  });

  router.put(HarmonyPaths.role, (req) => {
    authenticateWriter(ctx, req);
    const role = findRole(ctx, req.params.roleId);
    checkMutable(role);
    const body = readBody(req);
    const name = optionalString(body, 'name');
    if (name === '') fail('INVALID_REQUEST', 'name must be a non-empty string.', 400);
    const permissions = checkPermissions(body, role.permissions);
    const active = optionalBoolean(body, 'active');
    if (name !== undefined) checkName(state, name, role);
    if (name !== undefined) role.name = name;
    if (permissions !== undefined) role.permissions = permissions;
    if (active !== undefined) role.active = active;
    return ok({ role: roleWire(role) });
  });

  router.delete(HarmonyPaths.role, (req) => {
    authenticateWriter(ctx, req);
    const role = findRole(ctx, req.params.roleId);
    checkMutable(role);
    state.roles.splice(state.roles.indexOf(role), 1);
    state.access = state.access.filter((a) => a.roleId !== role.roleId);
    let removedFromUsers = 0;
    for (const user of state.users) {
      const before = user.roles.length;
      user.roles = user.roles.filter((a) => a.roleId !== role.roleId);
      removedFromUsers += before - user.roles.length;
    }
    return ok({ roleId: role.roleId, removedFromUsers });
  });
}
