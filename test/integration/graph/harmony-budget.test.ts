/**
 * What Harmony reads cost, counted at the simulator, and who may read them. The gateway runs with
 * its cross-request caches off, so every request is as cold as the first one after start-up and
 * pays for resolving the caller's principal too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const ADMIN = 'ada.admin@demo.example';
const BASE = 'GET /jitterbit-cloud-restful-service/orgs/{orgId}';
const LIST_ROUTES = ['/users', '/roles', '/environment-access', '/environments'].map((r) => `${BASE}${r}`);

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_SECONDS: '0', REFERENCE_CACHE_TTL_SECONDS: '0' });
});
afterAll(async () => {
  await gw?.close();
});

async function harmonyCost(query: string, as = ADMIN) {
  const sim = gw.app.simulators.harmony!;
  await fetch(`${sim.url}/__sim/stats/reset`, { method: 'POST' });
  const data = expectData(await gw.gql(query, { as }), query);
  const stats = (await fetch(`${sim.url}/__sim/stats`).then((r) => r.json())) as { total: number; byRoute: Record<string, number> };
  return { data, stats };
}

const BUDGET_QUERY = `{ harmonyUsers(first: 50) { nodes { email roles { role { name permissions environmentAccess { environment { name } levels } } } } } }`;

describe('Harmony request budget', () => {
  it('reads 50 users with roles, permissions and environment access from the list routes alone', async () => {
    const { data, stats } = await harmonyCost(BUDGET_QUERY);
    expect((data as { harmonyUsers: { nodes: unknown[] } }).harmonyUsers.nodes).toHaveLength(50);
    // The four lists, each once; never a per-role environment-access read.
    for (const route of LIST_ROUTES) expect(stats.byRoute[route]).toBe(1);
    expect(Object.keys(stats.byRoute).filter((r) => r.includes('{roleId}'))).toEqual([]);
    const listReads = LIST_ROUTES.reduce((n, r) => n + (stats.byRoute[r] ?? 0), 0);
    expect(listReads).toBeLessThanOrEqual(4);
    // Anything else is the principal's own organization read (subscription flag), once.
    expect(stats.total - listReads).toBeLessThanOrEqual(1);
    console.info(`harmony requests for the budget query, cold: ${stats.total}`, stats.byRoute);
  });

  it('costs no more than resolving the caller alone', async () => {
    const principalOnly = await harmonyCost('{ viewer { email } }');
    const withUsers = await harmonyCost(BUDGET_QUERY);
    expect(withUsers.stats.total).toBe(principalOnly.stats.total);
  });

  it('stays within the budget when every Harmony field of the page is asked for', async () => {
    const { stats } = await harmonyCost(`{
      harmonyUsers(first: 50) { totalCount nodes { email permissions environmentAccess { environment { name type } levels } roles { status effective role { name status builtIn assignments { status } } } } }
      roles { name environmentAccess { environment { name } levels } }
      environments { name roleAccess { role { name } levels } }
    }`);
    expect(Object.keys(stats.byRoute).filter((r) => r.includes('{roleId}'))).toEqual([]);
    for (const count of Object.values(stats.byRoute)) expect(count).toBe(1);
  });
});

describe('who may read Harmony', () => {
  const FIELDS = [
    '{ harmonyUsers(first: 1) { totalCount } }',
    '{ harmonyUser(email: "ada.admin@demo.example") { email } }',
    '{ roles { name } }',
    '{ role(id: "1") { name } }',
    '{ environments { name } }',
    '{ externalUsers(first: 1) { totalCount } }',
    '{ externalUser(email: "pat.partner@partner.example") { email } }',
    '{ apiGroups { name } }',
    '{ person(email: "omar.operator@demo.example") { email } }',
  ];

  it('refuses every Harmony root field to rita.reader (READ only) with FORBIDDEN', async () => {
    for (const query of FIELDS) {
      const result = await gw.gql(query, { as: 'rita.reader@demo.example' });
      expect(errorCodes(result), `${query} → ${JSON.stringify(result.body)} (request ${result.requestId})`).toEqual(['FORBIDDEN']);
      expect(Object.values(result.body.data ?? {}).every((v) => v === null)).toBe(true);
    }
  });

  it('refuses the Harmony fields reachable from UEM types, but not their UEM fields', async () => {
    const result = await gw.gql(`{ devices(first: 1) { nodes { id environment { name roleAccess { levels } } user { userName harmonyUser { email } } } } }`, {
      as: 'rita.reader@demo.example',
    });
    expect(errorCodes(result).length).toBeGreaterThan(0);
    expect(new Set(errorCodes(result))).toEqual(new Set(['FORBIDDEN']));
    const paths = (result.body.errors ?? []).map((e) => e.path?.slice(-1)[0]);
    expect(new Set(paths)).toEqual(new Set(['roleAccess', 'harmonyUser']));
  });

  it('lets lena.logs (VIEW_LOGS in Production) read Harmony users', async () => {
    const result = await gw.gql('{ harmonyUsers(first: 1) { totalCount } }', { as: 'lena.logs@demo.example' });
    expect(errorCodes(result)).toEqual([]);
  });
});
