/**
 * Harmony's body-level error codes (docs/upstreams/harmony.md) mapped to the contract's codes, with our
 * own wording (Harmony's `errorMessage` is never copied). Business-rule refusals are the caller's
 * to fix (BAD_USER_INPUT with `upstreamCode`); refusals about the integration account or the
 * session are the gateway's problem (UPSTREAM_UNAVAILABLE).
 */
import { ErrorCode, UpstreamError } from '../../errors.js';
import { upstreamRejected, type CallInfo } from '../upstream-http/error-map.js';

const known: Record<string, [ErrorCode, string]> = {
  ROLE_NAME_EXISTS: [ErrorCode.BAD_USER_INPUT, 'refused the change: a role with this name already exists'],
  ROLE_IMMUTABLE: [ErrorCode.BAD_USER_INPUT, 'refused the change: built-in roles cannot be edited, removed or deactivated'],
  ROLE_NEEDS_PERMISSION: [ErrorCode.BAD_USER_INPUT, 'refused the change: a role needs at least one permission'],
  PERMISSION_DEPRECATED: [ErrorCode.BAD_USER_INPUT, 'refused the change: the APP_DEVELOPER permission can no longer be assigned'],
  EMAIL_IS_ORG_MEMBER: [ErrorCode.BAD_USER_INPUT, 'refused the change: the email belongs to a Harmony user of the organization'],
  EMAIL_IS_EXTERNAL_USER: [ErrorCode.BAD_USER_INPUT, 'refused the change: the email belongs to an external user of the organization'],
  SSO_ORG_CONFLICT: [ErrorCode.BAD_USER_INPUT, 'refused the change: single sign-on membership rules do not allow it'],
  INVALID_STATUS_TRANSITION: [ErrorCode.BAD_USER_INPUT, "refused the change: the external user's status does not allow it"],
  SUBSCRIPTION_EXPIRED: [ErrorCode.BAD_USER_INPUT, "refused the change: the organization's subscription has expired (read-only)"],
  INVALID_REQUEST: [ErrorCode.BAD_USER_INPUT, 'rejected the request as invalid'],
  NOT_FOUND: [ErrorCode.NOT_FOUND, 'has no such object'],
  RATE_LIMITED: [ErrorCode.RATE_LIMITED, 'rate limit reached'],
  NOT_ORG_ADMIN: [ErrorCode.UPSTREAM_UNAVAILABLE, 'refused: the integration account is not an organization administrator'],
  INVALID_TOKEN: [ErrorCode.UPSTREAM_UNAVAILABLE, 'rejected the session token'],
};

/** The UpstreamError for a `status: false` body with Harmony's `errorCode`. */
export function harmonyBodyError(call: CallInfo, upstreamCode: string | number | undefined, status?: number): UpstreamError {
  const entry = upstreamCode === undefined ? undefined : known[String(upstreamCode)];
  const [code, summary] = entry ?? [ErrorCode.UPSTREAM_UNAVAILABLE, 'reported a failure'];
  return upstreamRejected(call, code, upstreamCode, summary, status);
}

/** Whether an error says the session token is no longer valid (log in again). */
export function isInvalidToken(err: unknown): boolean {
  return err instanceof UpstreamError && err.upstream === 'harmony' && (err.details.upstreamCode === 'INVALID_TOKEN' || err.details.status === 401);
}

export type HarmonyLoginFailure =
  | 'TFA_REQUIRED'
  | 'INVALID_CREDENTIALS'
  | 'SSO_REQUIRED'
  | 'ORG_NOT_AVAILABLE'
  | 'LOGIN_REJECTED';

const loginReasons: Record<string, HarmonyLoginFailure> = {
  VALIDATE_TFA_LOGIN_EMAIL: 'TFA_REQUIRED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  SSO_LOGIN_REQUIRED: 'SSO_REQUIRED',
};

const loginMessages: Record<HarmonyLoginFailure, string> = {
  TFA_REQUIRED:
    'Harmony login needs a two-factor code for the integration account: the organization requires two-factor login. Use an account (or a trusted deviceId) that can log in without a code.',
  INVALID_CREDENTIALS: 'Harmony login failed: the integration email or password is wrong.',
  SSO_REQUIRED: 'Harmony login failed: the organization uses single sign-on and the integration account is not on its Bypass SSO list.',
  ORG_NOT_AVAILABLE: 'Harmony login succeeded, but the configured organization is not one the integration account belongs to.',
  LOGIN_REJECTED: 'Harmony login was refused.',
};

/**
 * The integration account cannot log in. At start-up this is a configuration error to report with
 * its reason; during a request it is an UPSTREAM_UNAVAILABLE like any other Harmony failure.
 */
export class HarmonyLoginError extends UpstreamError {
  constructor(
    readonly reason: HarmonyLoginFailure,
    upstreamCode?: string | number,
  ) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, 'harmony', loginMessages[reason], { operation: 'login', upstreamCode });
    this.name = 'HarmonyLoginError';
  }

  static fromCode(upstreamCode: string | number | undefined): HarmonyLoginError {
    const reason = (upstreamCode !== undefined && loginReasons[String(upstreamCode)]) || 'LOGIN_REJECTED';
    return new HarmonyLoginError(reason, upstreamCode);
  }
}
