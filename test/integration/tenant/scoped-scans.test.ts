/**
 * Per-group totals on a 50,000-device tenant with 20,000 enrollment users (issue 17 item 1): a
 * caller whose scope spans organization groups is planned, and served, on those groups' users and
 * devices (one search per group, pages from the group list's `Users` and `Devices`) when that is
 * fewer pages than the whole directory or tenant; the estimate the limits see is what UEM is
 * asked, for that caller and for an admin. Snapshots off:
 * the live plans. ENV_MAP makes rita's Production the two small groups (Sandbox Devices, 25 % of
 * the users, and Lab Devices, 15 %), so her list spans two groups and cannot be pushed as one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import type { TestGateway } from '../../helpers/gateway.js';
import { measured, startGatewayOn } from './tenant.kit.js';

const RITA = 'rita.reader@demo.example';
const OMAR = 'omar.operator@demo.example'; // demo ENV_MAP: Production and Sandbox
const PRODUCTION = 571;
const ADA = 'ada.admin@demo.example';
const SANDBOX = 572;
const LAB = 573;
const USERS_SEARCH = 'GET /API/system/users/search';
/** Below the whole directory's 40 pages, above the two small groups' pages. */
const LIMIT = 30;

let sims: Simulators;
let gw: TestGateway;
/** The demo ENV_MAP. */
let demoMap: TestGateway;

beforeAll(async () => {
  sims = await startSimulators({ sizes: { devices: 50_000, uemUsers: 20_000 } });
  gw = await startGatewayOn(sims, {
    ENV_MAP: 'Production Devices=Sandbox;Sandbox Devices=Production;Lab Devices=Production',
    LIMIT_UPSTREAM_REQUESTS: String(LIMIT),
  });
  demoMap = await startGatewayOn(sims);
}, 600_000);

afterAll(async () => {
  await Promise.all([gw?.close(), demoMap?.close()]);
  await sims?.close();
});

const usersIn = (...groups: number[]) =>
  [...sims.uem.state.users.values()].filter((u) => groups.includes(u.locationGroupId)).map((u) => u.id).sort((a, b) => a - b);
const devicesIn = (...groups: number[]) =>
  [...sims.uem.state.devices.values()].filter((d) => groups.includes(d.locationGroupId)).map((d) => d.id).sort((a, b) => a - b);
const pages = (n: number) => Math.ceil(n / 500);
const userSearches = () => sims.uem.stats().byRoute[USERS_SEARCH] ?? 0;
const deviceSearches = () => sims.uem.stats().byRoute['GET /API/mdm/devices/search'] ?? 0;

/** A query on cold UEM caches, the group list already read (reference data the planner reads first): the UEM user searches it sent. */
async function cold<T>(query: string, as: string, on: TestGateway = gw) {
  on.app.services.cache.invalidate('uem:user-*');
  sims.uem.resetStats();
  const run = await measured<T>(on, query, as);
  return { ...run, searches: userSearches() };
}

type Users = { uemUsers: { totalCount: number; nodes: { id: string }[] } };

describe('user totals per organization group, on a 50k tenant', () => {
  it('knows each group\'s users from the group list', async () => {
    await measured(gw, '{ organizationGroups(first: 10) { nodes { id } } }');
    const groups = gw.app.services.snapshots.sizes().groups;
    for (const id of [570, 571, SANDBOX, LAB]) expect(groups.get(id)?.users, `group ${id}`).toBe(sims.uem.state.userCountsByGroup().get(id));
    expect(groups.get(570)?.users).toBe(20_000);
  });

  it('plans and reads a caller scoped to two small groups on their users, not the directory', async () => {
    const expected = usersIn(SANDBOX, LAB);
    const planned = pages(usersIn(SANDBOX).length) + pages(usersIn(LAB).length);
    expect(planned).toBeLessThan(LIMIT); // the directory (40 pages) would be refused
    const run = await cold<Users>('{ uemUsers(first: 100) { totalCount nodes { id } } }', RITA);
    expect(run.data.uemUsers.totalCount, run.context).toBe(expected.length);
    expect(run.data.uemUsers.nodes.map((n) => Number(n.id))).toEqual(expected.slice(0, 100));
    expect(run.cost.estimated.plans, run.context).toEqual(expect.arrayContaining([expect.objectContaining({ relation: 'userScan', strategy: 'per-group', calls: planned })]));
    // The estimate is what UEM was asked: one search per page of each group, nothing else.
    expect(run.searches, run.context).toBe(planned);
    expect(run.cost.actual.uem - run.cost.beforeExecution.uem, run.context).toBe(run.cost.estimated.uem);

    // Warm: the groups' reads are cached, planned and served at no request.
    sims.uem.resetStats();
    const warm = await measured<Users>(gw, '{ uemUsers(first: 100, after: null) { totalCount } }', RITA);
    expect(warm.cost.estimated.uem, warm.context).toBe(0);
    expect(userSearches()).toBe(0);
    expect(warm.data.uemUsers.totalCount).toBe(expected.length);
  });

  it('reads omar\'s two groups one by one too (fewer pages than the directory), in id order across pages', async () => {
    await measured(demoMap, '{ organizationGroups(first: 10) { nodes { id } } }');
    const expected = usersIn(PRODUCTION, SANDBOX);
    const planned = pages(usersIn(PRODUCTION).length) + pages(usersIn(SANDBOX).length);
    expect(planned).toBeLessThan(pages(20_000));
    const first = await cold<Users & { uemUsers: { pageInfo: { endCursor: string } } }>('{ uemUsers(first: 500) { totalCount pageInfo { endCursor } nodes { id } } }', OMAR, demoMap);
    expect(first.searches, first.context).toBe(planned);
    expect(first.cost.actual.uem - first.cost.beforeExecution.uem).toBe(first.cost.estimated.uem);
    expect(first.data.uemUsers.totalCount).toBe(expected.length);
    const after = first.data.uemUsers.pageInfo.endCursor;
    const second = await measured<Users>(demoMap, `{ uemUsers(first: 500, after: "${after}") { nodes { id } } }`, OMAR);
    expect([...first.data.uemUsers.nodes, ...second.data.uemUsers.nodes].map((n) => Number(n.id))).toEqual(expected.slice(0, 1_000));
  });

  it('bounds a filtered scoped list by the groups\' totals, and never reads more', async () => {
    const run = await cold<Users>('{ uemUsers(first: 50, filter: { lastName: "son" }) { totalCount } }', RITA);
    expect(run.cost.estimated.uem, run.context).toBe(pages(usersIn(SANDBOX).length) + pages(usersIn(LAB).length));
    expect(run.searches, run.context).toBeLessThanOrEqual(run.cost.estimated.uem);
    expect(run.searches).toBe(2); // a page per group: UEM's text filter leaves few
    const matches = [...sims.uem.state.users.values()].filter((u) => [SANDBOX, LAB].includes(u.locationGroupId) && u.lastName.toLowerCase().includes('son'));
    expect(run.data.uemUsers.totalCount).toBe(matches.length);
  });

  it('an admin\'s lists are one search page, planned as one, whatever the tenant', async () => {
    for (const query of ['{ uemUsers(first: 100) { totalCount } }', `{ uemUsers(first: 100, filter: { organizationGroupId: "${LAB}" }) { totalCount } }`]) {
      const run = await cold<Users>(query, ADA);
      expect(run.searches, run.context).toBe(1);
      expect(run.cost.estimated.uem, run.context).toBe(1);
      expect(run.cost.actual.uem - run.cost.beforeExecution.uem).toBe(1);
    }
  });

  it('scans a scoped caller\'s device groups one by one when that takes fewer pages (list and summary, estimate = searches)', async () => {
    const expected = devicesIn(PRODUCTION, SANDBOX);
    const planned = pages(devicesIn(PRODUCTION).length) + pages(devicesIn(SANDBOX).length);
    expect(planned).toBeLessThan(pages(50_000));
    for (const query of ['{ devices(first: 100) { totalCount nodes { id } } }', '{ deviceSummary(groupBy: [PLATFORM]) { totalCount } }']) {
      demoMap.app.services.cache.invalidate('uem:device-scan:*');
      sims.uem.resetStats();
      const run = await measured<{ devices?: { totalCount: number; nodes: { id: string }[] }; deviceSummary?: { totalCount: number } }>(demoMap, query, OMAR);
      expect(deviceSearches(), run.context).toBe(planned);
      expect(run.cost.estimated.plans, run.context).toEqual(expect.arrayContaining([expect.objectContaining({ relation: 'deviceScan', strategy: 'per-group', calls: planned })]));
      expect(run.cost.actual.uem - run.cost.beforeExecution.uem, run.context).toBe(run.cost.estimated.uem);
      expect(run.data.devices?.totalCount ?? run.data.deviceSummary?.totalCount).toBe(expected.length);
      if (run.data.devices) expect(run.data.devices.nodes.map((n) => Number(n.id))).toEqual(expected.slice(0, 100));
    }
  });

  it('refuses a scoped device list over the limit before any search, with the per-group plan in the estimate', async () => {
    gw.app.services.cache.invalidate('uem:device-scan:*');
    sims.uem.resetStats();
    const planned = pages(devicesIn(SANDBOX).length) + pages(devicesIn(LAB).length);
    expect(planned).toBeGreaterThan(LIMIT);
    const refused = await gw.gql('{ devices(first: 100) { totalCount } }', { as: RITA });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'upstreamRequests',
      estimate: { plans: expect.arrayContaining([expect.objectContaining({ relation: 'deviceScan', strategy: 'per-group', requests: planned })]) },
    });
    expect(deviceSearches()).toBe(0);
  });

  it('probes a group the list gives no user count (one one-row search), and plans with it', async () => {
    const snapshots = gw.app.services.snapshots;
    const listed = [...snapshots.sizes().groups].map(([id, g]) => ({ id, parentId: g.parentId, deviceCount: g.devices, userCount: id === LAB ? null : g.users }));
    snapshots.observeGroups(listed);
    expect(snapshots.sizes().groups.get(LAB)?.users).toBeNull();
    sims.uem.resetStats();
    await snapshots.probeGroupUsers([SANDBOX, LAB]);
    expect(userSearches()).toBe(1);
    expect(snapshots.sizes().groups.get(LAB)?.users).toBe(usersIn(LAB).length);
    await snapshots.probeGroupUsers([LAB]); // known now: no second probe
    expect(userSearches()).toBe(1);
  });
});
