/**
 * The Jitterbit Harmony simulator: Harmony's documented login and our user-management contract
 * (docs/upstreams/harmony.md), over a seeded demo organization, with the business rules of docs/design.md
 * §5 enforced here as the real service would. Tests start it on port 0 and read `state` to
 * compare; `npm run sim` starts it for the gateway in demo mode.
 */
import { type Clock, systemClock } from '../common/clock.js';
import type { FaultConfig } from '../common/faults.js';
import { Rng, uuidFrom } from '../common/rng.js';
import { Router } from '../common/router.js';
import { type SimHandle, startSimServer } from '../common/sim-server.js';
import { DEFAULT_SIZES, type DatasetSizes, type ExternalStatus, INTEGRATION_ACCOUNT, ORG_ID } from '../dataset/demo-org.js';
import { registerAccessRoutes } from './harmony.access.routes.js';
import type { HarmonyContext } from './harmony.context.js';
import { generateHarmonyDataset } from './harmony.dataset.js';
import { errorResponse, notFoundRoute, sameEmail } from './harmony.envelope.js';
import { effectiveStatus } from './harmony.expiry.js';
import { registerExternalUserRoutes } from './harmony.external.routes.js';
import { registerLoginRoutes } from './harmony.login.routes.js';
import { registerOrgRoutes } from './harmony.org.routes.js';
import { registerRoleRoutes } from './harmony.roles.routes.js';
import { SessionStore, TfaChallenges } from './harmony.sessions.js';
import type { HarmonyExternalUser, HarmonyState, OtherOrgMember } from './harmony.types.js';
import { registerUserRoutes } from './harmony.users.routes.js';

export const DEFAULT_HARMONY_PASSWORD = 'demo-password';
export const DEFAULT_SESSION_TIMEOUT_SECONDS = 14_400;
export const DEFAULT_TFA_CODE = '246810';

export interface HarmonySimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  seed?: number;
  sizes?: Partial<DatasetSizes>;
  clock?: Clock;
  /** The integration account (an organization admin); default `integration@demo.example`. */
  email?: string;
  /** The password of every member of the organization; default `demo-password`. */
  password?: string;
  orgId?: string;
  sessionTimeoutSeconds?: number;
  tfaRequired?: boolean;
  /** The code two-factor logins must send (default `246810`). */
  tfaCode?: string;
  ssoEnabled?: boolean;
  subscriptionExpired?: boolean;
  /** Emails that may log in with a password although the organization uses SSO. */
  bypassSso?: string[];
  /** People in other organizations, for SSO_ORG_CONFLICT (default: one SSO and one non-SSO member). */
  otherOrgMembers?: OtherOrgMember[];
  faults?: FaultConfig;
}

export interface HarmonySimulator extends SimHandle {
  credentials: { email: string; password: string; orgId: string };
  /** The live data (mutated by the write routes); compare API answers against it. */
  state: HarmonyState;
  clock: Clock;
  tfaCode: string;
  setSubscriptionExpired(expired: boolean): void;
  setTfaRequired(required: boolean): void;
  setSsoEnabled(enabled: boolean): void;
  setBypassSso(emails: string[]): void;
  /** Completes an external user's registration (REQUESTED → ACTIVE), as clicking the emailed link does. */
  registerExternalUser(email: string): HarmonyExternalUser;
  /** The status an external user reads as now. */
  externalStatus(email: string): ExternalStatus;
  /** Ends every session (the next call answers INVALID_TOKEN). */
  revokeSessions(): void;
  activeSessions(): number;
}

export async function startHarmonySimulator(options: HarmonySimulatorOptions = {}): Promise<HarmonySimulator> {
  const clock = options.clock ?? systemClock;
  const sizes: DatasetSizes = { ...DEFAULT_SIZES, ...options.sizes };
  const seed = options.seed ?? sizes.seed;
  const credentials = {
    email: options.email ?? INTEGRATION_ACCOUNT.email,
    password: options.password ?? DEFAULT_HARMONY_PASSWORD,
    orgId: options.orgId ?? ORG_ID,
  };
  const state = generateHarmonyDataset({
    seed,
    harmonyUsers: sizes.harmonyUsers,
    externalUsers: sizes.externalUsers,
    uemUsers: sizes.uemUsers,
    now: clock.now(),
    orgId: credentials.orgId,
    integrationEmail: credentials.email,
    ssoEnabled: options.ssoEnabled,
    subscriptionExpired: options.subscriptionExpired,
    tfaRequired: options.tfaRequired,
    bypassSso: options.bypassSso,
    otherOrgMembers: options.otherOrgMembers,
  });
  const tfaCode = options.tfaCode ?? DEFAULT_TFA_CODE;
  const idRng = new Rng(seed).fork('harmony-new-external');
  const maxId = (ids: string[]) => ids.reduce((max, id) => Math.max(max, Number(id) || 0), 0);
  let origin = '';

  const ctx: HarmonyContext = {
    state,
    clock,
    sessions: new SessionStore(clock, options.sessionTimeoutSeconds ?? DEFAULT_SESSION_TIMEOUT_SECONDS),
    tfa: new TfaChallenges(clock),
    password: credentials.password,
    tfaCode: () => tfaCode,
    origin: () => origin,
    nextUserId: () => String(maxId(state.users.map((u) => u.userId)) + 1),
    nextRoleId: () => String(maxId(state.roles.map((r) => r.roleId)) + 1),
    nextExternalUserId: () => uuidFrom(idRng),
  };

  const router = new Router();
  registerLoginRoutes(router, ctx);
  registerOrgRoutes(router, ctx);
  registerUserRoutes(router, ctx);
  registerRoleRoutes(router, ctx);
  registerAccessRoutes(router, ctx);
  registerExternalUserRoutes(router, ctx);

  const handle = await startSimServer({
    host: options.host,
    port: options.port,
    router,
    errorResponse,
    notFound: notFoundRoute,
    malformedBody: '{"status":true,"users":[{"userId":"10001","email":',
    now: () => clock.now(),
  });
  origin = handle.url;
  if (options.faults) handle.setFaults(options.faults);

  const externalByEmail = (email: string) => {
    const user = state.externalUsers.find((u) => sameEmail(u.email, email));
    if (!user) throw new Error(`no external user ${email}`);
    return user;
  };

  return {
    ...handle,
    credentials,
    state,
    clock,
    tfaCode,
    setSubscriptionExpired: (expired) => {
      state.org.subscriptionExpired = expired;
    },
    setTfaRequired: (required) => {
      state.org.tfaRequired = required;
    },
    setSsoEnabled: (enabled) => {
      state.org.ssoEnabled = enabled;
    },
    setBypassSso: (emails) => {
      state.bypassSso = [...emails];
    },
    registerExternalUser: (email) => {
      const user = externalByEmail(email);
      const now = new Date(Math.floor(clock.now() / 1000) * 1000).toISOString();
      user.status = 'ACTIVE';
      user.memberSince ??= now;
      user.lastLogin = now;
      return user;
    },
    externalStatus: (email) => effectiveStatus(externalByEmail(email), clock.now()),
    revokeSessions: () => ctx.sessions.revokeAll(),
    activeSessions: () => ctx.sessions.size,
  };
}
