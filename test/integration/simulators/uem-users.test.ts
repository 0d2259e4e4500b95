import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import { startTestSimulator, type UemTestClient } from './uem-test-client.js';

type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('UEM simulator enrollment users, user groups and organization groups', () => {
  let sim: UemSimulator;
  let client: UemTestClient;

  beforeAll(async () => {
    ({ sim, client } = await startTestSimulator({ sizes: { devices: 500, uemUsers: 300 } }));
  });
  afterAll(() => sim.close());

  it('searches users in the v1 shape, with string LocationGroupId and EnrolledDevicesCount', async () => {
    const r = await client.get('/API/system/users/search?pagesize=10');
    expect(r.json).toMatchObject({ Page: 0, PageSize: 10, Total: 300 });
    expect(r.json.Users[0]).toMatchObject({
      Id: { Value: 5001 },
      Uuid: expect.any(String),
      UserName: 'ada.admin',
      FirstName: 'Ada',
      LastName: 'Admin',
      Status: true,
      Email: 'ada.admin@demo.example',
      SecurityType: expect.stringMatching(/^(Basic|Directory)$/),
      DisplayName: 'Ada Admin',
      LocationGroupId: expect.stringMatching(/^57[123]$/),
      EnrolledDevicesCount: expect.stringMatching(/^\d+$/),
    });
    expect(Number(r.json.Users[0].EnrolledDevicesCount)).toBeGreaterThanOrEqual(3);
    expect((await client.get('/API/system/users/search?page=30&pagesize=10')).status).toBe(204);
  });

  it('filters users by username, names, email, group and status', async () => {
    const omar = await client.get('/API/system/users/search?email=omar.operator@demo.example');
    expect(omar.json.Users.map((u: Item) => u.Email)).toEqual(['Omar.Operator@Demo.example']);
    expect((await client.get('/API/system/users/search?UserName=RITA')).json.Users[0].UserName).toBe('rita.reader');
    const both = (await client.get('/API/system/users/search?firstname=lena&lastname=logs')).json.Users;
    expect(both.map((u: Item) => u.UserName)).toEqual(['lena.logs']);
    const lab = (await client.get('/API/system/users/search?locationgroupId=573')).json;
    expect(lab.Total).toBe([...sim.state.users.values()].filter((u) => u.locationGroupId === 573).length);
    expect(lab.Users.every((u: Item) => u.LocationGroupId === '573')).toBe(true);
    const inactive = (await client.get('/API/system/users/search?status=false')).json;
    expect(inactive.Total).toBe([...sim.state.users.values()].filter((u) => !u.status).length);
    expect((await client.get('/API/system/users/search?username=zzz-nobody')).status).toBe(204);
  });

  it('answers one user, and 404 with 5064 for an unknown one', async () => {
    expect((await client.get('/API/system/users/5002')).json.UserName).toBe('rita.reader');
    const missing = await client.get('/API/system/users/99');
    expect(missing.status).toBe(404);
    expect(missing.json.errorCode).toBe(5064);
  });

  it('creates, updates, deactivates and activates a user', async () => {
    const add = await client.post('/API/system/users/adduser', {
      UserName: 'new.hire',
      Password: 'S3cret!',
      FirstName: 'New',
      LastName: 'Hire',
      Email: 'new.hire@demo.example',
      SecurityType: 'Basic',
      Status: true,
      LocationGroupId: '572',
    });
    expect(add.status, add.text).toBe(200);
    const id = add.json.Value as number;
    expect(id).toBeGreaterThan(5300);
    const created = (await client.get(`/API/system/users/${id}`)).json;
    expect(created).toMatchObject({ UserName: 'new.hire', Email: 'new.hire@demo.example', LocationGroupId: '572', Status: true, EnrolledDevicesCount: '0' });
    expect(created).not.toHaveProperty('Password');

    const update = await client.post(`/API/system/users/${id}/update`, { LastName: 'Hired', MobileNumber: '+15550001111' });
    expect(update.status).toBe(204);
    expect(update.text).toBe('');
    expect((await client.get(`/API/system/users/${id}`)).json).toMatchObject({ LastName: 'Hired', MobileNumber: '+15550001111', FirstName: 'New' });
    expect((await client.post(`/API/system/users/${id}/update`, { UserName: 'renamed' })).status).toBe(400);

    expect((await client.post(`/API/system/users/${id}/deactivate`)).status).toBe(204);
    expect(sim.state.users.get(id)?.status).toBe(false);
    expect((await client.post(`/API/system/users/${id}/activate`)).status).toBe(204);
    expect((await client.get(`/API/system/users/${id}`)).json.Status).toBe(true);
    expect((await client.get('/API/system/users/search?username=new.hire')).json.Total).toBe(1);
    expect((await client.post('/API/system/users/99/activate')).json.errorCode).toBe(5064);
  });

  it('refuses a duplicate UserName (400, 5071) and invalid bodies (400, 1001)', async () => {
    const dup = await client.post('/API/system/users/adduser', { UserName: 'ADA.admin', Password: 'x', SecurityType: 'Basic' });
    expect(dup.status).toBe(400);
    expect(dup.json.errorCode).toBe(5071);
    for (const body of [{ Password: 'x' }, { UserName: 'a.b' }, { UserName: 'c.d', SecurityType: 'Directory', LocationGroupId: 999 }, { UserName: 'e.f', SecurityType: 'Directory', Email: 'nope' }]) {
      const r = await client.post('/API/system/users/adduser', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.errorCode).toBe(1001);
    }
  });

  it('searches user groups and lists their members', async () => {
    const r = await client.get('/API/system/usergroups/custom/search');
    expect(r.json.UserGroup).toHaveLength(sim.state.userGroups.size);
    expect(r.json.UserGroup[0]).toMatchObject({ UserGroupId: 51, UserGroupName: 'All Staff', OrganizationGroup: 'Demo Organization', UserCount: expect.any(Number) });
    expect((await client.get('/API/system/usergroups/custom/search?groupname=sales')).json.UserGroup.map((g: Item) => g.UserGroupName)).toEqual(['Sales']);
    expect((await client.get('/API/system/usergroups/custom/search?groupname=nothing')).status).toBe(204);
    const members = await client.get('/API/system/usergroups/52/users');
    expect(members.json.EnrollmentUser.map((u: Item) => u.Id.Value)).toEqual([...(sim.state.userGroups.get(52)?.members ?? [])].sort((a, b) => a - b));
    expect(members.json.EnrollmentUser[0]).toMatchObject({ UserName: expect.any(String), FirstName: expect.any(String), LastName: expect.any(String) });
  });

  it('adds and removes a group member', async () => {
    const group = sim.state.userGroups.get(55);
    group?.members.delete(5004);
    expect((await client.post('/API/system/usergroups/55/user/5004/addusertogroup')).status).toBe(204);
    const names = (await client.get('/API/system/usergroups/55/users')).json.EnrollmentUser.map((u: Item) => u.UserName);
    expect(names).toContain('lena.logs');
    const count = (await client.get('/API/system/usergroups/custom/search?groupname=executives')).json.UserGroup[0].UserCount;
    expect(count).toBe(group?.members.size);
    expect((await client.post('/API/system/usergroups/55/user/5004/removeuserfromgroup')).status).toBe(204);
    expect(group?.members.has(5004)).toBe(false);
    expect((await client.post('/API/system/usergroups/999/user/5004/addusertogroup')).json.errorCode).toBe(5068);
    expect((await client.post('/API/system/usergroups/55/user/1/addusertogroup')).json.errorCode).toBe(5064);
  });

  it('searches organization groups with counts as strings', async () => {
    const r = await client.get('/API/system/groups/search');
    const groups = r.json.LocationGroups as Item[];
    expect(groups.map((g) => [g.Id.Value, g.Name])).toEqual([
      [570, 'Demo Organization'],
      [571, 'Production Devices'],
      [572, 'Sandbox Devices'],
      [573, 'Lab Devices'],
    ]);
    expect(groups[0]).toMatchObject({ GroupId: 'demo', LocationGroupType: 'Customer', ParentLocationGroup: null, Devices: '500', Users: String(sim.state.users.size) });
    const prod = groups[1] as Item;
    expect(prod.ParentLocationGroup.Id.Value).toBe(570);
    expect(prod.Devices).toBe(String(sim.state.deviceList.filter((d) => d.locationGroupId === 571).length));
    expect((await client.get('/API/system/groups/search?name=lab')).json.LocationGroups.map((g: Item) => g.Name)).toEqual(['Lab Devices']);
    expect((await client.get('/API/system/groups/search?name=nowhere')).status).toBe(204);
  });

  it('searches smart groups and lists their members', async () => {
    const r = await client.get('/API/mdm/smartgroups/search');
    expect(r.json.SmartGroups).toHaveLength(sim.state.smartGroups.size);
    const apple = r.json.SmartGroups[0];
    expect(apple).toMatchObject({ SmartGroupID: 31, SmartGroupUuid: expect.any(String), Name: 'All Apple Devices', Devices: expect.any(Number), Assignments: expect.any(Number) });
    const members = await client.get('/API/mdm/smartgroups/31/devices');
    expect(members.json.Devices).toHaveLength(apple.Devices);
    expect(members.json.Devices.every((d: Item) => d.Platform === 'Apple')).toBe(true);
    expect(members.json.Devices[0]).toEqual({
      Id: expect.any(Number),
      Name: expect.any(String),
      Model: expect.any(String),
      OSVersion: expect.any(String),
      Username: expect.any(String),
      Platform: 'Apple',
      Ownership: expect.any(String),
    });
    const lab = (await client.get('/API/mdm/smartgroups/search?organizationgroupid=573')).json.SmartGroups.map((g: Item) => g.Name);
    expect(lab).toContain('Lab Test Devices');
    expect(lab).not.toContain('Production Rollout');
    expect((await client.get('/API/mdm/smartgroups/search?name=byod')).json.SmartGroups).toHaveLength(1);
    expect((await client.get('/API/mdm/smartgroups/999/devices')).json.errorCode).toBe(5066);
  });
});
