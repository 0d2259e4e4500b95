/**
 * UEM checks, in order: reachable (`/system/info` and its version), the tenant code, the
 * credentials, then each permission category the API-only role needs (docs/upstreams/uem.md), probed
 * with read-only calls and named by the console path to fix. The categories, their labels and the
 * fix are the ones a refusal at query time names (src/datasources/uem/uem.role-categories.ts).
 */
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import { roleCategoryFix, UEM_ROLE_CATEGORIES, type UemRoleCategory } from '../datasources/uem/uem.role-categories.js';
import { fail, failureOf, pass, type CheckResult } from './check.js';

/** A read-only probe per permission category (every category has one). */
const PROBES: Record<UemRoleCategory, (uem: UemDatasource, deviceId: number | undefined) => Promise<unknown>> = {
  devices: (uem) => uem.searchDevices({}, 0, 1),
  groups: (uem) => uem.searchOrganizationGroups(),
  bulk: (uem) => uem.bulkSettings(),
  compliance: (uem, id) => (id === undefined ? Promise.resolve() : uem.deviceCompliance(id)),
  reports: (uem) => uem.extensiveSearch({}, 0, 1),
  tags: (uem) => uem.searchTags(),
};

export async function uemChecks(uem: UemDatasource, auth: 'basic' | 'oauth'): Promise<{ results: CheckResult[]; usable: boolean }> {
  const results: CheckResult[] = [];
  const credentials = auth === 'basic' ? 'Basic (UEM_USERNAME, UEM_PASSWORD)' : 'OAuth client credentials';
  try {
    const info = await uem.systemInfo();
    results.push(pass('uem', 'reachable', `${info.productName ?? 'Workspace ONE UEM'} ${info.productVersion ?? ''}`.trim()));
    results.push(pass('uem', 'tenant code', 'accepted'));
    results.push(pass('uem', `credentials: ${credentials}`, 'accepted'));
  } catch (err) {
    const f = failureOf(err);
    if (f.status === 403 && f.upstreamCode === '1013') {
      results.push(pass('uem', 'reachable', 'answers'));
      results.push(fail('uem', 'tenant code', 'refused (403, 1013)', 'Set UEM_TENANT_CODE to the REST API key of Groups & Settings > All Settings > System > Advanced > API > REST API.'));
    } else if (f.status === 401 || f.operation === 'oauth.token') {
      results.push(pass('uem', 'reachable', 'answers'));
      results.push(pass('uem', 'tenant code', 'not refused'));
      results.push(
        fail('uem', `credentials: ${credentials}`, `refused (${f.status ?? f.code ?? 'error'})`, auth === 'basic'
          ? 'Check UEM_USERNAME and UEM_PASSWORD of the API-only admin.'
          : 'Check UEM_OAUTH_TOKEN_URL (the region of the tenant), UEM_OAUTH_CLIENT_ID and UEM_OAUTH_CLIENT_SECRET.'),
      );
    } else {
      results.push(fail('uem', 'reachable', f.message, 'Check UEM_BASE_URL (the as… API host, not the cn… console host) and that this machine can reach it.'));
    }
    return { results, usable: false };
  }
  let deviceId: number | undefined;
  for (const [category, label] of Object.entries(UEM_ROLE_CATEGORIES) as [UemRoleCategory, string][]) {
    const probe = PROBES[category];
    try {
      const answer = await probe(uem, deviceId);
      if (deviceId === undefined && answer && typeof answer === 'object' && 'items' in answer) {
        deviceId = (answer as { items: { id: number }[] }).items[0]?.id;
      }
      results.push(pass('uem', `permission: ${label}`, 'granted'));
    } catch (err) {
      const f = failureOf(err);
      results.push(
        f.status === 403
          ? fail('uem', `permission: ${label}`, 'refused (403)', roleCategoryFix(category))
          : fail('uem', `permission: ${label}`, f.message, 'Retry; if it persists, check the UEM tenant.'),
      );
    }
  }
  return { results, usable: true };
}
