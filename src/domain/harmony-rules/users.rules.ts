/**
 * Harmony user rules (docs/design.md §5): an invitee is an email address — in an SSO organization it must
 * be the identity provider's username, which is an email (SSO_ORG_CONFLICT) — that belongs neither
 * to a Harmony user nor to an external user of the organization, and is invited with at least one
 * existing role. Assignment changes name an existing user and role; changing or removing an
 * assignment needs the role to be assigned. (Membership of *other* organizations is known only to
 * Harmony, which refuses that case itself.)
 */
import type { HarmonyExternalUser, HarmonyOrganization, HarmonyRole, HarmonyUser } from '../../datasources/harmony/harmony.schemas.js';
import { findRole } from './roles.rules.js';
import { isEmail, isViolation, sameEmail, violation, type RuleViolation } from './violation.js';

export function findUser<U extends Pick<HarmonyUser, 'userId'>>(users: readonly U[], userId: string): U | RuleViolation {
  return users.find((u) => u.userId === userId) ?? violation('NOT_FOUND', `There is no Harmony user with id ${userId}.`, 'userId');
}

/** Neither a Harmony user nor an external user of the organization has this email. */
export function checkEmailFree(
  email: string,
  users: readonly Pick<HarmonyUser, 'email'>[],
  externalUsers: readonly Pick<HarmonyExternalUser, 'email'>[],
): RuleViolation | undefined {
  if (users.some((u) => sameEmail(u.email, email))) {
    return violation('EMAIL_IS_ORG_MEMBER', `${email.trim()} already belongs to a Harmony user of the organization.`, 'email');
  }
  if (externalUsers.some((u) => sameEmail(u.email, email))) {
    return violation('EMAIL_IS_EXTERNAL_USER', `${email.trim()} belongs to an external user of the organization.`, 'email');
  }
  return undefined;
}

export interface HarmonyInvite {
  email: string;
  roleIds: readonly string[];
}

export function checkHarmonyInvite(
  org: Pick<HarmonyOrganization, 'ssoEnabled'>,
  directory: { users: readonly HarmonyUser[]; externalUsers: readonly HarmonyExternalUser[]; roles: readonly HarmonyRole[] },
  invite: HarmonyInvite,
): RuleViolation | undefined {
  if (!isEmail(invite.email)) {
    return org.ssoEnabled
      ? violation('SSO_ORG_CONFLICT', "The organization uses single sign-on: invite the identity provider's username, an email address.", 'email')
      : violation('INVALID_REQUEST', `${invite.email.trim() || 'An empty value'} is not an email address.`, 'email');
  }
  const taken = checkEmailFree(invite.email, directory.users, directory.externalUsers);
  if (taken) return taken;
  if (invite.roleIds.length === 0) return violation('INVALID_REQUEST', 'Invite a user with at least one role.', 'roleIds');
  for (const roleId of invite.roleIds) {
    const role = findRole(directory.roles, roleId);
    if (isViolation(role)) return { ...role, field: 'roleIds' };
  }
  return undefined;
}

/** The user and the role of an assignment change; `mustBeAssigned` for status changes and unassigning. */
export function checkAssignment(
  directory: { users: readonly HarmonyUser[]; roles: readonly HarmonyRole[] },
  userId: string,
  roleId: string,
  mustBeAssigned: boolean,
): RuleViolation | undefined {
  const user = findUser(directory.users, userId);
  if (isViolation(user)) return user;
  const role = findRole(directory.roles, roleId);
  if (isViolation(role)) return role;
  if (mustBeAssigned && !user.roles.some((a) => a.roleId === roleId)) {
    return violation('NOT_FOUND', `The role ${role.name} is not assigned to ${user.email}.`, 'roleId');
  }
  return undefined;
}
