import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import type { UemDevice } from '../../../src/simulators/uem/uem.types.js';
import { startTestSimulator, TEST_NOW, UEM_DATE, uemDateMs, type UemTestClient } from './uem-test-client.js';

const DAY = 86_400_000;
type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('UEM simulator device reads', () => {
  let sim: UemSimulator;
  let client: UemTestClient;
  let devices: readonly UemDevice[];

  beforeAll(async () => {
    ({ sim, client } = await startTestSimulator());
    devices = sim.state.deviceList;
  });
  afterAll(() => sim.close());

  /** Every id a search returns, following the pages. */
  const allIds = async (query: string): Promise<number[]> => {
    const ids: number[] = [];
    for (let page = 0; ; page++) {
      const r = await client.get(`/API/mdm/devices/search?${query}&page=${page}&pagesize=500`);
      if (r.status === 204) return ids;
      expect(r.status, r.text).toBe(200);
      ids.push(...r.json.Devices.map((d: Item) => d.Id.Value as number));
    }
  };
  const expectedIds = (accept: (d: UemDevice) => boolean) => devices.filter(accept).map((d) => d.id);
  const userName = (d: UemDevice) => sim.state.users.get(d.userId)?.userName ?? '';

  it('answers a search page in the v1 shape, ordered by Id, with the default page size', async () => {
    const r = await client.get('/API/mdm/devices/search');
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(['Devices', 'Page', 'PageSize', 'Total']);
    expect(r.json).toMatchObject({ Page: 0, PageSize: 500, Total: 2000 });
    expect(r.json.Devices).toHaveLength(500);
    expect(r.json.Devices[0].Id).toEqual({ Value: 101 });
    const d = r.json.Devices[0];
    const raw = sim.state.devices.get(101) as UemDevice;
    const user = sim.state.users.get(raw.userId);
    expect(d).toMatchObject({
      Uuid: raw.uuid,
      Udid: raw.udid,
      SerialNumber: raw.serialNumber,
      MacAddress: raw.macAddress,
      Imei: raw.imei,
      DeviceFriendlyName: raw.friendlyName,
      LocationGroupId: { Id: { Value: raw.locationGroupId }, Name: expect.any(String), Uuid: expect.any(String) },
      UserId: { Id: { Value: raw.userId }, Name: user?.displayName, Uuid: user?.uuid },
      UserName: user?.userName,
      UserEmailAddress: user?.email,
      Ownership: raw.ownership,
      Platform: raw.platform,
      Model: raw.model,
      OperatingSystem: raw.operatingSystem,
      PhoneNumber: raw.phoneNumber,
      EnrollmentStatus: raw.enrollmentStatus,
      ComplianceStatus: raw.complianceStatus,
      CompromisedStatus: raw.compromised,
    });
    expect(d.LastSeen).toMatch(UEM_DATE);
    expect(uemDateMs(d.LastSeen)).toBe(raw.lastSeen);
  });

  it('cuts pagesize at 500 and echoes the effective size', async () => {
    const r = await client.get('/API/mdm/devices/search?pagesize=1000');
    expect(r.json.PageSize).toBe(500);
    expect(r.json.Devices).toHaveLength(500);
    const small = await client.get('/API/mdm/devices/search?pagesize=7&page=2');
    expect(small.json).toMatchObject({ Page: 2, PageSize: 7, Total: 2000 });
    expect(small.json.Devices.map((d: Item) => d.Id.Value)).toEqual([115, 116, 117, 118, 119, 120, 121]);
  });

  it('answers 204 with an empty body for no match and for a page past the end', async () => {
    for (const q of ['platform=Nokia', 'page=4', 'page=40&pagesize=50', 'user=nobody.at.all', 'lgid=999']) {
      const r = await client.get(`/API/mdm/devices/search?${q}`);
      expect(r.status, q).toBe(204);
      expect(r.text).toBe('');
    }
    const last = await client.get('/API/mdm/devices/search?page=3');
    expect(last.status).toBe(200);
    expect(last.json.Devices).toHaveLength(500);
  });

  it('rejects bad paging and filter values with 400 in UEM shape', async () => {
    for (const q of ['page=-1', 'pagesize=0', 'pagesize=ten', 'compliantstatus=maybe', 'seensince=yesterday', 'orderby=Color', 'sortorder=UP']) {
      const r = await client.get(`/API/mdm/devices/search?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.errorCode, q).toBe(1001);
    }
  });

  it('filters by user name, case-insensitively', async () => {
    const ada = sim.state.userByName('ada.admin');
    expect(await allIds('user=ADA.Admin')).toEqual(expectedIds((d) => d.userId === ada?.id));
  });

  it('filters by model, platform and ownership', async () => {
    expect(await allIds('model=iphone%2014')).toEqual(expectedIds((d) => d.model === 'iPhone 14'));
    expect(await allIds('platform=android')).toEqual(expectedIds((d) => d.platform === 'Android'));
    expect(await allIds('platform=AppleOsX&ownership=c')).toEqual(expectedIds((d) => d.platform === 'AppleOsX' && d.ownership === 'C'));
    expect(await allIds('ownership=Undefined')).toEqual(expectedIds((d) => d.ownership === 'Undefined'));
  });

  it('filters by organization group, including descendants (570 = all)', async () => {
    expect(await allIds('lgid=572')).toEqual(expectedIds((d) => d.locationGroupId === 572));
    expect(await allIds('lgid=570')).toHaveLength(2000);
  });

  it('filters by compliance status in both spellings', async () => {
    const nonCompliant = expectedIds((d) => d.complianceStatus === 'NonCompliant');
    expect(await allIds('compliantstatus=NonCompliant')).toEqual(nonCompliant);
    expect(await allIds('compliantstatus=false')).toEqual(nonCompliant);
    expect(await allIds('compliantstatus=true')).toEqual(expectedIds((d) => d.complianceStatus === 'Compliant'));
  });

  it('filters by seensince (LastSeen ≥) and lastseen (LastSeen ≤)', async () => {
    const since = TEST_NOW - 7 * DAY;
    const until = TEST_NOW - 30 * DAY;
    const sinceText = new Date(since).toISOString().slice(0, 23);
    expect(await allIds(`seensince=${sinceText}`)).toEqual(expectedIds((d) => d.lastSeen >= since));
    expect(await allIds(`lastseen=${new Date(until).toISOString()}`)).toEqual(expectedIds((d) => d.lastSeen <= until));
    const both = await allIds(`seensince=2025-05-01&lastseen=2025-06-01&platform=Apple`);
    expect(both).toEqual(
      expectedIds((d) => d.platform === 'Apple' && d.lastSeen >= Date.UTC(2025, 4, 1) && d.lastSeen <= Date.UTC(2025, 5, 1)),
    );
  });

  it('sorts by orderby and sortorder, ties by ascending Id', async () => {
    const page = async (q: string) => (await client.get(`/API/mdm/devices/search?pagesize=500&${q}`)).json.Devices as Item[];
    const byLastSeen = await page('orderby=lastseen&sortorder=DESC');
    const seen = byLastSeen.map((d) => uemDateMs(d.LastSeen));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen[0]).toBe(Math.max(...devices.map((d) => d.lastSeen)));

    const byName = (await page('orderby=DeviceFriendlyName')).map((d) => (d.DeviceFriendlyName as string).toLowerCase());
    expect(byName).toEqual([...byName].sort());

    const byModel = await page('OrderBy=Model&SortOrder=asc');
    for (let i = 1; i < byModel.length; i++) {
      const [a, b] = [byModel[i - 1] as Item, byModel[i] as Item];
      const cmp = (a.Model as string).toLowerCase().localeCompare((b.Model as string).toLowerCase());
      expect(cmp < 0 || (cmp === 0 && a.Id.Value < b.Id.Value)).toBe(true);
    }
    const byPlatformDesc = (await page('orderby=Platform&sortorder=desc&pagesize=100')).map((d) => d.Platform as string);
    expect(byPlatformDesc[0]).toBe('WinRT');
    const byIdDesc = (await page('orderby=Id&sortorder=DESC')).map((d) => d.Id.Value as number);
    expect(byIdDesc[0]).toBe(2100);
    expect(byIdDesc).toEqual([...byIdDesc].sort((a, b) => b - a));
  });

  it('answers one device and 404 with 5061 for an unknown one', async () => {
    const r = await client.get('/API/mdm/devices/150');
    expect(r.json.Id.Value).toBe(150);
    expect(r.json.SerialNumber).toBe(sim.state.devices.get(150)?.serialNumber);
    for (const id of ['999999', 'abc']) {
      const missing = await client.get(`/API/mdm/devices/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.json.errorCode).toBe(5061);
    }
  });

  it('reads devices by id list, leaving unknown ids out, and refuses more than 500 ids', async () => {
    const r = await client.post('/API/mdm/devices/id', { BulkValues: { Value: ['101', '102', '99999999', 'x', 103] } });
    expect(r.status).toBe(200);
    expect(r.json.Devices.map((d: Item) => d.Id.Value)).toEqual([101, 102, 103]);
    expect(r.json.Devices[1].UserEmailAddress).toBe(sim.state.users.get(sim.state.devices.get(102)?.userId ?? 0)?.email);
    const max = await client.post('/API/mdm/devices/id', { BulkValues: { Value: devices.slice(0, 500).map((d) => String(d.id)) } });
    expect(max.json.Devices).toHaveLength(500);
    const tooMany = await client.post('/API/mdm/devices/id', { BulkValues: { Value: devices.slice(0, 501).map((d) => String(d.id)) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errorCode).toBe(5073);
    expect((await client.post('/API/mdm/devices/id', { Ids: [101] })).status).toBe(400);
  });

  it('reads devices by serial number list, case-insensitively, leaving unknown ones out, and refuses more than 500', async () => {
    const [a, b] = devices;
    const r = await client.post('/API/mdm/devices/serialnumber', { BulkValues: { Value: [a!.serialNumber.toLowerCase(), 'NO-SUCH-SERIAL', b!.serialNumber, 7] } });
    expect(r.status).toBe(200);
    expect(r.json.Devices.map((d: Item) => [d.Id.Value, d.SerialNumber])).toEqual([
      [a!.id, a!.serialNumber],
      [b!.id, b!.serialNumber],
    ]);
    const tooMany = await client.post('/API/mdm/devices/serialnumber', { BulkValues: { Value: devices.slice(0, 501).map((d) => d.serialNumber) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errorCode).toBe(5073);
  });

  it('reports the bulk settings', async () => {
    const r = await client.get('/API/mdm/devices/bulksettings');
    expect(r.json).toEqual({ SendMessage: 500, EnterpriseWipe: 50, DeleteDevice: 50, GPS: 500, LockDevice: 500 });
  });

  it('lists the apps of a device, paged, with the managed installs of the state', async () => {
    const device = devices.find((d) => sim.state.deviceInstalls(d.id).length >= 2) as UemDevice;
    const r = await client.get(`/API/mdm/devices/${device.id}/apps`);
    expect(r.status).toBe(200);
    const managed = r.json.DeviceApps.filter((a: Item) => a.IsManaged);
    expect(managed.map((a: Item) => a.Status)).toEqual(sim.state.deviceInstalls(device.id).map((i) => i.status));
    expect(managed[0]).toMatchObject({ ApplicationName: expect.any(String), Version: expect.any(String), ApplicationIdentifier: expect.any(String) });
    expect(r.json.DeviceApps.some((a: Item) => a.IsManaged === false)).toBe(true);
    expect(r.json.Total).toBe(r.json.DeviceApps.length);
    const second = await client.get(`/API/mdm/devices/${device.id}/apps?page=1&pagesize=1`);
    expect(second.json.DeviceApps[0]).toEqual(r.json.DeviceApps[1]);
    expect((await client.get(`/API/mdm/devices/${device.id}/apps?page=${r.json.Total}&pagesize=1`)).status).toBe(204);
    expect((await client.get('/API/mdm/devices/999999/apps')).json.errorCode).toBe(5061);
  });

  it('reports compliance policies consistent with ComplianceStatus', async () => {
    for (const d of devices.slice(0, 120)) {
      const r = await client.get(`/API/mdm/devices/${d.id}/compliance`);
      expect(r.json.OverallCompliantStatus).toBe(d.complianceStatus);
      const failing = r.json.DeviceCompliance.filter((p: Item) => p.CompliantStatus === false);
      expect(failing.length > 0).toBe(d.complianceStatus === 'NonCompliant');
      if (d.compromised) expect(failing.map((p: Item) => p.PolicyName)).toContain('Compromised Status');
      expect(r.json.DeviceCompliance[0]).toMatchObject({
        PolicyName: expect.any(String),
        PolicyDetail: expect.any(String),
        LastComplianceCheck: expect.stringMatching(UEM_DATE),
        NextComplianceCheck: expect.stringMatching(UEM_DATE),
        ActionTaken: expect.any(Array),
      });
    }
  });

  it('answers the extensive search with smart groups and custom attributes, filtered and paged', async () => {
    const r = await client.get('/API/mdm/devices/extensivesearch?organizationgroupid=571&platform=Apple&pagesize=800');
    expect(r.status).toBe(200);
    const expected = expectedIds((d) => d.locationGroupId === 571 && d.platform === 'Apple');
    expect(r.json.PageSize).toBe(500);
    expect(r.json.Total).toBe(expected.length);
    expect(r.json.Devices.map((d: Item) => d.DeviceId)).toEqual(expected.slice(0, 500));
    const first = r.json.Devices[0];
    const raw = sim.state.devices.get(first.DeviceId) as UemDevice;
    expect(first).toMatchObject({ DeviceUuid: raw.uuid, SerialNumber: raw.serialNumber, UserName: userName(raw), Compliant: raw.complianceStatus === 'Compliant' });
    expect(first.SmartGroups.map((g: Item) => g.SmartGroupId)).toEqual(sim.state.smartGroupsOf(raw.id).map((g) => g.id));
    expect(first.SmartGroups.map((g: Item) => g.SmartGroupName)).toContain('All Apple Devices');
    expect(first.CustomAttributes.length).toBeGreaterThan(0);
    const windowed = await client.get('/API/mdm/devices/extensivesearch?startdatetime=2025-06-14T00:00:00.000&enddatetime=2025-06-15T00:00:00.000&pagesize=500');
    const inWindow = expectedIds((d) => d.lastSeen >= Date.UTC(2025, 5, 14) && d.lastSeen <= Date.UTC(2025, 5, 15));
    expect(windowed.json.Total).toBe(inWindow.length);
    expect((await client.get('/API/mdm/devices/extensivesearch?page=9')).status).toBe(204);
  });
});
