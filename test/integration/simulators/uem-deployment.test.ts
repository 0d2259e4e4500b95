/**
 * The UEM simulator as the provisioning and deployment jobs of issue 11 use it: a smart group added
 * to the live tenant (`state.addSmartGroup`) is served like the seeded ones and can be assigned an
 * app; a retried failed install goes Pending and settles to the seeded outcome of that attempt;
 * group membership and user updates are idempotent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/simulators/common/clock.js';
import { DEFAULT_SIZES } from '../../../src/simulators/dataset/demo-org.js';
import { installOutcome } from '../../../src/simulators/uem/uem.installs.js';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import { startTestSimulator, type UemTestClient } from './uem-test-client.js';

type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DELAY = 10_000;
const FAILURE_RATE = 0.5;

describe('UEM simulator for provisioning and deployment', () => {
  let sim: UemSimulator;
  let client: UemTestClient;
  let clock: ManualClock;

  beforeAll(async () => {
    ({ sim, client, clock } = await startTestSimulator({ sizes: { devices: 600, uemUsers: 200 }, installDelayMs: DELAY, installFailureRate: FAILURE_RATE }));
  });
  afterAll(() => sim.close());

  it('serves an added smart group like a seeded one, and assigns apps to it', async () => {
    const deviceIds = sim.state.deviceList.filter((d) => d.locationGroupId === 572).slice(0, 5).map((d) => d.id);
    const group = sim.state.addSmartGroup({ uuid: 'sg-test', name: 'Sandbox Pilot', criteria: 'Group = Sandbox Devices', managedBy: 572, deviceIds: [...deviceIds, deviceIds[0]!] });
    expect(group.deviceIds).toEqual(deviceIds);
    const found = (await client.get('/API/mdm/smartgroups/search?name=pilot')).json.SmartGroups as Item[];
    expect(found).toEqual([expect.objectContaining({ SmartGroupID: group.id, Devices: 5, Assignments: 0, ManagedByOrganizationGroupId: '572' })]);
    expect(((await client.get(`/API/mdm/smartgroups/${group.id}/devices`)).json.Devices as Item[]).map((d) => d.Id)).toEqual(deviceIds);
    expect(sim.state.smartGroupsOf(deviceIds[0]!).map((g) => g.id)).toContain(group.id);

    const app = [...sim.state.apps.values()].find((a) => a.status === 'Active')!;
    expect((await client.post(`/API/mam/apps/internal/${app.id}/smartgroups/${group.id}`, { PushMode: 'Auto' })).status).toBe(204);
    expect((await client.get('/API/mdm/smartgroups/search?name=pilot')).json.SmartGroups[0].Assignments).toBe(1);
    const rows = (await client.get(`/API/mam/apps/${app.uuid}/devices?isassigned=true&pagesize=10000`)).json.devices as Item[];
    expect(rows.filter((r) => deviceIds.includes(r.device_id)).map((r) => r.assignment_status)).toEqual(deviceIds.map(() => 'Assigned'));
  });

  it('moves a retried failed install to Pending, then to the seeded outcome of that attempt', async () => {
    const failed = sim.state.deviceList.flatMap((d) => sim.state.deviceInstalls(d.id).filter((i) => i.status === 'Failed').map((i) => ({ device: d, install: i })));
    expect(failed.length).toBeGreaterThan(3);
    const picks = failed.slice(0, 4);
    for (const { device, install } of picks) {
      expect((await client.post(`/API/mam/apps/internal/${install.appId}/install`, { DeviceId: device.id })).status).toBe(202);
      const rows = (await client.get(`/API/mam/apps/${sim.state.apps.get(install.appId)!.uuid}/devices?isinstalled=false&pagesize=10000`)).json.devices as Item[];
      expect(rows.find((r) => r.device_id === device.id)).toMatchObject({ installed_status: 'Pending', last_action_taken: 'InstallRetry' });
    }
    clock.advance(DELAY);
    for (const { device, install } of picks) {
      // `install` is the live record: its attempts already count the retry.
      const expected = installOutcome({ seed: DEFAULT_SIZES.seed, delayMs: DELAY, failureRate: FAILURE_RATE }, device.id, install.appId, install.attempts);
      expect(sim.state.deviceInstall(device.id, install.appId)?.status).toBe(expected);
    }
  });

  it('keeps one membership when a member is added twice, and changes nothing on an identical update', async () => {
    const group = sim.state.userGroups.get(56)!;
    const user = [...sim.state.users.values()].find((u) => !group.members.has(u.id))!;
    for (let i = 0; i < 2; i++) expect((await client.post(`/API/system/usergroups/56/user/${user.id}/addusertogroup`)).status).toBe(204);
    const count = (await client.get('/API/system/usergroups/custom/search?groupname=contractors')).json.UserGroup[0].UserCount;
    expect(count).toBe(group.members.size);
    expect([...group.members].filter((id) => id === user.id)).toHaveLength(1);
    const before = { ...user };
    expect((await client.post(`/API/system/users/${user.id}/update`, { FirstName: user.firstName, UserName: user.userName.toUpperCase() })).status).toBe(204);
    expect(sim.state.users.get(user.id)).toEqual(before);
  });
});
