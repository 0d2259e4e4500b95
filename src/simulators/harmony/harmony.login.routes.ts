/**
 * Harmony's documented login: `PUT /user/login` and, for two-factor organizations, `PUT
 * /user/login/tfacode`. Failures are HTTP 200 with `{ status: false, operation, errorCode,
 * errorMessage }`. Every member of the organization logs in with the simulator's password.
 */
import type { Router, SimResponse } from '../common/router.js';
import type { HarmonyContext } from './harmony.context.js';
import { harmonyUserByEmail } from './harmony.context.js';
import { failure, optionalString, readBody, requiredString, sameEmail, type HarmonyErrorCode } from './harmony.envelope.js';
import { HarmonyPaths } from './harmony.paths.js';
import type { HarmonyUser } from './harmony.types.js';

const loginFailure = (operation: string, code: HarmonyErrorCode, message: string): SimResponse =>
  failure(code, message, 200, { operation });

function loginSuccess(ctx: HarmonyContext, user: HarmonyUser): SimResponse {
  const { org } = ctx.state;
  const session = ctx.sessions.create(user.userId, org.orgId);
  const origin = ctx.origin();
  return {
    status: 200,
    body: {
      status: true,
      authenticationToken: session.token,
      serverUrl: origin,
      cloudAppsUrl: `${origin}/apps`,
      orgAttrs: [{ orgId: org.orgId, orgName: org.orgName, orgZoneUrl: origin }],
      defaultOrgId: org.orgId,
      sessionTimeoutInSeconds: ctx.sessions.timeoutSeconds,
    },
  };
}

export function registerLoginRoutes(router: Router, ctx: HarmonyContext): void {
  router.put(HarmonyPaths.login, (req) => {
    const body = readBody(req);
    const email = requiredString(body, 'email');
    const password = requiredString(body, 'password');
    const deviceId = optionalString(body, 'deviceId');
    const user = harmonyUserByEmail(ctx.state, email);
    if (!user || password !== ctx.password) {
      return loginFailure('login', 'INVALID_CREDENTIALS', 'The email or password is incorrect.');
    }
    const { org, bypassSso } = ctx.state;
    if (org.ssoEnabled && !bypassSso.some((e) => sameEmail(e, email))) {
      return loginFailure('login', 'SSO_LOGIN_REQUIRED', 'This organization signs in through its identity provider (SSO).');
    }
    if (org.tfaRequired && !ctx.tfa.isTrusted(email, deviceId)) {
      ctx.tfa.start(email);
      return loginFailure('login', 'VALIDATE_TFA_LOGIN_EMAIL', 'A verification code was emailed; send it to /user/login/tfacode.');
    }
    return loginSuccess(ctx, user);
  });

  router.put(HarmonyPaths.tfaCode, (req) => {
    const body = readBody(req);
    const email = requiredString(body, 'email');
    const code = requiredString(body, 'code');
    const deviceId = optionalString(body, 'deviceId');
    const user = harmonyUserByEmail(ctx.state, email);
    if (!user || !ctx.tfa.hasPending(email) || code !== ctx.tfaCode()) {
      return loginFailure('tfacode', 'INVALID_TFA_CODE', 'The verification code is wrong or has expired; log in again.');
    }
    ctx.tfa.complete(email);
    ctx.tfa.trust(email, deviceId);
    return loginSuccess(ctx, user);
  });
}
