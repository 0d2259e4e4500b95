/**
 * External user rules (docs/design.md §5): the email is an address that belongs to no Harmony user and
 * no other external user of the organization; access ends at 23:59 on the chosen day in the user's
 * own IANA time zone, or never; an invitation can be resent only while the user is REQUESTED or
 * EXPIRED, and a user can be edited (expiry, grants, suspended or active) only while ACTIVE or
 * SUSPENDED. The status is computed here with the expiry rule — a cached ACTIVE past its expiry
 * instant is EXPIRED — so the gateway decides as Harmony will.
 */
import type {
  ExternalUserStatus,
  HarmonyApi,
  HarmonyApiGrant,
  HarmonyApiGroup,
  HarmonyEnvironment,
  HarmonyExternalUser,
  HarmonyUser,
} from '../../datasources/harmony/harmony.schemas.js';
import { accessEndsAt, accessHasEnded } from '../external-expiry.js';
import { checkEmailFree } from './users.rules.js';
import { isEmail, violation, type RuleViolation } from './violation.js';

type ExternalLike = Pick<HarmonyExternalUser, 'externalUserId' | 'email' | 'status' | 'accessExpiresOn' | 'timeZone'>;

export function findExternalUser<U extends Pick<HarmonyExternalUser, 'externalUserId'>>(users: readonly U[], id: string): U | RuleViolation {
  return users.find((u) => u.externalUserId === id) ?? violation('NOT_FOUND', `There is no external user with id ${id}.`, 'externalUserId');
}

/** The status the user has at `now`: EXPIRED once access has ended, whatever was stored. */
export function currentStatus(user: Pick<HarmonyExternalUser, 'status' | 'accessExpiresOn' | 'timeZone'>, now: number): ExternalUserStatus {
  return accessHasEnded(user.accessExpiresOn, user.timeZone, now) ? 'EXPIRED' : user.status;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD` naming a real day. */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function checkTimeZone(timeZone: string | null | undefined): RuleViolation | undefined {
  if (timeZone === undefined || timeZone === null || isTimeZone(timeZone)) return undefined;
  return violation('INVALID_REQUEST', `${timeZone} is not an IANA time zone (for example Europe/Paris).`, 'timeZone');
}

/**
 * An expiry day (null: never) read in `timeZone`: a real date whose 23:59 there has not passed yet
 * (ending someone's access is what suspending is for).
 */
export function checkExpiry(accessExpiresOn: string | null, timeZone: string, now: number): RuleViolation | undefined {
  if (accessExpiresOn === null) return undefined;
  if (!isCalendarDate(accessExpiresOn)) {
    return violation('INVALID_REQUEST', `${accessExpiresOn} is not a date written YYYY-MM-DD.`, 'accessExpiresOn');
  }
  const tz = checkTimeZone(timeZone);
  if (tz) return tz;
  if (now >= accessEndsAt(accessExpiresOn, timeZone)) {
    return violation('INVALID_REQUEST', `Access would already have ended: 23:59 on ${accessExpiresOn} in ${timeZone} has passed.`, 'accessExpiresOn');
  }
  return undefined;
}

export function checkApiGroups(apiGroups: readonly Pick<HarmonyApiGroup, 'apiGroupId'>[], ids: readonly string[] | null | undefined): RuleViolation | undefined {
  const unknown = (ids ?? []).filter((id) => !apiGroups.some((g) => g.apiGroupId === id));
  if (unknown.length === 0) return undefined;
  return violation('NOT_FOUND', `There is no API group with id ${unknown.join(', ')}.`, 'apiGroupIds');
}

/**
 * Individual API grants: each names an environment of the organization and an API published in it
 * (NOT_FOUND otherwise, as Harmony answers; every unknown one named at once).
 */
export function checkApis(
  catalog: { environments: readonly Pick<HarmonyEnvironment, 'envId' | 'envName'>[]; apis: readonly HarmonyApi[] },
  grants: readonly HarmonyApiGrant[] | null | undefined,
): RuleViolation | undefined {
  const problems = (grants ?? []).flatMap((g) => {
    if (!catalog.environments.some((e) => e.envId === g.envId)) return [`there is no environment with id ${g.envId}`];
    const api = catalog.apis.find((a) => a.apiId === g.apiId);
    if (!api) return [`there is no API with id ${g.apiId}`];
    if (api.envId === g.envId) return [];
    const home = catalog.environments.find((e) => e.envId === api.envId);
    return [`API ${g.apiId} is published in ${home ? `${home.envName} (${home.envId})` : `environment ${api.envId}`}, not in environment ${g.envId}`];
  });
  if (problems.length === 0) return undefined;
  const text = problems.join('; ');
  return violation('NOT_FOUND', `${text.charAt(0).toUpperCase()}${text.slice(1)}.`, 'apis');
}

export interface ExternalInvite {
  email: string;
  accessExpiresOn: string | null;
  timeZone: string;
  apiGroupIds?: readonly string[] | null;
  apis?: readonly HarmonyApiGrant[] | null;
}

export function checkExternalInvite(
  directory: {
    users: readonly Pick<HarmonyUser, 'email'>[];
    externalUsers: readonly Pick<HarmonyExternalUser, 'email'>[];
    apiGroups: readonly HarmonyApiGroup[];
    environments: readonly Pick<HarmonyEnvironment, 'envId' | 'envName'>[];
    apis: readonly HarmonyApi[];
  },
  invite: ExternalInvite,
  now: number,
): RuleViolation | undefined {
  if (!isEmail(invite.email)) return violation('INVALID_REQUEST', `${invite.email.trim() || 'An empty value'} is not an email address.`, 'email');
  return (
    checkEmailFree(invite.email, directory.users, directory.externalUsers) ??
    checkTimeZone(invite.timeZone) ??
    checkExpiry(invite.accessExpiresOn, invite.timeZone, now) ??
    checkApiGroups(directory.apiGroups, invite.apiGroupIds) ??
    checkApis(directory, invite.apis)
  );
}

/** Edits (expiry, grants, suspend, reactivate) only while ACTIVE or SUSPENDED. */
export function checkEditable(user: ExternalLike, now: number): RuleViolation | undefined {
  const status = currentStatus(user, now);
  if (status === 'ACTIVE' || status === 'SUSPENDED') return undefined;
  return violation(
    'INVALID_STATUS_TRANSITION',
    `${user.email} is ${status}: an external user can be edited only while ACTIVE or SUSPENDED` +
      (status === 'EXPIRED' ? ' (resend the invitation with a new expiry instead).' : ' (wait until the invitation is accepted).'),
    'externalUserId',
  );
}

/**
 * Resending only while REQUESTED or EXPIRED. A user whose expiry day has passed needs a new expiry
 * (a day to come, or null for never) with the new invitation, or it would arrive already expired.
 */
export function checkResendable(user: ExternalLike, now: number, newExpiry: string | null | undefined): RuleViolation | undefined {
  const status = currentStatus(user, now);
  if (status !== 'REQUESTED' && status !== 'EXPIRED') {
    return violation('INVALID_STATUS_TRANSITION', `${user.email} is ${status}: an invitation can be resent only while REQUESTED or EXPIRED.`, 'externalUserId');
  }
  if (newExpiry === undefined && accessHasEnded(user.accessExpiresOn, user.timeZone, now)) {
    return violation('INVALID_REQUEST', `${user.email}'s access ended on ${user.accessExpiresOn ?? ''}: resend with a new expiry (or null for never).`, 'accessExpiresOn');
  }
  return undefined;
}
