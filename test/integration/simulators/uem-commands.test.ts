import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import type { UemDevice } from '../../../src/simulators/uem/uem.types.js';
import { bulk, startTestSimulator, TEST_NOW, UEM_DATE, type UemTestClient } from './uem-test-client.js';

type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('UEM simulator commands and tags', () => {
  let sim: UemSimulator;
  let client: UemTestClient;
  let enrolled: UemDevice[];

  beforeAll(async () => {
    ({ sim, client } = await startTestSimulator({ sizes: { devices: 600, uemUsers: 200 }, bulkSettings: { LockDevice: 5 } }));
    enrolled = sim.state.deviceList.filter((d) => d.enrollmentStatus === 'Enrolled');
  });
  afterAll(() => sim.close());

  /** Enrolled devices no other test of this file touches: each test takes its own slice. */
  let next = 0;
  const take = (n: number) => {
    const slice = enrolled.slice(next, next + n);
    next += n;
    return slice;
  };

  it("answers a single-device command with 202 and the command's CommandUuid, and records it", async () => {
    const [d] = take(1) as [UemDevice];
    const r = await client.post(`/API/mdm/devices/${d.id}/commands?command=Lock`);
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ CommandUuid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/) });
    await client.post(`/API/mdm/devices/${d.id}/commands?Command=syncdevice`);
    const history = sim.state.commandHistory(d.id);
    expect(history).toMatchObject([
      { command: 'Lock', at: TEST_NOW, via: 'single', uuid: r.json.CommandUuid, deviceId: d.id },
      { command: 'SyncDevice', at: TEST_NOW, via: 'single' },
    ]);
    expect(history[1]?.uuid).not.toBe(r.json.CommandUuid);
    expect(d.enrollmentStatus).toBe('Enrolled');
  });

  it('moves a device to EnterpriseWipePending or DeviceWipePending', async () => {
    const [a, b] = take(2) as [UemDevice, UemDevice];
    expect((await client.post(`/API/mdm/devices/${a.id}/commands?command=EnterpriseWipe`)).status).toBe(202);
    expect((await client.post(`/API/mdm/devices/${b.id}/commands?command=DeviceWipe`)).status).toBe(202);
    expect((await client.get(`/API/mdm/devices/${a.id}`)).json.EnrollmentStatus).toBe('EnterpriseWipePending');
    expect((await client.get(`/API/mdm/devices/${b.id}`)).json.EnrollmentStatus).toBe('DeviceWipePending');
    const sorted = await client.get('/API/mdm/devices/search?orderby=EnrollmentStatus&pagesize=500');
    const statuses = sorted.json.Devices.map((d: Item) => d.EnrollmentStatus as string);
    expect(statuses).toContain('DeviceWipePending');
  });

  it('refuses an unknown command (400, 5072), an unknown device (404, 5061) and an unenrolled device (400, 5075)', async () => {
    const [d] = take(1) as [UemDevice];
    const unknown = await client.post(`/API/mdm/devices/${d.id}/commands?command=SelfDestruct`);
    expect(unknown.status).toBe(400);
    expect(unknown.json.errorCode).toBe(5072);
    expect((await client.post(`/API/mdm/devices/${d.id}/commands`)).json.errorCode).toBe(5072);
    const missing = await client.post('/API/mdm/devices/999999/commands?command=Lock');
    expect(missing.status).toBe(404);
    expect(missing.json.errorCode).toBe(5061);
    const unenrolled = sim.state.deviceList.find((x) => x.enrollmentStatus === 'Unenrolled') as UemDevice;
    const refused = await client.post(`/API/mdm/devices/${unenrolled.id}/commands?command=Lock`);
    expect(refused.status).toBe(400);
    expect(refused.json.errorCode).toBe(5075);
    expect(sim.state.commandHistory(d.id)).toEqual([]);
  });

  it('sends a bulk command and reports unknown devices as per-item faults with HTTP 200', async () => {
    const devices = take(3);
    const ids = devices.map((d) => String(d.id));
    const r = await client.post('/API/mdm/devices/commands/bulk?command=SyncDevice&searchby=DeviceId', bulk([...ids, '999999']));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      TotalItems: 4,
      AcceptedItems: 3,
      FailedItems: 1,
      Faults: { Fault: [{ ErrorCode: 5061, ItemValue: '999999', Message: expect.any(String) }] },
    });
    for (const d of devices) expect(sim.state.commandHistory(d.id)).toMatchObject([{ command: 'SyncDevice', at: TEST_NOW, via: 'bulk' }]);
  });

  it('turns items beyond the bulk limit of the command into faults (Lock is limited by LockDevice)', async () => {
    const devices = take(7);
    const r = await client.post('/API/mdm/devices/commands/bulk?command=Lock&searchby=DeviceId', bulk(devices.map((d) => d.id)));
    expect(r.json).toMatchObject({ TotalItems: 7, AcceptedItems: 5, FailedItems: 2 });
    expect(r.json.Faults.Fault.map((f: Item) => [f.ErrorCode, f.ItemValue])).toEqual(devices.slice(5).map((d) => [5073, String(d.id)]));
    expect(devices.map((d) => sim.state.commandHistory(d.id).length)).toEqual([1, 1, 1, 1, 1, 0, 0]);
  });

  it('wipes in bulk and finds devices by serial number', async () => {
    const devices = take(2);
    const r = await client.post('/API/mdm/devices/commands/bulk?command=EnterpriseWipe&searchby=Serialnumber', bulk(devices.map((d) => d.serialNumber)));
    expect(r.json.AcceptedItems).toBe(2);
    expect(devices.map((d) => d.enrollmentStatus)).toEqual(['EnterpriseWipePending', 'EnterpriseWipePending']);
    const bad = await client.post('/API/mdm/devices/commands/bulk?command=Explode', bulk([devices[0]?.id ?? 0]));
    expect(bad.json.errorCode).toBe(5072);
    expect((await client.post('/API/mdm/devices/commands/bulk?command=Lock', { BulkValues: {} })).status).toBe(400);
  });

  it("shows accepted commands in the device's event log, newest first, filtered by day range and severity", async () => {
    const [d] = take(1) as [UemDevice];
    expect((await client.get(`/API/mdm/devices/${d.id}/eventlog`)).status).toBe(204);
    await client.post(`/API/mdm/devices/${d.id}/commands?command=Lock`);
    await client.post('/API/mdm/devices/commands/bulk?command=DeviceQuery&searchby=DeviceId', bulk([d.id]));
    const log = await client.get(`/API/mdm/devices/${d.id}/eventlog?dayrange=1`);
    expect(log.status).toBe(200);
    expect(log.json).toMatchObject({ Page: 0, Total: 2 });
    expect(log.json.DeviceEventLogEntries).toEqual([
      { DeviceId: d.id, TimeStamp: '2025-06-15T12:00:00.000', Severity: 'Information', Source: 'Server', Category: 'Command', Event: 'Device Query Requested' },
      { DeviceId: d.id, TimeStamp: '2025-06-15T12:00:00.000', Severity: 'Information', Source: 'Server', Category: 'Command', Event: 'Lock Device Requested' },
    ]);
    expect((await client.get(`/API/mdm/devices/${d.id}/eventlog?severity=error`)).status).toBe(204);
    expect((await client.get(`/API/mdm/devices/${d.id}/eventlog?severity=loud`)).status).toBe(400);
    expect((await client.get('/API/mdm/devices/999999/eventlog')).json.errorCode).toBe(5061);
  });

  it('lists tags and their devices', async () => {
    const r = await client.get('/API/mdm/tags/search');
    expect(r.json.Tags).toHaveLength(sim.state.tags.size);
    expect(r.json.Tags[0]).toEqual({ Id: { Value: 11 }, Uuid: expect.any(String), TagName: 'Executive', TagType: 'Device', LocationGroupId: 570, TagAvatar: 'EX' });
    expect((await client.get('/API/mdm/tags/search?name=kio')).json.Tags.map((t: Item) => t.TagName)).toEqual(['Kiosk']);
    const lab = (await client.get('/API/mdm/tags/search?organizationgroupid=573')).json.Tags.map((t: Item) => t.TagName);
    expect(lab).toContain('Kiosk');
    expect(lab).not.toContain('Warehouse');
    expect((await client.get('/API/mdm/tags/search?name=none-such')).status).toBe(204);
    const fieldSales = sim.state.tags.get(12);
    const devices = await client.get('/API/mdm/tags/12/devices');
    expect(devices.json.Device.map((d: Item) => d.DeviceId)).toEqual([...(fieldSales?.members.keys() ?? [])].sort((a, b) => a - b));
    expect(devices.json.Device[0]).toMatchObject({ FriendlyName: expect.any(String), DateTagged: expect.stringMatching(UEM_DATE) });
    expect((await client.get('/API/mdm/tags/999/devices')).json.errorCode).toBe(5067);
  });

  it('tags and untags devices with per-item faults', async () => {
    const devices = take(2);
    const ids = devices.map((d) => d.id);
    const tag = sim.state.tags.get(20);
    for (const id of ids) tag?.members.delete(id);
    const add = await client.post('/API/mdm/tags/20/adddevices', bulk([...ids, 424242]));
    expect(add.json).toMatchObject({ TotalItems: 3, AcceptedItems: 2, FailedItems: 1 });
    expect(add.json.Faults.Fault[0]).toMatchObject({ ErrorCode: 5061, ItemValue: '424242' });
    const members = (await client.get('/API/mdm/tags/20/devices')).json.Device.filter((d: Item) => ids.includes(d.DeviceId));
    expect(members.map((d: Item) => d.DateTagged)).toEqual(['2025-06-15T12:00:00.000', '2025-06-15T12:00:00.000']);
    const remove = await client.post('/API/mdm/tags/20/removedevices', bulk([ids[0] ?? 0]));
    expect(remove.json).toMatchObject({ TotalItems: 1, AcceptedItems: 1, FailedItems: 0, Faults: { Fault: [] } });
    expect(tag?.members.has(ids[0] ?? 0)).toBe(false);
    expect(tag?.members.has(ids[1] ?? 0)).toBe(true);
    expect((await client.post('/API/mdm/tags/999/adddevices', bulk(ids))).status).toBe(404);
  });

  it('reads one tag and creates tags with addtag', async () => {
    expect((await client.get('/API/mdm/tags/13')).json).toEqual({ Id: { Value: 13 }, Uuid: expect.any(String), TagName: 'Kiosk', TagType: 'Device', LocationGroupId: 573, TagAvatar: 'KI' });
    expect((await client.get('/API/mdm/tags/999')).json.errorCode).toBe(5067);
    const created = await client.post('/API/mdm/tags/addtag', { TagName: ' Bulk Managed ', TagType: 1, LocationGroupId: 571, TagAvatar: 'BM' });
    expect(created.status).toBe(200);
    const id = created.json.Value as number;
    expect(sim.state.tags.get(id)).toMatchObject({ name: 'Bulk Managed', tagType: 'Device', locationGroupId: 571 });
    expect((await client.get(`/API/mdm/tags/${id}/devices`)).json).toEqual({ Device: [] });
    expect((await client.get('/API/mdm/tags/search?name=bulk managed')).json.Tags.map((t: Item) => t.Id.Value)).toEqual([id]);
    // The same name at the same group (any case) is refused; at another group it is another tag.
    const duplicate = await client.post('/API/mdm/tags/addtag', { TagName: 'BULK MANAGED', LocationGroupId: 571 });
    expect([duplicate.status, duplicate.json.errorCode]).toEqual([400, 5077]);
    expect((await client.post('/API/mdm/tags/addtag', { TagName: 'Bulk Managed', TagType: 'Device', LocationGroupId: 572 })).status).toBe(200);
    for (const bad of [{ LocationGroupId: 571 }, { TagName: 'x'.repeat(51), LocationGroupId: 571 }, { TagName: 'y', LocationGroupId: 4242 }, { TagName: 'y', LocationGroupId: 571, TagType: 2 }]) {
      const r = await client.post('/API/mdm/tags/addtag', bad);
      expect([r.status, r.json.errorCode]).toEqual([400, 1001]);
    }
  });
});
