/**
 * The proof of issue 17 on a 50,000-device tenant (20,000 enrollment users): the queries
 * cost about what they cost on the 2,000-device demo tenant, `deviceSummary` is served from the
 * snapshot with no UEM request, and 50 Harmony users' devices are planned within the upstream
 * limit or refused before the first request, with the estimate: never silently over it. Counts are
 * each request's own upstream requests as the gateway counted them (background refreshes apart).
 *
 * Per-group totals on the same tenant (issue 17 item 1): a
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
import { measured, snapshotsReady, startGatewayOn } from './tenant.kit.js';

const Q1 = '{ devices(first: 100) { nodes { id user { firstName } } } }';
const PERSON = '{ person(email: "rita.reader@demo.example") { email devices { totalCount nodes { id } } } }';
const JOIN = (n: number) => `{ harmonyUsers(first: ${n}) { nodes { email uemUser { devices { nodes { id complianceStatus } } } } } }`;

let demo: Simulators;
let large: Simulators;
/** The demo tenant, snapshots off: the 2k figures of the table. */
let small: TestGateway;
/** 50k devices with snapshots (the leader's first refreshes done). */
let withSnapshots: TestGateway;
/** 50k devices, snapshots off: the live plans. */
let live: TestGateway;

// One 50k tenant for the whole file (its dataset is seconds of CPU): each describe starts its
// gateways on it and closes them before the next starts, so none sees another's background reads.
beforeAll(async () => {
  large = await startSimulators({ sizes: { devices: 50_000, uemUsers: 20_000 } });
}, 600_000);
afterAll(() => large?.close());

describe('a 50,000-device tenant costs what the demo tenant costs', () => {
  beforeAll(async () => {
    demo = await startSimulators();
    small = await startGatewayOn(demo);
    withSnapshots = await startGatewayOn(large, { UEM_SNAPSHOTS: 'on', UEM_DAILY_QUOTA: '20000' });
    live = await startGatewayOn(large);
    await snapshotsReady(withSnapshots);
  }, 900_000);

  afterAll(async () => {
    await Promise.all([small?.close(), withSnapshots?.close(), live?.close()]);
    await demo?.close();
  });

  it('holds the 50k snapshots, and knows the tenant\'s sizes', () => {
    const snapshots = withSnapshots.app.services.snapshots;
    const history = JSON.stringify(snapshots.history);
    expect(snapshots.sizes(), history).toMatchObject({ devices: 50_000, users: 20_000, source: 'snapshots' });
    for (const name of ['devices', 'users', 'tags', 'smartGroups'] as const) expect(snapshots.status(name).usable, `${name}: ${history}`).toBe(true);
    // The live gateway knows the sizes too: from two one-row probes at start.
    expect(live.app.services.snapshots.sizes()).toMatchObject({ devices: 50_000, users: 20_000, source: 'probes' });
  });

  // Each 2k figure is a first request on cold caches, as in the table.
  const cold = (gw: TestGateway) => gw.app.services.cache.invalidate();

  it('Q1 (100 devices with user { firstName }) within 1.5× of the 2k count', async () => {
    cold(small);
    const twoK = await measured(small, Q1);
    const fiftyK = await measured(withSnapshots, Q1);
    expect(fiftyK.cost.actual.uem, `2k: ${twoK.context}\n50k: ${fiftyK.context}`).toBeLessThanOrEqual(1.5 * twoK.cost.actual.uem);
    expect(fiftyK.cost.actual.uem).toBeLessThanOrEqual(fiftyK.cost.estimated.uem);
  });

  it('person(email) → devices within 1.5× of the 2k count, with or without snapshots', async () => {
    cold(small);
    const twoK = await measured(small, PERSON);
    for (const gw of [withSnapshots, live]) {
      cold(gw);
      const fiftyK = await measured(gw, PERSON);
      expect(fiftyK.cost.actual.uem, `2k: ${twoK.context}\n50k: ${fiftyK.context}`).toBeLessThanOrEqual(1.5 * twoK.cost.actual.uem);
      expect(fiftyK.cost.actual.uem).toBeLessThanOrEqual(fiftyK.cost.estimated.uem);
    }
    // Live, the email is one users/search?email= and the devices one search: not the directory.
    cold(live);
    expect((await measured(live, PERSON)).cost.estimated.plans).toEqual(
      expect.arrayContaining([expect.objectContaining({ relation: 'userByEmail', strategy: 'per-key', calls: 1 })]),
    );
  });

  it('serves deviceSummary from the snapshot: no UEM request when fresh', async () => {
    const { cost, snapshots, data, context } = await measured<{ deviceSummary: { totalCount: number } }>(
      withSnapshots,
      '{ deviceSummary(groupBy: [PLATFORM, COMPLIANCE_STATUS]) { totalCount buckets { platform complianceStatus count } } }',
    );
    expect(cost.actual.uem, context).toBe(0);
    expect(data.deviceSummary.totalCount).toBe(50_000);
    expect(snapshots.map((s) => s.name)).toEqual(['devices']);
  });

  it('plans 50 Harmony users → devices within the limit, or refuses it up front with the estimate', async () => {
    // With snapshots: nothing from UEM.
    const snapshot = await measured(withSnapshots, JOIN(50));
    expect(snapshot.cost.actual.uem, snapshot.context).toBe(0);

    // Live: 40 directory pages (or 50 email searches) and 50 device searches (a scan is 100), within 100.
    cold(live);
    const planned = await measured(live, JOIN(50));
    expect(planned.cost.estimated.total, planned.context).toBeLessThanOrEqual(live.app.config.safety.limits.upstreamRequests);
    // Never over the plan (resolving the caller, before execution, is not part of it).
    expect(planned.cost.actual.uem, planned.context).toBeLessThanOrEqual(planned.cost.estimated.uem);
    expect(planned.cost.actual.harmony - planned.cost.beforeExecution.harmony, planned.context).toBeLessThanOrEqual(planned.cost.estimated.harmony);

    // 80 users on cold caches would take 40 + 80: refused before anything is asked of UEM, with the plans.
    cold(live);
    large.uem.resetStats();
    const refused = await live.gql(JOIN(80), { as: 'ada.admin@demo.example' });
    expect(refused.status).toBe(400);
    const error = refused.body.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'upstreamRequests', max: 100 });
    expect(error?.extensions?.measured as number).toBeGreaterThan(100);
    expect(error?.extensions?.estimate).toMatchObject({
      upstreamRequests: { uem: expect.any(Number) },
      plans: expect.arrayContaining([expect.objectContaining({ relation: 'devicesOfUsers', requests: 80 })]),
    });
    expect(large.uem.stats().byRoute['GET /API/mdm/devices/search'] ?? 0).toBe(0);
  });
});

// User totals per organization group (the scoped scans of issue 17 item 1), snapshots off.
const RITA = 'rita.reader@demo.example';
const OMAR = 'omar.operator@demo.example'; // demo ENV_MAP: Production and Sandbox
const PRODUCTION = 571;
const ADA = 'ada.admin@demo.example';
const SANDBOX = 572;
const LAB = 573;
const USERS_SEARCH = 'GET /API/system/users/search';
/** Below the whole directory's 40 pages, above the two small groups' pages. */
const LIMIT = 30;

let scoped: TestGateway;
/** The demo ENV_MAP. */
let demoMap: TestGateway;

const usersIn = (...groups: number[]) =>
  [...large.uem.state.users.values()].filter((u) => groups.includes(u.locationGroupId)).map((u) => u.id).sort((a, b) => a - b);
const devicesIn = (...groups: number[]) =>
  [...large.uem.state.devices.values()].filter((d) => groups.includes(d.locationGroupId)).map((d) => d.id).sort((a, b) => a - b);
const pages = (n: number) => Math.ceil(n / 500);
const userSearches = () => large.uem.stats().byRoute[USERS_SEARCH] ?? 0;
const deviceSearches = () => large.uem.stats().byRoute['GET /API/mdm/devices/search'] ?? 0;

/** A query on cold UEM caches, the group list already read (reference data the planner reads first): the UEM user searches it sent. */
async function coldRun<T>(query: string, as: string, on: TestGateway = scoped) {
  on.app.services.cache.invalidate('uem:user-*');
  large.uem.resetStats();
  const run = await measured<T>(on, query, as);
  return { ...run, searches: userSearches() };
}

type Users = { uemUsers: { totalCount: number; nodes: { id: string }[] } };

describe('user totals per organization group, on a 50k tenant', () => {
  beforeAll(async () => {
    scoped = await startGatewayOn(large, {
      ENV_MAP: 'Production Devices=Sandbox;Sandbox Devices=Production;Lab Devices=Production',
      LIMIT_UPSTREAM_REQUESTS: String(LIMIT),
    });
    demoMap = await startGatewayOn(large);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([scoped?.close(), demoMap?.close()]);
  });

  it('knows each group\'s users from the group list', async () => {
    await measured(scoped, '{ organizationGroups(first: 10) { nodes { id } } }');
    const groups = scoped.app.services.snapshots.sizes().groups;
    for (const id of [570, 571, SANDBOX, LAB]) expect(groups.get(id)?.users, `group ${id}`).toBe(large.uem.state.userCountsByGroup().get(id));
    expect(groups.get(570)?.users).toBe(20_000);
  });

  it('plans and reads a caller scoped to two small groups on their users, not the directory', async () => {
    const expected = usersIn(SANDBOX, LAB);
    const planned = pages(usersIn(SANDBOX).length) + pages(usersIn(LAB).length);
    expect(planned).toBeLessThan(LIMIT); // the directory (40 pages) would be refused
    const run = await coldRun<Users>('{ uemUsers(first: 100) { totalCount nodes { id } } }', RITA);
    expect(run.data.uemUsers.totalCount, run.context).toBe(expected.length);
    expect(run.data.uemUsers.nodes.map((n) => Number(n.id))).toEqual(expected.slice(0, 100));
    expect(run.cost.estimated.plans, run.context).toEqual(expect.arrayContaining([expect.objectContaining({ relation: 'userScan', strategy: 'per-group', calls: planned })]));
    // The estimate is what UEM was asked: one search per page of each group, nothing else.
    expect(run.searches, run.context).toBe(planned);
    expect(run.cost.actual.uem - run.cost.beforeExecution.uem, run.context).toBe(run.cost.estimated.uem);

    // Warm: the groups' reads are cached, planned and served at no request.
    large.uem.resetStats();
    const warm = await measured<Users>(scoped, '{ uemUsers(first: 100, after: null) { totalCount } }', RITA);
    expect(warm.cost.estimated.uem, warm.context).toBe(0);
    expect(userSearches()).toBe(0);
    expect(warm.data.uemUsers.totalCount).toBe(expected.length);
  });

  it('reads omar\'s two groups one by one too (fewer pages than the directory), in id order across pages', async () => {
    await measured(demoMap, '{ organizationGroups(first: 10) { nodes { id } } }');
    const expected = usersIn(PRODUCTION, SANDBOX);
    const planned = pages(usersIn(PRODUCTION).length) + pages(usersIn(SANDBOX).length);
    expect(planned).toBeLessThan(pages(20_000));
    const first = await coldRun<Users & { uemUsers: { pageInfo: { endCursor: string } } }>('{ uemUsers(first: 500) { totalCount pageInfo { endCursor } nodes { id } } }', OMAR, demoMap);
    expect(first.searches, first.context).toBe(planned);
    expect(first.cost.actual.uem - first.cost.beforeExecution.uem).toBe(first.cost.estimated.uem);
    expect(first.data.uemUsers.totalCount).toBe(expected.length);
    const after = first.data.uemUsers.pageInfo.endCursor;
    const second = await measured<Users>(demoMap, `{ uemUsers(first: 500, after: "${after}") { nodes { id } } }`, OMAR);
    expect([...first.data.uemUsers.nodes, ...second.data.uemUsers.nodes].map((n) => Number(n.id))).toEqual(expected.slice(0, 1_000));
  });

  it('bounds a filtered scoped list by the groups\' totals, and never reads more', async () => {
    const run = await coldRun<Users>('{ uemUsers(first: 50, filter: { lastName: "son" }) { totalCount } }', RITA);
    expect(run.cost.estimated.uem, run.context).toBe(pages(usersIn(SANDBOX).length) + pages(usersIn(LAB).length));
    expect(run.searches, run.context).toBeLessThanOrEqual(run.cost.estimated.uem);
    expect(run.searches).toBe(2); // a page per group: UEM's text filter leaves few
    const matches = [...large.uem.state.users.values()].filter((u) => [SANDBOX, LAB].includes(u.locationGroupId) && u.lastName.toLowerCase().includes('son'));
    expect(run.data.uemUsers.totalCount).toBe(matches.length);
  });

  it('an admin\'s lists are one search page, planned as one, whatever the tenant', async () => {
    for (const query of ['{ uemUsers(first: 100) { totalCount } }', `{ uemUsers(first: 100, filter: { organizationGroupId: "${LAB}" }) { totalCount } }`]) {
      const run = await coldRun<Users>(query, ADA);
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
      large.uem.resetStats();
      const run = await measured<{ devices?: { totalCount: number; nodes: { id: string }[] }; deviceSummary?: { totalCount: number } }>(demoMap, query, OMAR);
      expect(deviceSearches(), run.context).toBe(planned);
      expect(run.cost.estimated.plans, run.context).toEqual(expect.arrayContaining([expect.objectContaining({ relation: 'deviceScan', strategy: 'per-group', calls: planned })]));
      expect(run.cost.actual.uem - run.cost.beforeExecution.uem, run.context).toBe(run.cost.estimated.uem);
      expect(run.data.devices?.totalCount ?? run.data.deviceSummary?.totalCount).toBe(expected.length);
      if (run.data.devices) expect(run.data.devices.nodes.map((n) => Number(n.id))).toEqual(expected.slice(0, 100));
    }
  });

  it('refuses a scoped device list over the limit before any search, with the per-group plan in the estimate', async () => {
    scoped.app.services.cache.invalidate('uem:device-scan:*');
    large.uem.resetStats();
    const planned = pages(devicesIn(SANDBOX).length) + pages(devicesIn(LAB).length);
    expect(planned).toBeGreaterThan(LIMIT);
    const refused = await scoped.gql('{ devices(first: 100) { totalCount } }', { as: RITA });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'upstreamRequests',
      estimate: { plans: expect.arrayContaining([expect.objectContaining({ relation: 'deviceScan', strategy: 'per-group', requests: planned })]) },
    });
    expect(deviceSearches()).toBe(0);
  });

  it('probes a group the list gives no user count (one one-row search), and plans with it', async () => {
    const snapshots = scoped.app.services.snapshots;
    const listed = [...snapshots.sizes().groups].map(([id, g]) => ({ id, parentId: g.parentId, deviceCount: g.devices, userCount: id === LAB ? null : g.users }));
    snapshots.observeGroups(listed);
    expect(snapshots.sizes().groups.get(LAB)?.users).toBeNull();
    large.uem.resetStats();
    await snapshots.probeGroupUsers([SANDBOX, LAB]);
    expect(userSearches()).toBe(1);
    expect(snapshots.sizes().groups.get(LAB)?.users).toBe(usersIn(LAB).length);
    await snapshots.probeGroupUsers([LAB]); // known now: no second probe
    expect(userSearches()).toBe(1);
  });
});
