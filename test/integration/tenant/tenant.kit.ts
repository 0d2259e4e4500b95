/**
 * What the tenant-scale tests share: gateways pointed at simulators started once (so several
 * gateways, or a large tenant, share one dataset), and a query's own upstream requests as the
 * gateway counted them (`x-gateway-cost`: never a background refresh's).
 */
import type { Simulators } from '../../../src/simulators/index.js';
import { expectData, startTestGateway, type GqlResult, type TestGateway } from '../../helpers/gateway.js';

/** The environment that points a gateway at running simulators instead of starting its own. */
export function upstreamEnv(sims: Simulators): Record<string, string> {
  const u = sims.uem.credentials;
  const h = sims.harmony.credentials;
  return {
    UEM_BASE_URL: sims.uem.url,
    UEM_TENANT_CODE: u.tenantCode,
    UEM_USERNAME: u.username,
    UEM_PASSWORD: u.password,
    HARMONY_BASE_URL: sims.harmony.url,
    HARMONY_EMAIL: h.email,
    HARMONY_PASSWORD: h.password,
    HARMONY_ORG_ID: h.orgId,
  };
}

export function startGatewayOn(sims: Simulators, env: Record<string, string> = {}): Promise<TestGateway> {
  return startTestGateway({ ...upstreamEnv(sims), ...env });
}

/**
 * Ticks the gateway's snapshots until every one serves (a refresh that failed on a busy machine is
 * tried again at the next tick), within a generous deadline; fails with the refresh history.
 */
export async function snapshotsReady(gw: TestGateway, deadlineMs = 600_000): Promise<void> {
  const snapshots = gw.app.services.snapshots;
  const names = ['devices', 'users', 'tags', 'smartGroups'] as const;
  const deadline = Date.now() + deadlineMs;
  await snapshots.settled();
  while (!names.every((n) => snapshots.usable(n))) {
    if (Date.now() > deadline) throw new Error(`the snapshots were not built: ${JSON.stringify(snapshots.history)}`);
    await snapshots.tick();
  }
}

export interface CostReport {
  estimated: { uem: number; harmony: number; total: number; plans?: { relation: string; strategy: string; calls: number }[] };
  actual: { uem: number; harmony: number };
  beforeExecution: { uem: number; harmony: number };
}

/** Runs a query asking for the cost report; answers the response, its data, and the request's own upstream requests. */
export async function measured<T = Record<string, unknown>>(gw: TestGateway, query: string, as = 'ada.admin@demo.example') {
  const result: GqlResult<T> = await gw.gql<T>(query, { as, headers: { 'x-gateway-cost': '1' } });
  const data = expectData(result, query);
  const extensions = (result.body as unknown as { extensions?: { cost?: { upstreamRequests: CostReport }; snapshots?: { name: string; ageSeconds: number }[] } }).extensions;
  const cost = extensions?.cost?.upstreamRequests as CostReport;
  return { result, data, cost, snapshots: extensions?.snapshots ?? [], context: `${query}\n${JSON.stringify(extensions)}` };
}
