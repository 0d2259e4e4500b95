/**
 * External users (defined here, docs/upstreams/harmony.md). Rules of docs/design.md §5: an external user's email is
 * never a Harmony user's; access ends at 23:59 on `accessExpiresOn` in the user's `timeZone`
 * (the status reads EXPIRED from then on, computed on every read); resend only while REQUESTED or
 * EXPIRED; edit only while ACTIVE or SUSPENDED, and only to ACTIVE or SUSPENDED. Grants are API
 * groups (`apiGroupIds`) and APIs on their own (`apis: [{ envId, apiId }]`, an API in the environment
 * it is published in); each list, when present, replaces the user's.
 */
import type { Router } from '../common/router.js';
import { authenticate, authenticateWriter, externalUserByEmail, findExternalUser, harmonyUserByEmail, type HarmonyContext } from './harmony.context.js';
import { type Body, fail, isEmail, ok, optionalString, optionalStringList, readBody, requiredString } from './harmony.envelope.js';
import { effectiveStatus, isCalendarDate, isTimeZone } from './harmony.expiry.js';
import { HarmonyPaths } from './harmony.paths.js';
import { ALL_STATUSES, type ApiGrant, type HarmonyExternalUser, type HarmonyState } from './harmony.types.js';
import { externalUserWire } from './harmony.wire.js';

const invalid = (message: string): never => fail('INVALID_REQUEST', message, 400);

/** `accessExpiresOn` when the key is present: a date or null (never); undefined when absent. */
function expiryField(body: Body): string | null | undefined {
  if (!('accessExpiresOn' in body)) return undefined;
  const v = body.accessExpiresOn;
  if (v === null) return null;
  if (typeof v !== 'string' || !isCalendarDate(v)) return invalid('accessExpiresOn must be a date YYYY-MM-DD or null.');
  return v;
}

function timeZoneField(body: Body): string | undefined {
  const tz = optionalString(body, 'timeZone');
  if (tz !== undefined && !isTimeZone(tz)) invalid(`timeZone must be an IANA time zone, not "${tz}".`);
  return tz;
}

function apiGroupIdsField(state: HarmonyState, body: Body): string[] | undefined {
  const ids = optionalStringList(body, 'apiGroupIds');
  for (const id of ids ?? []) {
    if (!state.apiGroups.some((g) => g.apiGroupId === id)) fail('NOT_FOUND', `No API group ${id} in this organization.`);
  }
  return ids;
}

/**
 * Individual API grants, `[{ envId, apiId }]`: each names an environment of the organization and an
 * API published there (NOT_FOUND otherwise, naming what is unknown). The list replaces the user's
 * grants; a grant given twice counts once.
 */
function apisField(state: HarmonyState, body: Body): ApiGrant[] | undefined {
  const v = body.apis;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return invalid('apis must be a list of { envId, apiId }.');
  const grants = new Map<string, ApiGrant>();
  for (const item of v as unknown[]) {
    const grant = item as Partial<Record<string, unknown>> | null;
    if (typeof grant !== 'object' || grant === null || typeof grant.envId !== 'string' || typeof grant.apiId !== 'string') {
      return invalid('apis must be a list of { envId, apiId }.');
    }
    const { envId, apiId } = grant as { envId: string; apiId: string };
    if (!state.environments.some((e) => e.envId === envId)) fail('NOT_FOUND', `No environment ${envId} in this organization.`);
    const api = state.apis.find((a) => a.apiId === apiId);
    if (!api) fail('NOT_FOUND', `No API ${apiId} in this organization.`);
    if (api.envId !== envId) fail('NOT_FOUND', `No API ${apiId} in environment ${envId}: it is published in environment ${api.envId}.`);
    grants.set(`${envId}\u0000${apiId}`, { envId, apiId });
  }
  return [...grants.values()];
}

export function registerExternalUserRoutes(router: Router, ctx: HarmonyContext): void {
  const { state } = ctx;
  const wire = (u: HarmonyExternalUser) => externalUserWire(u, ctx.clock.now());

  router.get(HarmonyPaths.externalUsers, (req) => {
    authenticate(ctx, req);
    return ok({ externalUsers: state.externalUsers.map(wire) });
  });

  router.post(HarmonyPaths.externalUsers, (req) => {
    authenticateWriter(ctx, req);
    const body = readBody(req);
    const email = requiredString(body, 'email');
    if (!isEmail(email)) invalid('email must be an email address.');
    const accessExpiresOn = expiryField(body) ?? null;
    const timeZone = timeZoneField(body) ?? 'UTC';
    const apiGroupIds = apiGroupIdsField(state, body) ?? [];
    const apis = apisField(state, body) ?? [];
    if (harmonyUserByEmail(state, email)) fail('EMAIL_IS_ORG_MEMBER', 'This email belongs to a Harmony user of the organization.');
    if (externalUserByEmail(state, email)) fail('EMAIL_IS_EXTERNAL_USER', 'This email already belongs to an external user.');
    const user: HarmonyExternalUser = {
      externalUserId: ctx.nextExternalUserId(),
      email,
      name: optionalString(body, 'name') ?? '',
      company: optionalString(body, 'company') ?? '',
      status: 'REQUESTED',
      accessExpiresOn,
      timeZone,
      lastLogin: null,
      memberSince: null,
      apiGroupIds,
      apis,
      invitationsSent: 1,
    };
    state.externalUsers.push(user);
    return ok({ externalUser: wire(user) });
  });

  router.put(HarmonyPaths.externalUser, (req) => {
    authenticateWriter(ctx, req);
    const user = findExternalUser(ctx, req.params.externalUserId);
    const current = effectiveStatus(user, ctx.clock.now());
    if (current !== 'ACTIVE' && current !== 'SUSPENDED') {
      fail('INVALID_STATUS_TRANSITION', `An external user can be edited only while ACTIVE or SUSPENDED, not ${current}.`);
    }
    const body = readBody(req);
    const status = optionalString(body, 'status');
    if (status !== undefined && !(ALL_STATUSES as readonly string[]).includes(status)) invalid(`status ${status} is unknown.`);
    if (status !== undefined && status !== 'ACTIVE' && status !== 'SUSPENDED') {
      fail('INVALID_STATUS_TRANSITION', `An edit can set ACTIVE or SUSPENDED, not ${status}.`);
    }
    const accessExpiresOn = expiryField(body);
    const timeZone = timeZoneField(body);
    const apiGroupIds = apiGroupIdsField(state, body);
    const apis = apisField(state, body);
    const name = optionalString(body, 'name');
    const company = optionalString(body, 'company');
    if (status !== undefined) user.status = status;
    if (accessExpiresOn !== undefined) user.accessExpiresOn = accessExpiresOn;
    if (timeZone !== undefined) user.timeZone = timeZone;
    if (apiGroupIds !== undefined) user.apiGroupIds = apiGroupIds;
    if (apis !== undefined) user.apis = apis;
    if (name !== undefined) user.name = name;
    if (company !== undefined) user.company = company;
    return ok({ externalUser: wire(user) });
  });

  router.post(HarmonyPaths.externalUserResend, (req) => {
    authenticateWriter(ctx, req);
    const user = findExternalUser(ctx, req.params.externalUserId);
    const current = effectiveStatus(user, ctx.clock.now());
    if (current !== 'REQUESTED' && current !== 'EXPIRED') {
      fail('INVALID_STATUS_TRANSITION', `An invitation can be resent only while REQUESTED or EXPIRED, not ${current}.`);
    }
    // The new invitation may carry a new expiry (an expired user needs one to get back in).
    const body = readBody(req);
    const accessExpiresOn = expiryField(body);
    const timeZone = timeZoneField(body);
    if (accessExpiresOn !== undefined) user.accessExpiresOn = accessExpiresOn;
    if (timeZone !== undefined) user.timeZone = timeZone;
    user.status = 'REQUESTED';
    user.invitationsSent++;
    return ok({ externalUser: wire(user) });
  });

  router.delete(HarmonyPaths.externalUser, (req) => {
    authenticateWriter(ctx, req);
    const user = findExternalUser(ctx, req.params.externalUserId);
    state.externalUsers.splice(state.externalUsers.indexOf(user), 1);
    return ok({ externalUserId: user.externalUserId });
  });
}
