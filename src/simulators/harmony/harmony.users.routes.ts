/**
 * Harmony users and their role assignments (defined here, docs/upstreams/harmony.md). Invitations enforce the
 * membership rules of docs/design.md §5: an email is never both a Harmony user and an external user,
 * and in an SSO organization the invitee must be an email that belongs to no other organization
 * (nor may anyone join a second organization when that one uses SSO).
 */
import type { Router } from '../common/router.js';
import { authenticate, authenticateWriter, externalUserByEmail, findRole, findUser, harmonyUserByEmail, type HarmonyContext } from './harmony.context.js';
import { fail, isEmail, ok, optionalBoolean, optionalStringList, readBody, requiredString, sameEmail } from './harmony.envelope.js';
import { HarmonyPaths } from './harmony.paths.js';
import type { HarmonyState } from './harmony.types.js';
import { userWire } from './harmony.wire.js';

function checkSsoMembership(state: HarmonyState, email: string): void {
  if (state.org.ssoEnabled && !isEmail(email)) {
    fail('SSO_ORG_CONFLICT', "In an SSO organization the invitee must be the identity provider's username: an email address.");
  }
  const elsewhere = state.otherOrgMembers.find((m) => sameEmail(m.email, email));
  if (elsewhere && (state.org.ssoEnabled || elsewhere.sso)) {
    fail(
      'SSO_ORG_CONFLICT',
      elsewhere.sso
        ? 'This person belongs to an SSO organization and cannot join another one.'
        : 'This person belongs to another organization; a member of an SSO organization cannot belong to any other.',
    );
  }
}

export function registerUserRoutes(router: Router, ctx: HarmonyContext): void {
  const { state } = ctx;

  router.get(HarmonyPaths.users, (req) => {
    authenticate(ctx, req);
    return ok({ users: state.users.map(userWire) });
  });

  router.post(HarmonyPaths.users, (req) => {
    authenticateWriter(ctx, req);
    const body = readBody(req);
    const email = requiredString(body, 'email');
    const roleIds = optionalStringList(body, 'roleIds') ?? [];
    if (roleIds.length === 0) fail('INVALID_REQUEST', 'roleIds must name at least one role.', 400);
    checkSsoMembership(state, email);
    if (!isEmail(email)) fail('INVALID_REQUEST', 'email must be an email address.', 400);
    if (harmonyUserByEmail(state, email)) fail('EMAIL_IS_ORG_MEMBER', 'This email already belongs to a Harmony user of the organization.');
    if (externalUserByEmail(state, email)) fail('EMAIL_IS_EXTERNAL_USER', 'This email belongs to an external user of the organization.');
    const roles = roleIds.map((id) => ({ roleId: findRole(ctx, id).roleId, active: true }));
    const user = { userId: ctx.nextUserId(), email, firstName: '', lastName: '', roles };
    state.users.push(user);
    return ok({ user: userWire(user) });
  });

  router.delete(HarmonyPaths.user, (req) => {
    authenticateWriter(ctx, req);
    const user = findUser(ctx, req.params.userId);
    state.users.splice(state.users.indexOf(user), 1);
    ctx.sessions.revokeUser(user.userId);
    return ok({ userId: user.userId });
  });

  router.put(HarmonyPaths.userRole, (req) => {
    authenticateWriter(ctx, req);
    const user = findUser(ctx, req.params.userId);
    const role = findRole(ctx, req.params.roleId);
    const active = optionalBoolean(readBody(req), 'active') ?? true;
    const assignment = user.roles.find((a) => a.roleId === role.roleId);
    if (assignment) assignment.active = active;
    else user.roles.push({ roleId: role.roleId, active });
    return ok({ user: userWire(user) });
  });

  router.delete(HarmonyPaths.userRole, (req) => {
    authenticateWriter(ctx, req);
    const user = findUser(ctx, req.params.userId);
    const role = findRole(ctx, req.params.roleId);
    const index = user.roles.findIndex((a) => a.roleId === role.roleId);
    if (index < 0) fail('NOT_FOUND', `Role ${role.roleId} is not assigned to user ${user.userId}.`);
    user.roles.splice(index, 1);
    return ok({ user: userWire(user) });
  });
}
