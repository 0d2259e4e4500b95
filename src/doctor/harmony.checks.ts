/**
 * Harmony checks, in order: login of the integration account, the organization, the account's
 * admin status (writes need it), and the environments.
 */
import { harmonyPrincipal } from '../auth/principal.js';
import type { HarmonyDatasource } from '../datasources/harmony/harmony.datasource.js';
import type { HarmonyEnvironment } from '../datasources/harmony/harmony.schemas.js';
import { HarmonyLoginError } from '../datasources/harmony/harmony.errors.js';
import { fail, failureOf, pass, type CheckResult } from './check.js';

const LOGIN_FIX: Record<string, string> = {
  TFA_REQUIRED: 'Use an integration account that can log in without a two-factor code (Harmony requires one for this account).',
  INVALID_CREDENTIALS: 'Check HARMONY_EMAIL and HARMONY_PASSWORD.',
  SSO_REQUIRED: "Add the integration account to the organization's Bypass SSO list.",
  ORG_NOT_AVAILABLE: 'Set HARMONY_ORG_ID to an organization the integration account belongs to.',
};

export async function harmonyChecks(
  harmony: HarmonyDatasource,
  email: string,
): Promise<{ results: CheckResult[]; environments: HarmonyEnvironment[] | undefined }> {
  const results: CheckResult[] = [];
  let organization;
  try {
    organization = await harmony.start();
    results.push(pass('harmony', 'login', email));
  } catch (err) {
    if (err instanceof HarmonyLoginError) {
      results.push(fail('harmony', 'login', err.message, LOGIN_FIX[err.reason] ?? 'Check the HARMONY_* settings.'));
    } else {
      results.push(fail('harmony', 'login', failureOf(err).message, 'Check HARMONY_BASE_URL (the region host) and that this machine can reach it.'));
    }
    return { results, environments: undefined };
  }
  results.push(
    organization.subscriptionExpired
      ? fail('harmony', 'organization', `${organization.orgName}: subscription expired (read-only)`, 'Renew the Harmony subscription; until then every Harmony write is refused.')
      : pass('harmony', 'organization', organization.orgName),
  );
  try {
    const [users, roles, access] = await Promise.all([harmony.users(), harmony.roles(), harmony.environmentAccess()]);
    const principal = harmonyPrincipal({ users, roles, access, environments: [], subscriptionExpired: false }, email);
    results.push(
      principal?.isAdmin
        ? pass('harmony', 'integration account is an organization admin', 'yes')
        : fail('harmony', 'integration account is an organization admin', 'no active ADMIN role', 'Assign the Administrator role (active) to the integration account, or Harmony writes will be refused.'),
    );
    const environments = await harmony.environments();
    results.push(
      environments.length > 0
        ? pass('harmony', 'environments', environments.map((e) => e.envName).join(', '))
        : fail('harmony', 'environments', 'none', 'Create at least one environment in Harmony.'),
    );
    return { results, environments };
  } catch (err) {
    results.push(fail('harmony', 'organization data', failureOf(err).message, 'Retry; if it persists, check the Harmony organization.'));
    return { results, environments: undefined };
  }
}
