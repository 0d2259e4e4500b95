/** The wire shapes of docs/upstreams/harmony.md, built from the stored state (and only these fields). */
import { effectiveStatus } from './harmony.expiry.js';
import type { HarmonyExternalUser, HarmonyRole, HarmonyUser } from './harmony.types.js';

export const userWire = (u: HarmonyUser) => ({
  userId: u.userId,
  email: u.email,
  roles: u.roles.map((a) => ({ roleId: a.roleId, active: a.active })),
});

export const roleWire = (r: HarmonyRole) => ({
  roleId: r.roleId,
  name: r.name,
  permissions: [...r.permissions],
  active: r.active,
  builtIn: r.builtIn,
});

/** An external user as read at `now`: the status is EXPIRED once its expiry instant has passed. */
export const externalUserWire = (u: HarmonyExternalUser, now: number) => ({
  externalUserId: u.externalUserId,
  email: u.email,
  name: u.name,
  company: u.company,
  status: effectiveStatus(u, now),
  accessExpiresOn: u.accessExpiresOn,
  timeZone: u.timeZone,
  lastLogin: u.lastLogin,
  memberSince: u.memberSince,
  apiGroupIds: [...u.apiGroupIds],
  apis: u.apis.map((a) => ({ envId: a.envId, apiId: a.apiId })),
});
