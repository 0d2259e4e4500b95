/**
 * UEM checks, in order: reachable (`/system/info` and its version), the tenant code, the
 * credentials, then each permission category the API-only role needs (docs/upstreams/uem.md), probed
 * with read-only calls and named by the console path to fix.
 */
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import { fail, failureOf, pass, type CheckResult } from './check.js';

const ROLE_FIX = (label: string) =>
  `In the UEM console, edit the API-only admin's role (Accounts > Administrators > Roles) and set ${label} to Edit.`;

/** Permission category → console label and a read-only probe. */
const PROBES: { label: string; probe: (uem: UemDatasource, deviceId: number | undefined) => Promise<unknown> }[] = [
  { label: 'API > REST > Devices', probe: (uem) => uem.searchDevices({}, 0, 1) },
  { label: 'API > REST > Groups', probe: (uem) => uem.searchOrganizationGroups() },
  { label: 'Device Management > Bulk Management', probe: (uem) => uem.bulkSettings() },
  { label: 'Device Management > Compliance', probe: (uem, id) => (id === undefined ? Promise.resolve() : uem.deviceCompliance(id)) },
  { label: 'Monitor > Reports > General', probe: (uem) => uem.extensiveSearch({}, 0, 1) },
  { label: 'Settings > Tags > Tags', probe: (uem) => uem.searchTags() },
];

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
  for (const { label, probe } of PROBES) {
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
          ? fail('uem', `permission: ${label}`, 'refused (403)', ROLE_FIX(label))
          : fail('uem', `permission: ${label}`, f.message, 'Retry; if it persists, check the UEM tenant.'),
      );
    }
  }
  return { results, usable: true };
}
