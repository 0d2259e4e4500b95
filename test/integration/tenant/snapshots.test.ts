/**
 * UEM snapshots on the demo tenant (issue 17), on the embedded database: the first tick builds
 * them; summaries, multi-group row scope, email joins and membership read them without an upstream
 * request and say how old they are (`extensions.snapshots`); our own writes update them; a device
 * seen since the last refresh is merged incrementally (`seensince`), a wrong count asks for a full
 * refresh, and a refresh that fails leaves the previous snapshot serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { UemSimulator } from '../../../src/simulators/index.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { measured, snapshotsReady } from './tenant.kit.js';

let gw: TestGateway;
let sim: UemSimulator;

beforeAll(async () => {
  gw = await startTestGateway({ UEM_SNAPSHOTS: 'on' });
  sim = gw.app.simulators.uem!;
  await snapshotsReady(gw);
}, 240_000);

afterAll(async () => {
  await gw?.close();
});

/** Requests made while executing (those made to resolve the caller and plan are before). */
const duringExecution = (cost: { actual: { uem: number }; beforeExecution: { uem: number } }) => cost.actual.uem - cost.beforeExecution.uem;

describe('UEM snapshots on the demo tenant', () => {
  it('holds the four snapshots after the first tick, as large as the tenant', () => {
    const snapshots = gw.app.services.snapshots;
    const state = sim.state;
    expect(snapshots.status('devices')).toMatchObject({ usable: true, items: state.devices.size });
    expect(snapshots.status('users')).toMatchObject({ usable: true, items: state.users.size });
    expect(snapshots.status('tags')).toMatchObject({ usable: true, items: state.tags.size });
    expect(snapshots.status('smartGroups')).toMatchObject({ usable: true, items: state.smartGroups.size });
    expect(snapshots.sizes()).toMatchObject({ devices: state.devices.size, users: state.users.size, source: 'snapshots' });
    // The full device refresh read every page: 500 devices a page.
    const full = snapshots.history.find((r) => r.refresh === 'devicesFull' && r.outcome === 'ok');
    expect(full).toMatchObject({ calls: Math.ceil(state.devices.size / 500), items: state.devices.size });
  });

  it('answers deviceSummary from the snapshot: the raw counts, no upstream request, and its age', async () => {
    const { data, cost, snapshots, context } = await measured<{ deviceSummary: { totalCount: number; buckets: { complianceStatus: string; count: number }[] } }>(
      gw,
      '{ deviceSummary(groupBy: [COMPLIANCE_STATUS]) { totalCount buckets { complianceStatus count } } }',
    );
    expect(cost.actual.uem, context).toBe(0);
    expect(cost.estimated.uem, context).toBe(0);
    expect(snapshots.map((s) => s.name)).toEqual(['devices']);
    expect(snapshots[0]!.ageSeconds).toBeGreaterThanOrEqual(0);
    const raw = sim.state.deviceList;
    expect(data.deviceSummary.totalCount).toBe(raw.length);
    const compliant = raw.filter((d) => d.complianceStatus === 'Compliant').length;
    expect(data.deviceSummary.buckets.find((b) => b.complianceStatus === 'COMPLIANT')?.count).toBe(compliant);
  });

  it('lists and counts a multi-group row scope (omar: Production and Sandbox) from the snapshot', async () => {
    const groupIds = new Set([...sim.state.orgGroups.values()].filter((g) => ['Production Devices', 'Sandbox Devices'].includes(g.name)).map((g) => g.id));
    const raw = sim.state.deviceList.filter((d) => groupIds.has(d.locationGroupId));
    const { data, cost, snapshots, context } = await measured<{ devices: { totalCount: number; nodes: { id: string; organizationGroup: { name: string } }[] } }>(
      gw,
      '{ devices(first: 20, filter: { platform: APPLE }) { totalCount nodes { id organizationGroup { name } } } }',
      'omar.operator@demo.example',
    );
    const apple = raw.filter((d) => d.platform === 'Apple');
    expect(data.devices.totalCount, context).toBe(apple.length);
    expect(data.devices.nodes.map((n) => Number(n.id))).toEqual(apple.slice(0, 20).map((d) => d.id));
    expect(duringExecution(cost), context).toBe(0);
    expect(snapshots.map((s) => s.name)).toContain('devices');
  });

  it('joins by email and reads members from the snapshots', async () => {
    const person = await measured(gw, '{ person(email: "RITA.reader@demo.example") { uemUser { firstName } devices { totalCount } } }');
    expect(person.data).toMatchObject({ person: { uemUser: { firstName: 'Rita' } } });
    const rita = sim.state.userByName('rita.reader')!;
    expect((person.data as { person: { devices: { totalCount: number } } }).person.devices.totalCount).toBe(sim.state.devicesOfUser(rita.id).length);
    expect(person.cost.actual.uem, person.context).toBe(0);

    const tagged = await measured<{ devices: { nodes: { id: string; tags: { name: string }[] }[] } }>(gw, '{ devices(first: 50) { nodes { id tags { name } } } }');
    const rawTags = (id: number) => [...sim.state.tags.values()].filter((t) => t.members.has(id)).map((t) => t.name).sort();
    for (const n of tagged.data.devices.nodes) expect(n.tags.map((t) => t.name).sort()).toEqual(rawTags(Number(n.id)));
    // One device search; the tags come from the membership snapshot.
    expect(tagged.cost.actual.uem, tagged.context).toBe(1);
    expect(tagged.snapshots.map((s) => s.name)).toContain('tags');
  });

  it("answers devices' users from the snapshot at its generation, and a refreshed directory at once", async () => {
    const query = '{ devices(first: 20) { nodes { id user { id firstName } } } }';
    type Page = { devices: { nodes: { id: string; user: { id: string; firstName: string } | null }[] } };
    const first = await measured<Page>(gw, query);
    const withUser = first.data.devices.nodes.find((n) => n.user)!;
    expect(first.snapshots.map((s) => s.name)).toContain('users');
    // Asked again (kept in memory for this generation): the same answer, one device search.
    const again = await measured<Page>(gw, query);
    expect(again.data).toEqual(first.data);
    expect(again.cost.actual.uem, again.context).toBe(1);
    // Those users were at hand (no load, no promise per field): the answer still names the snapshot.
    expect(again.snapshots.map((s) => s.name)).toContain('users');
    // UEM renames the user; the next refresh of the directory makes a new generation, which shows it.
    const raw = sim.state.users.get(Number(withUser.user!.id))!;
    const was = raw.firstName;
    raw.firstName = `${was}-renamed`;
    try {
      expect(await gw.app.services.snapshots.refresh('users')).toMatchObject({ outcome: 'ok' });
      const after = await measured<Page>(gw, query);
      expect(after.data.devices.nodes.find((n) => n.id === withUser.id)!.user!.firstName).toBe(`${was}-renamed`);
    } finally {
      raw.firstName = was;
      await gw.app.services.snapshots.refresh('users');
    }
  });

  it('shows a wipe at once: the wiped devices are read again into the snapshot', async () => {
    const target = sim.state.deviceList.find((d) => d.enrollmentStatus === 'Enrolled')!;
    const summary = '{ deviceSummary(groupBy: [ENROLLMENT_STATUS]) { buckets { enrollmentStatus count } } }';
    const before = await measured<{ deviceSummary: { buckets: { enrollmentStatus: string; count: number }[] } }>(gw, summary);
    const pending = (d: typeof before.data) => d.deviceSummary.buckets.find((b) => b.enrollmentStatus === 'ENTERPRISE_WIPE_PENDING')?.count ?? 0;
    const wipe = await gw.gql(`mutation { sendDeviceCommand(input: { deviceIds: ["${target.id}"], command: ENTERPRISE_WIPE, confirm: "WIPE" }) { results { status } } }`, {
      as: 'ada.admin@demo.example',
    });
    expect(wipe.body.errors).toBeUndefined();
    const snapshots = gw.app.services.snapshots;
    // The patch runs in the background; wait for it (by condition, not time).
    const deadline = Date.now() + 60_000;
    let after = before;
    while (Date.now() < deadline) {
      after = await measured(gw, summary);
      if (pending(after.data) === pending(before.data) + 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pending(after.data)).toBe(pending(before.data) + 1);
    expect(snapshots.history.some((r) => r.refresh === 'devicesPatch' && r.outcome === 'ok' && r.calls === 1)).toBe(true);
  });

  it('merges devices seen since the last refresh, and asks for a full refresh when the count is wrong', async () => {
    const snapshots = gw.app.services.snapshots;
    const device = sim.state.deviceList.find((d) => d.complianceStatus === 'Compliant')!;
    device.complianceStatus = 'NonCompliant';
    device.lastSeen = Date.now();
    const record = await snapshots.refresh('devicesIncremental');
    // A one-row probe of the tenant's total and one page of devices seen since.
    expect(record).toMatchObject({ outcome: 'ok', calls: 2 });
    expect(record!.items).toBeGreaterThanOrEqual(1);
    const summary = await measured<{ deviceSummary: { buckets: { complianceStatus: string; count: number }[] } }>(
      gw,
      '{ deviceSummary(groupBy: [COMPLIANCE_STATUS]) { buckets { complianceStatus count } } }',
    );
    const raw = sim.state.deviceList.filter((d) => d.complianceStatus === 'NonCompliant').length;
    expect(summary.data.deviceSummary.buckets.find((b) => b.complianceStatus === 'NON_COMPLIANT')?.count).toBe(raw);

    // A device the snapshot lost (as if UEM had deleted one and enrolled another): the count is wrong.
    await sql`delete from uem_snapshot_devices where id = ${sim.state.deviceList[5]!.id}`.execute(gw.app.services.db);
    await snapshots.refresh('devicesIncremental');
    const ran = await snapshots.refreshDue();
    expect(ran.map((r) => r.refresh)).toContain('devicesFull');
    expect(snapshots.status('devices').items).toBe(sim.state.devices.size);
  });

  it('keeps serving the previous snapshot when a refresh fails (stale while revalidate)', async () => {
    const snapshots = gw.app.services.snapshots;
    const generation = snapshots.status('devices').generation;
    sim.setFaults({ errorRate: 1, errorStatus: 503, routes: ['GET /API/mdm/devices/search'] });
    try {
      expect(await snapshots.refresh('devicesFull')).toMatchObject({ outcome: 'error' });
    } finally {
      sim.clearFaults();
    }
    expect(snapshots.status('devices')).toMatchObject({ usable: true, generation });
    const { cost, snapshots: used } = await measured(gw, '{ deviceSummary { totalCount } }');
    expect(cost.actual.uem).toBe(0);
    expect(used.map((s) => s.name)).toEqual(['devices']);
  });

  it('reports the quota spent and forecast, and the snapshots, in /metrics', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('gateway_uem_quota_daily{part="tenant"}')).toBe(5000);
    expect(value('gateway_uem_quota_daily{part="gateway"}')).toBe(2500);
    expect(value('gateway_uem_requests_today{source="snapshots"}')).toBeGreaterThan(0);
    expect(value('gateway_uem_quota_forecast_today')).toBeGreaterThanOrEqual(value('gateway_uem_requests_today{source="snapshots"}'));
    expect(value('gateway_snapshot_items{snapshot="devices"}')).toBe(sim.state.devices.size);
    expect(value('gateway_snapshot_age_seconds{snapshot="users"}')).toBeGreaterThanOrEqual(0);
    // The plan's cadences fit the snapshot half of the gateway's share.
    expect(value('gateway_snapshot_planned_requests_per_day')).toBeLessThanOrEqual(1250);
    expect(value('gateway_snapshot_refreshes_total{refresh="devicesFull",outcome="ok"}')).toBeGreaterThanOrEqual(1);
  });
});
