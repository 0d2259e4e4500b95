/**
 * The status an external user reads as (docs/design.md §5). Harmony stores a status, but the gateway
 * caches Harmony's lists across requests and must honour an expiry at the instant it passes, so
 * whatever was stored, a user whose access has ended (23:59 of the expiry day in the user's own
 * time zone) reads EXPIRED.
 */
import type { ExternalUserStatus } from '../datasources/harmony/harmony.schemas.js';
import { accessEndsAt, accessHasEnded } from './external-expiry.js';

export function externalStatus(
  user: { status: ExternalUserStatus; accessExpiresOn: string | null; timeZone: string },
  now: number,
): ExternalUserStatus {
  return accessHasEnded(user.accessExpiresOn, user.timeZone, now) ? 'EXPIRED' : user.status;
}

/** The instant access ends as an ISO string; null when it never does or the date is unreadable. */
export function externalAccessEndsAt(user: { accessExpiresOn: string | null; timeZone: string }): string | null {
  if (user.accessExpiresOn === null) return null;
  const end = accessEndsAt(user.accessExpiresOn, user.timeZone);
  return Number.isNaN(end) ? null : new Date(end).toISOString();
}
