/**
 * The Harmony session of the integration account: the documented `PUT /user/login`, its token
 * cached until the session timeout (less a margin), and one login at a time (single-flight) however
 * many calls need a token at once. A call that finds the token rejected invalidates exactly that
 * token, so concurrent failures lead to one re-login, not one each.
 */
import { envelopeSchema, loginSuccessSchema } from './harmony.schemas.js';
import { HarmonyLoginError } from './harmony.errors.js';
import { HarmonyRoutes } from './harmony.routes.js';
import type { HttpClient, UpstreamCallObserver } from '../upstream-http/http-client.js';
import { parseShape } from '../upstream-http/validate.js';

export interface HarmonyCredentials {
  email: string;
  password: string;
  orgId: string;
  /** Sent with the login; a device that once passed two-factor login may be trusted by Harmony. */
  deviceId?: string;
}

/** Used when Harmony does not say (its documented default is 14,400 s). */
const DEFAULT_SESSION_SECONDS = 14_400;

export class HarmonySession {
  private current: { token: string; renewAt: number } | undefined;
  private inFlight: Promise<string> | undefined;
  private logins = 0;

  constructor(
    private readonly client: HttpClient,
    private readonly credentials: HarmonyCredentials,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many logins this session has made (for tests and diagnostics). */
  get loginCount(): number {
    return this.logins;
  }

  /** A valid token, logging in first when there is none or it is about to time out. */
  token(onUpstreamCall?: UpstreamCallObserver): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return Promise.resolve(this.current.token);
    this.inFlight ??= this.login(onUpstreamCall).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forgets `token` if it is still the current one (a call found it rejected). */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async login(onUpstreamCall?: UpstreamCallObserver): Promise<string> {
    const { email, password, deviceId, orgId } = this.credentials;
    this.logins++;
    const res = await this.client.request({
      method: 'PUT',
      path: HarmonyRoutes.login(),
      body: deviceId ? { email, password, deviceId } : { email, password },
      operation: 'login',
      // Logging in twice only opens two sessions: safe to retry.
      idempotent: true,
      onUpstreamCall,
    });
    const call = { upstream: 'harmony' as const, operation: 'login' };
    const envelope = parseShape(envelopeSchema, res.body ?? {}, call, res.status);
    if (envelope.status === false || envelope.success === false) throw this.refused(HarmonyLoginError.fromCode(envelope.errorCode));
    const login = parseShape(loginSuccessSchema, res.body, call, res.status);
    if (login.orgAttrs.length > 0 && !login.orgAttrs.some((o) => o.orgId === orgId)) throw this.refused(new HarmonyLoginError('ORG_NOT_AVAILABLE'));
    const lifetimeMs = (login.sessionTimeoutInSeconds ?? DEFAULT_SESSION_SECONDS) * 1000;
    // Renew a little early: a minute, or a tenth of a short session.
    const margin = Math.min(60_000, lifetimeMs / 10);
    this.current = { token: login.authenticationToken, renewAt: this.now() + lifetimeMs - margin };
    return login.authenticationToken;
  }

  private refused(error: HarmonyLoginError): HarmonyLoginError {
    this.client.recordError('login', error);
    return error;
  }
}
