/**
 * App deployment over real HTTP against the UEM simulator (on a clock the test moves, so installs
 * settle when asked): assigning and unassigning apps to smart groups per smart group, and
 * retryFailedInstalls per device — dry runs, reruns, devices outside the caller's environments,
 * bounded concurrency, and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import type { UemApp } from '../../../src/simulators/uem/uem.types.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { LAB, OPERATOR, PRODUCTION, READER, SANDBOX, uemWriteKit } from './uem-writes.helpers.js';

const INSTALL_DELAY_MS = 60_000;
const clock = new ManualClock(Date.now());
let gw: TestGateway;
let sandboxPilot: number;
beforeAll(async () => {
  gw = await startTestGateway({}, { simulators: { uem: { clock, installDelayMs: INSTALL_DELAY_MS, installFailureRate: 0.5 } } });
  // The seeded smart groups all reach Production or Development devices: one of Sandbox devices only.
  const sandboxDevices = [...state().devices.values()].filter((d) => d.locationGroupId === SANDBOX).slice(0, 40).map((d) => d.id);
  sandboxPilot = state().addSmartGroup({ uuid: 'sandbox-pilot', name: 'Sandbox Pilot', criteria: 'Group = Sandbox Devices', managedBy: SANDBOX, deviceIds: sandboxDevices }).id;
});
afterAll(async () => {
  await gw?.close();
});

const { sim, state, writes, calls, ok, refused, audits } = uemWriteKit(() => gw);
const INSTALL = 'POST /API/mam/apps/internal/{appId}/install';

const smartGroupNamed = (name: string) => [...state().smartGroups.values()].find((g) => g.name === name)!.id;
const activeApp = (n: number) => [...state().apps.values()].filter((a) => a.status === 'Active')[n] as UemApp;

const ASSIGN = `mutation Assign($appId: ID!, $ids: [ID!]!, $mode: AppPushMode) {
  assignAppToSmartGroups(appId: $appId, smartGroupIds: $ids, pushMode: $mode) {
    app { id smartGroups { id } } results { smartGroupId smartGroup { name } status errorCode message }
  }
}`;
const UNASSIGN = `mutation Unassign($appId: ID!, $ids: [ID!]!) {
  unassignAppFromSmartGroups(appId: $appId, smartGroupIds: $ids) { app { id smartGroups { id } } results { smartGroupId status errorCode } }
}`;
type AssignPayload = { app: { id: string; smartGroups: { id: string }[] }; results: { smartGroupId: string; status: string; errorCode: string | null; message?: string | null }[] };
const statuses = (p: AssignPayload) => p.results.map((r) => [r.smartGroupId, r.status, r.errorCode]);

describe('assignAppToSmartGroups and unassignAppFromSmartGroups', () => {
  it('finds the targets: smart groups by name and by managing organization group', async () => {
    const FIND = `query Find($filter: SmartGroupFilter) { smartGroups(filter: $filter) { totalCount nodes { id name deviceCount managedBy { id } } } }`;
    const all = await ok<{ smartGroups: { totalCount: number } }>(FIND);
    expect(all.smartGroups.totalCount).toBe(state().smartGroups.size);
    const pilot = await ok<{ smartGroups: { nodes: { id: string; deviceCount: number; managedBy: { id: string } }[] } }>(FIND, { filter: { name: 'PILOT' } });
    expect(pilot.smartGroups.nodes).toEqual([{ id: String(sandboxPilot), name: 'Sandbox Pilot', deviceCount: 40, managedBy: { id: String(SANDBOX) } }]);
    const lab = await ok<{ smartGroups: { nodes: { name: string }[] } }>(FIND, { filter: { organizationGroupId: String(LAB) } });
    expect(lab.smartGroups.nodes.map((g) => g.name)).toEqual(['Lab Test Devices']);
  });

  it('assigns per smart group, answers an unknown one NOT_FOUND, and a rerun is ALREADY_ASSIGNED', async () => {
    const app = activeApp(3);
    const rollout = smartGroupNamed('Production Rollout');
    app.assignments.delete(rollout);
    const ids = [String(rollout), String(sandboxPilot), '987654'];
    const data = await ok<{ assignAppToSmartGroups: AssignPayload }>(ASSIGN, { appId: String(app.id), ids });
    expect(statuses(data.assignAppToSmartGroups)).toEqual([
      [String(rollout), 'ASSIGNED', null],
      [String(sandboxPilot), 'ASSIGNED', null],
      ['987654', 'FAILED', 'NOT_FOUND'],
    ]);
    expect(app.assignments.get(rollout)?.pushMode).toBe('Auto');
    expect(data.assignAppToSmartGroups.app.smartGroups.map((g) => g.id)).toEqual(expect.arrayContaining([String(rollout), String(sandboxPilot)]));
    const before = writes();
    const rerun = await ok<{ assignAppToSmartGroups: AssignPayload }>(ASSIGN, { appId: String(app.id), ids: ids.slice(0, 2) });
    expect(rerun.assignAppToSmartGroups.results.map((r) => r.status)).toEqual(['ALREADY_ASSIGNED', 'ALREADY_ASSIGNED']);
    expect(writes()).toBe(before);
    const onDemand = await ok<{ assignAppToSmartGroups: AssignPayload }>(ASSIGN, { appId: String(app.id), ids: [String(rollout)], mode: 'ON_DEMAND' });
    expect(onDemand.assignAppToSmartGroups.results[0]?.status).toBe('ASSIGNED');
    expect(app.assignments.get(rollout)?.pushMode).toBe('OnDemand');
  });

  it('needs deployApps in every environment of a smart group’s devices', async () => {
    const app = activeApp(4);
    const rollout = smartGroupNamed('Production Rollout');
    for (const id of [rollout, sandboxPilot]) app.assignments.delete(id);
    const data = await ok<{ assignAppToSmartGroups: AssignPayload }>(ASSIGN, { appId: String(app.id), ids: [String(rollout), String(sandboxPilot)] }, OPERATOR);
    expect(statuses(data.assignAppToSmartGroups)).toEqual([
      [String(rollout), 'SKIPPED', 'FORBIDDEN'],
      [String(sandboxPilot), 'ASSIGNED', null],
    ]);
    expect(data.assignAppToSmartGroups.results[0]?.message).toMatch(/deployApps.*Production/);
    expect(app.assignments.has(rollout)).toBe(false);
    const rita = await ok<{ assignAppToSmartGroups: AssignPayload }>(ASSIGN, { appId: String(app.id), ids: [String(smartGroupNamed('All Apple Devices'))] }, READER);
    expect(statuses(rita.assignAppToSmartGroups).map(([, s, c]) => [s, c])).toEqual([['SKIPPED', 'FORBIDDEN']]);
  });

  it('unassigns, answering NOT_ASSIGNED where there is nothing to remove', async () => {
    const app = activeApp(3);
    const rollout = smartGroupNamed('Production Rollout');
    const data = await ok<{ unassignAppFromSmartGroups: AssignPayload }>(UNASSIGN, { appId: String(app.id), ids: [String(rollout), String(sandboxPilot)] });
    expect(data.unassignAppFromSmartGroups.results.map((r) => r.status)).toEqual(['UNASSIGNED', 'UNASSIGNED']);
    expect(app.assignments.has(rollout)).toBe(false);
    expect(data.unassignAppFromSmartGroups.app.smartGroups.map((g) => g.id)).not.toContain(String(rollout));
    const again = await ok<{ unassignAppFromSmartGroups: AssignPayload }>(UNASSIGN, { appId: String(app.id), ids: [String(rollout)] });
    expect(again.unassignAppFromSmartGroups.results.map((r) => r.status)).toEqual(['NOT_ASSIGNED']);
    await refused(UNASSIGN, { appId: '1', ids: [String(rollout)] }, 'NOT_FOUND');
  });
});

const RETRY = `mutation Retry($appId: ID!, $dryRun: Boolean) {
  retryFailedInstalls(appId: $appId, dryRun: $dryRun) { dryRun failedInstalls notVisible results { deviceId status errorCode message } }
}`;
type RetryPayload = { dryRun: boolean; failedInstalls: number; notVisible: number; results: { deviceId: string; status: string; errorCode: string | null }[] };

describe('retryFailedInstalls', () => {
  /** The app with the most failed installs, and its failed devices (ids ascending) by organization group. */
  const target = () => {
    const failedOf = (app: UemApp) =>
      state().appDeviceIds(app).filter((id) => state().deviceInstall(id, app.id)?.status === 'Failed');
    const app = [...state().apps.values()].sort((a, b) => failedOf(b).length - failedOf(a).length)[0]!;
    const failed = failedOf(app);
    const inGroup = (group: number) => failed.filter((id) => state().devices.get(id)?.locationGroupId === group).map(String);
    return { app, failed: failed.map(String), production: inGroup(PRODUCTION), sandbox: inGroup(SANDBOX), lab: inGroup(LAB) };
  };
  let t: ReturnType<typeof target>;
  beforeAll(() => {
    t = target();
  });
  const retry = async (as: string, dryRun: boolean) =>
    (await ok<{ retryFailedInstalls: RetryPayload }>(RETRY, { appId: String(t.app.id), dryRun }, as)).retryFailedInstalls;

  it('dry-runs: lists the devices whose last install failed, sends nothing', async () => {
    expect(t.failed.length).toBeGreaterThan(16);
    expect([t.production.length, t.sandbox.length, t.lab.length].every((n) => n > 0)).toBe(true);
    const before = calls(INSTALL);
    const data = await retry('ada.admin@demo.example', true);
    expect(data).toMatchObject({ dryRun: true, failedInstalls: t.failed.length, notVisible: 0 });
    expect(data.results).toEqual(t.failed.map((deviceId) => ({ deviceId, status: 'WOULD_SEND', errorCode: null, message: null })));
    expect(calls(INSTALL)).toBe(before);
  });

  it('checks deployApps per device: FORBIDDEN results where the caller may read but not write, others only counted', async () => {
    const omar = await retry(OPERATOR, true);
    expect(omar.notVisible).toBe(t.lab.length);
    const byId = new Map(omar.results.map((r) => [r.deviceId, [r.status, r.errorCode]]));
    expect(omar.results).toHaveLength(t.production.length + t.sandbox.length);
    for (const id of t.production) expect(byId.get(id)).toEqual(['SKIPPED', 'FORBIDDEN']);
    for (const id of t.sandbox) expect(byId.get(id)).toEqual(['WOULD_SEND', null]);
    const rita = await retry(READER, true);
    expect(rita).toMatchObject({ notVisible: t.sandbox.length + t.lab.length });
    expect(rita.results.map((r) => [r.status, r.errorCode])).toEqual(t.production.map(() => ['SKIPPED', 'FORBIDDEN']));
  });

  it('sends the installs again, at most 8 at a time; they go pending and a rerun finds nothing to retry', async () => {
    const attempts = new Map(t.failed.map((id) => [id, state().deviceInstall(Number(id), t.app.id)!.attempts]));
    // Each install takes a second, so the calls overlap: the simulator counts how many at once.
    sim().resetStats();
    sim().setFaults({ latencyMs: 1_000, routes: [INSTALL] });
    const data = await retry('ada.admin@demo.example', false).finally(() => sim().clearFaults());
    expect(data.results).toEqual(t.failed.map((deviceId) => ({ deviceId, status: 'ACCEPTED', errorCode: null, message: null })));
    expect(calls(INSTALL)).toBe(t.failed.length);
    // Not one by one, and never more than 8 at a time (more than 16 failed: the 8 slots fill up).
    expect(sim().stats().peakInFlight[INSTALL]).toBe(8);
    for (const id of t.failed) {
      expect(state().deviceInstall(Number(id), t.app.id)).toMatchObject({ status: 'Pending', attempts: attempts.get(id)! + 1 });
    }
    const rerun = await retry('ada.admin@demo.example', false);
    expect(rerun).toMatchObject({ failedInstalls: 0, results: [] });
    expect(calls(INSTALL)).toBe(t.failed.length);
  });

  it('retries only the installs that failed again once they settle', async () => {
    clock.advance(INSTALL_DELAY_MS);
    const again = t.failed.filter((id) => state().deviceInstall(Number(id), t.app.id)?.status === 'Failed');
    expect(again.length).toBeGreaterThan(0);
    expect(again.length).toBeLessThan(t.failed.length);
    const data = await retry('ada.admin@demo.example', false);
    expect(data.results.map((r) => r.deviceId)).toEqual(again);
    expect(new Set(data.results.map((r) => r.status))).toEqual(new Set(['ACCEPTED']));
  });

  it('refuses an unknown app, and audits every call with dry runs marked', async () => {
    await refused(RETRY, { appId: '424242' }, 'NOT_FOUND');
    const events = await audits('retryFailedInstalls');
    const dryRuns = events.filter((e) => (e.variables as { dryRun?: boolean }).dryRun === true);
    expect(dryRuns.map((e) => [e.principalEmail, e.outcome])).toEqual(
      expect.arrayContaining([
        ['ada.admin@demo.example', 'SUCCESS'],
        [OPERATOR, 'PARTIAL'],
        [READER, 'DENIED'],
      ]),
    );
    const real = events.find((e) => (e.variables as { dryRun?: boolean }).dryRun === false && e.outcome === 'SUCCESS')!;
    expect(real.targets).toEqual([{ type: 'App', id: String(t.app.id) }]);
    expect(real.details).toMatchObject({ dryRun: false, notVisible: 0 });
    expect(events.some((e) => e.outcome === 'FAILURE' && e.errorCodes.includes('NOT_FOUND'))).toBe(true);
    const assigns = await audits('assignAppToSmartGroups');
    expect(new Set(assigns.map((e) => e.outcome))).toEqual(new Set(['PARTIAL', 'SUCCESS', 'DENIED']));
  });
});
