import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import type { UemDatasource } from '../../../src/datasources/uem/uem.datasource.js';
import { startUem, uemDatasource } from './uem.helpers.js';
import { rejectionOf } from './test-upstream.js';

describe('UEM datasource: users, apps, groups and tags', () => {
  let sim: UemSimulator;
  let ds: UemDatasource;
  beforeAll(async () => {
    sim = await startUem();
    ds = uemDatasource(sim);
  });
  afterAll(async () => {
    await ds.close();
    await sim.close();
  });

  it('searches and reads enrollment users', async () => {
    const page = await ds.searchUsers({ email: 'ada.admin@demo.example' });
    expect(page.total).toBe(1);
    const ada = page.items[0];
    expect(ada).toMatchObject({ email: 'ada.admin@demo.example', active: true });
    expect(typeof ada?.enrolledDevicesCount).toBe('number');
    expect(typeof ada?.organizationGroupId).toBe('number');
    expect(await ds.getUser(ada?.id ?? 0)).toEqual(ada);
    expect(await ds.getUser(1)).toBeNull();
    expect(await ds.searchUsers({ userName: 'nobody-by-this-name' })).toMatchObject({ items: [], total: 0 });
  });

  it('creates, updates, deactivates and activates a user, and manages group members', async () => {
    const id = await ds.createUser({ userName: 'jdoe', password: 'Secret-1', firstName: 'Jo', lastName: 'Doe', email: 'jo.doe@demo.example', organizationGroupId: 571 });
    expect(sim.state.users.get(id)).toMatchObject({ userName: 'jdoe', locationGroupId: 571 });
    await ds.updateUser(id, { department: 'Finance', mobileNumber: '+15550100' });
    expect(sim.state.users.get(id)).toMatchObject({ department: 'Finance', mobileNumber: '+15550100' });
    await ds.deactivateUser(id);
    expect((await ds.getUser(id))?.active).toBe(false);
    await ds.activateUser(id);
    expect((await ds.getUser(id))?.active).toBe(true);
    const duplicate = await rejectionOf(ds.createUser({ userName: 'JDOE', password: 'x' }));
    expect(duplicate).toMatchObject({ code: 'BAD_USER_INPUT', details: { upstreamCode: 5071 } });

    const [group] = await ds.searchUserGroups();
    if (!group) throw new Error('no user group in the dataset');
    await ds.addUserToGroup(group.id, id);
    expect((await ds.userGroupMembers(group.id)).some((u) => u.id === id)).toBe(true);
    await ds.removeUserFromGroup(group.id, id);
    expect((await ds.userGroupMembers(group.id)).some((u) => u.id === id)).toBe(false);
  });

  it('searches apps, reads an internal app and the devices that have it', async () => {
    const apps = await ds.searchApps({ status: 'Active' });
    expect(apps.items.length).toBeGreaterThan(0);
    const app = apps.items[0];
    if (!app?.uuid) throw new Error('no app');
    const internal = await ds.getInternalApp(app.id);
    expect(internal).toMatchObject({ id: app.id, name: app.name });
    expect(await ds.getInternalApp(99_999_999)).toBeNull();
    const holders = await ds.appDevices(app.uuid);
    const installed = await ds.appDevices(app.uuid, { installed: true });
    expect(installed.every((d) => d.installedStatus === 'Installed')).toBe(true);
    expect(holders.length).toBeGreaterThanOrEqual(installed.length);
  });

  it('assigns an app to a smart group and installs it on a device', async () => {
    const app = [...sim.state.apps.values()].find((a) => a.status === 'Active');
    const device = [...sim.state.devices.values()].find((d) => d.enrollmentStatus === 'Enrolled' && d.platform === app?.platform);
    const [smartGroup] = await ds.searchSmartGroups();
    if (!app || !device || !smartGroup) throw new Error('dataset lacks an app, a device or a smart group');
    await ds.assignAppToSmartGroup(app.id, smartGroup.id, 'OnDemand');
    expect(sim.state.apps.get(app.id)?.assignments.get(smartGroup.id)?.pushMode).toBe('OnDemand');
    await ds.unassignAppFromSmartGroup(app.id, smartGroup.id);
    expect(sim.state.apps.get(app.id)?.assignments.has(smartGroup.id)).toBe(false);
    await ds.installApp(app.id, device.id);
    expect(sim.state.deviceInstall(device.id, app.id)).toBeDefined();
  });

  it('lists organization groups, smart groups with their devices, tags with theirs', async () => {
    const groups = await ds.searchOrganizationGroups();
    expect(groups.find((g) => g.name === 'Production Devices')).toMatchObject({ id: 571, groupId: 'demo-prod', parentId: 570 });
    expect(typeof groups[0]?.deviceCount).toBe('number');
    const smartGroups = await ds.searchSmartGroups();
    const withDevices = smartGroups.find((g) => (g.deviceCount ?? 0) > 0);
    expect((await ds.smartGroupDevices(withDevices?.id ?? 0)).length).toBe(withDevices?.deviceCount);
    const tags = await ds.searchTags();
    expect(tags.length).toBeGreaterThan(0);
    const tag = tags[0];
    expect(await ds.tagDevices(tag?.id ?? 0)).toHaveLength(sim.state.tags.get(tag?.id ?? 0)?.members.size ?? -1);
  });

  it('tags and untags many devices with per-item results', async () => {
    const [tag] = await ds.searchTags();
    if (!tag) throw new Error('no tag');
    const ids = [...sim.state.devices.keys()].slice(0, 3);
    const added = await ds.addDevicesToTag(tag.id, [...ids, 99_999_999]);
    expect(added.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'FAILED']);
    expect(added[3]).toMatchObject({ item: '99999999', errorCode: '5061' });
    for (const id of ids) expect(sim.state.tags.get(tag.id)?.members.has(id)).toBe(true);
    const removed = await ds.removeDevicesFromTag(tag.id, ids);
    expect(removed.every((r) => r.status === 'ACCEPTED')).toBe(true);
    for (const id of ids) expect(sim.state.tags.get(tag.id)?.members.has(id)).toBe(false);
  });
});
