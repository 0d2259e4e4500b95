/**
 * The proof of issue 17 on a 50,000-device tenant (20,000 enrollment users): the issue's queries
 * cost about what they cost on the 2,000-device demo tenant, `deviceSummary` is served from the
 * snapshot with no UEM request, and 50 Harmony users' devices are planned within the upstream
 * limit or refused before the first request, with the estimate: never silently over it. Counts are
 * each request's own upstream requests as the gateway counted them (background refreshes apart).
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

beforeAll(async () => {
  [demo, large] = await Promise.all([startSimulators(), startSimulators({ sizes: { devices: 50_000, uemUsers: 20_000 } })]);
  small = await startGatewayOn(demo);
  withSnapshots = await startGatewayOn(large, { UEM_SNAPSHOTS: 'on', UEM_DAILY_QUOTA: '20000' });
  live = await startGatewayOn(large);
  await snapshotsReady(withSnapshots);
}, 900_000);

afterAll(async () => {
  await Promise.all([small?.close(), withSnapshots?.close(), live?.close()]);
  await Promise.all([demo?.close(), large?.close()]);
});

describe('a 50,000-device tenant costs what the demo tenant costs', () => {
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
