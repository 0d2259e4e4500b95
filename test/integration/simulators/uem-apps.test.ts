import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/simulators/common/clock.js';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import type { UemApp, UemDevice } from '../../../src/simulators/uem/uem.types.js';
import { startTestSimulator, type UemTestClient } from './uem-test-client.js';

type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('UEM simulator apps', () => {
  let sim: UemSimulator;
  let client: UemTestClient;
  let clock: ManualClock;

  beforeAll(async () => {
    ({ sim, client, clock } = await startTestSimulator({ sizes: { devices: 800, uemUsers: 300 }, installDelayMs: 60_000, installFailureRate: 0.4 }));
  });
  afterAll(() => sim.close());

  const activeApp = (platform: string, n = 0) =>
    [...sim.state.apps.values()].filter((a) => a.platform === platform && a.status === 'Active')[n] as UemApp;

  it('searches apps under the singular Application key, with filters and paging', async () => {
    const r = await client.get('/API/mam/apps/search');
    expect(r.json).toMatchObject({ Page: 0, PageSize: 500, Total: 60 });
    expect(r.json.Application).toHaveLength(60);
    expect(r.json.Application[0]).toMatchObject({
      Id: { Value: 2001 },
      Uuid: expect.any(String),
      ApplicationName: 'Demo Expenses',
      BundleId: 'com.demo.expenses',
      Platform: 'Apple',
      Status: expect.stringMatching(/^(Active|Retired)$/),
      AppVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    const android = (await client.get('/API/mam/apps/search?platform=android&pagesize=100')).json.Application as Item[];
    expect(android.every((a) => a.Platform === 'Android')).toBe(true);
    expect(android).toHaveLength(15);
    expect((await client.get('/API/mam/apps/search?applicationname=scanner')).json.Total).toBe(4);
    expect((await client.get('/API/mam/apps/search?bundleid=COM.DEMO.EXPENSES')).json.Total).toBe(2);
    const retired = [...sim.state.apps.values()].filter((a) => a.status === 'Retired').length;
    const answer = await client.get('/API/mam/apps/search?status=retired');
    expect(answer.status).toBe(retired === 0 ? 204 : 200);
    expect((await client.get('/API/mam/apps/search?page=1&pagesize=60')).status).toBe(204);
  });

  it('answers one internal app with counts and assignments', async () => {
    const app = activeApp('Apple');
    const r = await client.get(`/API/mam/apps/internal/${app.id}`);
    expect(r.json).toMatchObject({ ApplicationName: app.name, AppId: app.id, Status: 'Active', Platform: 'Apple' });
    expect(r.json.DevicesAssignedCount).toBe(sim.state.assignedDeviceIds(app).size);
    expect(r.json.Assignments.map((a: Item) => a.SmartGroupId)).toEqual([...app.assignments.keys()]);
    const installed = sim.state.appDeviceIds(app).filter((id) => sim.state.deviceInstall(id, app.id)?.status === 'Installed').length;
    expect(r.json.DevicesInstalledCount).toBe(installed);
    expect((await client.get('/API/mam/apps/internal/1')).json.errorCode).toBe(5065);
  });

  it('lists the devices of an app in snake_case, filtered by install and assignment status', async () => {
    const app = activeApp('Android');
    const all = await client.get(`/API/mam/apps/${app.uuid}/devices?pagesize=10000`);
    expect(all.status).toBe(200);
    expect(all.json.TotalResults).toBe(sim.state.appDeviceIds(app).length);
    expect(Object.keys(all.json.devices[0]).sort()).toEqual(
      ['assignment_status', 'device_friendly_name', 'device_id', 'device_uuid', 'enrollment_user_name', 'installed_status', 'installed_version', 'last_action_taken'].sort(),
    );
    const installed = (await client.get(`/API/mam/apps/${app.uuid}/devices?isinstalled=true&pagesize=10000`)).json;
    expect(installed.devices.every((d: Item) => d.installed_status === 'Installed' && d.installed_version !== '')).toBe(true);
    const notInstalled = (await client.get(`/API/mam/apps/${app.uuid}/devices?IsInstalled=false&pagesize=10000`)).json;
    expect(installed.TotalResults + notInstalled.TotalResults).toBe(all.json.TotalResults);
    const unassigned = await client.get(`/API/mam/apps/${app.uuid}/devices?isassigned=false&pagesize=10000`);
    if (unassigned.status === 200) expect(unassigned.json.devices.every((d: Item) => d.assignment_status === 'NotAssigned')).toBe(true);
    expect((await client.get(`/API/mam/apps/${app.uuid}/devices?page=1000&pagesize=10`)).status).toBe(204);
    expect((await client.get('/API/mam/apps/00000000-0000-4000-a000-000000000000/devices')).status).toBe(404);
  });

  it('assigns an internal app to a smart group and unassigns it', async () => {
    const app = activeApp('WinRT', 1);
    const sgId = 35; // Production Rollout: every platform
    app.assignments.delete(sgId);
    const before = (await client.get(`/API/mam/apps/internal/${app.id}`)).json;
    const assign = await client.post(`/API/mam/apps/internal/${app.id}/smartgroups/${sgId}`, { PushMode: 'OnDemand' });
    expect(assign.status).toBe(204);
    const after = (await client.get(`/API/mam/apps/internal/${app.id}`)).json;
    expect(after.Assignments).toContainEqual(expect.objectContaining({ SmartGroupId: sgId, SmartGroupName: 'Production Rollout', PushMode: 'OnDemand' }));
    expect(after.DevicesAssignedCount).toBeGreaterThanOrEqual(before.DevicesAssignedCount);
    const member = sim.state.smartGroups.get(sgId)?.deviceIds[0] ?? 0;
    const rows = (await client.get(`/API/mam/apps/${app.uuid}/devices?isassigned=true&pagesize=10000`)).json.devices as Item[];
    expect(rows.find((d) => d.device_id === member)?.assignment_status).toBe('Assigned');
    const unassign = await client.delete(`/API/mam/apps/internal/${app.id}/smartgroups/${sgId}`);
    expect(unassign.status).toBe(204);
    expect(app.assignments.has(sgId)).toBe(false);
    expect((await client.post(`/API/mam/apps/internal/${app.id}/smartgroups/999`)).json.errorCode).toBe(5066);
    expect((await client.post(`/API/mam/apps/internal/${app.id}/smartgroups/${sgId}`, { PushMode: 'Sometimes' })).status).toBe(400);
  });

  it('installs an app: Pending, then Installed or Failed after the delay on the clock; a retry goes Pending again', async () => {
    const app = activeApp('Apple', 2);
    const targets = sim.state.deviceList
      .filter((d) => d.platform === 'Apple' && d.enrollmentStatus === 'Enrolled' && !sim.state.deviceInstall(d.id, app.id))
      .slice(0, 20) as UemDevice[];
    expect(targets.length).toBe(20);
    for (const d of targets) {
      const r = await client.post(`/API/mam/apps/internal/${app.id}/install`, { DeviceId: d.id });
      expect(r.status, r.text).toBe(202);
    }
    const statusOn = async (d: UemDevice) =>
      ((await client.get(`/API/mdm/devices/${d.id}/apps`)).json.DeviceApps as Item[]).find((a) => a.ApplicationIdentifier === app.bundleId)?.Status;
    expect(await statusOn(targets[0] as UemDevice)).toBe('Pending');
    clock.advance(59_999);
    expect(await statusOn(targets[0] as UemDevice)).toBe('Pending');
    clock.advance(1);
    const outcomes = await Promise.all(targets.map(statusOn));
    expect(new Set(outcomes)).toEqual(new Set(['Installed', 'Failed']));

    const failed = targets[outcomes.indexOf('Failed')] as UemDevice;
    expect((await client.post(`/API/mam/apps/internal/${app.id}/install`, { DeviceId: String(failed.id) })).status).toBe(202);
    expect(await statusOn(failed)).toBe('Pending');
    expect(sim.state.deviceInstall(failed.id, app.id)?.attempts).toBe(2);
    const rows = (await client.get(`/API/mam/apps/${app.uuid}/devices?pagesize=10000`)).json.devices as Item[];
    expect(rows.find((r) => r.device_id === failed.id)?.last_action_taken).toBe('InstallRetry');
  });

  it('refuses installs on another platform, unknown devices and missing DeviceId', async () => {
    const app = activeApp('Apple');
    const android = sim.state.deviceList.find((d) => d.platform === 'Android' && d.enrollmentStatus === 'Enrolled') as UemDevice;
    const mismatch = await client.post(`/API/mam/apps/internal/${app.id}/install`, { DeviceId: android.id });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.errorCode).toBe(5076);
    expect((await client.post(`/API/mam/apps/internal/${app.id}/install`, { DeviceId: 999999 })).json.errorCode).toBe(5061);
    expect((await client.post(`/API/mam/apps/internal/${app.id}/install`, {})).json.errorCode).toBe(1001);
    expect((await client.post('/API/mam/apps/internal/1/install', { DeviceId: android.id })).json.errorCode).toBe(5065);
  });
});
