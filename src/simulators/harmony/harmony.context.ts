/**
 * What every route handler shares: the live state, the clock, sessions, and the checks that
 * stand in front of the user-management routes (a live session, the right organization, and for
 * writes an active ADMIN role and a current subscription).
 */
import type { Clock } from '../common/clock.js';
import type { SimRequest } from '../common/router.js';
import { fail, sameEmail } from './harmony.envelope.js';
import { AUTH_HEADER } from './harmony.paths.js';
import type { Session, SessionStore, TfaChallenges } from './harmony.sessions.js';
import type { HarmonyExternalUser, HarmonyRole, HarmonyState, HarmonyUser } from './harmony.types.js';

export interface HarmonyContext {
  state: HarmonyState;
  clock: Clock;
  sessions: SessionStore;
  tfa: TfaChallenges;
  /** The password every member of the organization logs in with. */
  password: string;
  tfaCode(): string;
  /** The simulator's own origin, known once it listens (`serverUrl`, `orgZoneUrl`). */
  origin(): string;
  nextUserId(): string;
  nextRoleId(): string;
  nextExternalUserId(): string;
}

export interface Caller {
  session: Session;
  user: HarmonyUser;
}

/** Whether the user holds an active assignment to an active role with the ADMIN permission. */
export function isOrgAdmin(state: HarmonyState, user: HarmonyUser): boolean {
  return user.roles.some((a) => {
    if (!a.active) return false;
    const role = state.roles.find((r) => r.roleId === a.roleId);
    return role !== undefined && role.active && role.permissions.includes('ADMIN');
  });
}

/** A live session for the organization in the path, or INVALID_TOKEN (401) / NOT_FOUND. */
export function authenticate(ctx: HarmonyContext, req: SimRequest): Caller {
  const header = req.headers[AUTH_HEADER];
  const token = Array.isArray(header) ? header[0] : header;
  const session = ctx.sessions.get(token);
  const user = session && ctx.state.users.find((u) => u.userId === session.userId);
  if (!session || !user) fail('INVALID_TOKEN', 'The authentication token is missing, invalid or expired.', 401);
  if (req.params.orgId !== ctx.state.org.orgId || session.orgId !== ctx.state.org.orgId) {
    fail('NOT_FOUND', `No organization ${req.params.orgId ?? ''} for this user.`);
  }
  return { session, user };
}

/** A caller allowed to change the organization: an org admin, with a current subscription. */
export function authenticateWriter(ctx: HarmonyContext, req: SimRequest): Caller {
  const caller = authenticate(ctx, req);
  if (!isOrgAdmin(ctx.state, caller.user)) {
    fail('NOT_ORG_ADMIN', 'Only an organization administrator (an active role with the Admin permission) can do this.');
  }
  if (ctx.state.org.subscriptionExpired) {
    fail('SUBSCRIPTION_EXPIRED', "The organization's Harmony subscription has expired: administration is read-only.");
  }
  return caller;
}

export function findUser(ctx: HarmonyContext, userId: string | undefined): HarmonyUser {
  const user = ctx.state.users.find((u) => u.userId === userId);
  return user ?? fail('NOT_FOUND', `No Harmony user ${userId ?? ''} in this organization.`);
}

export function findRole(ctx: HarmonyContext, roleId: string | undefined): HarmonyRole {
  const role = ctx.state.roles.find((r) => r.roleId === roleId);
  return role ?? fail('NOT_FOUND', `No role ${roleId ?? ''} in this organization.`);
}

export function findExternalUser(ctx: HarmonyContext, id: string | undefined): HarmonyExternalUser {
  const user = ctx.state.externalUsers.find((u) => u.externalUserId === id);
  return user ?? fail('NOT_FOUND', `No external user ${id ?? ''} in this organization.`);
}

export const harmonyUserByEmail = (state: HarmonyState, email: string) => state.users.find((u) => sameEmail(u.email, email));
export const externalUserByEmail = (state: HarmonyState, email: string) =>
  state.externalUsers.find((u) => sameEmail(u.email, email));
