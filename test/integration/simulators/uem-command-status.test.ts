import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../src/simulators/common/clock.js';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import type { UemDevice } from '../../../src/simulators/uem/uem.types.js';
import { bulk, startTestSimulator, TEST_NOW, type UemTestClient } from './uem-test-client.js';

type Item = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('UEM simulator command history: commands move Queued → Sent → Completed/Failed on the clock', () => {
  let sim: UemSimulator;
  let client: UemTestClient;
  let clock: ManualClock;
  let enrolled: UemDevice[];

  beforeAll(async () => {
    ({ sim, client, clock } = await startTestSimulator({
      sizes: { devices: 200, uemUsers: 80 },
      commandSendDelayMs: 1_000,
      commandCompleteDelayMs: 4_000,
      commandFailureRate: 0.5,
    }));
    enrolled = sim.state.deviceList.filter((d) => d.enrollmentStatus === 'Enrolled');
  });
  afterAll(() => sim.close());

  it('reads one command by CommandUuid as it moves through its states', async () => {
    clock.set(TEST_NOW);
    const d = enrolled[0] as UemDevice;
    const sent = await client.post(`/API/mdm/devices/${d.id}/commands?command=SyncDevice`);
    const uuid = sent.json.CommandUuid as string;
    const read = async () => (await client.get(`/API/mdm/devices/commands/${uuid}`)).json;
    expect(await read()).toEqual({
      CommandUuid: uuid,
      DeviceId: d.id,
      DeviceUuid: d.uuid,
      CommandName: 'SyncDevice',
      Status: 'Queued',
      QueuedOn: '2025-06-15T12:00:00.000',
      SentOn: '0001-01-01T00:00:00.000',
      CompletedOn: '0001-01-01T00:00:00.000',
      ErrorMessage: '',
    });
    clock.advance(1_000);
    expect(await read()).toMatchObject({ Status: 'Sent', SentOn: '2025-06-15T12:00:01.000', CompletedOn: '0001-01-01T00:00:00.000' });
    clock.advance(4_000);
    const done = await read();
    expect(['Completed', 'Failed']).toContain(done.Status);
    expect(done.CompletedOn).toBe('2025-06-15T12:00:05.000');
    expect(done.ErrorMessage === '').toBe(done.Status === 'Completed');
    // Upper-case ids are the same command; an unknown one is 404 with 5078.
    expect((await client.get(`/API/mdm/devices/commands/${uuid.toUpperCase()}`)).json.CommandUuid).toBe(uuid);
    const missing = await client.get('/API/mdm/devices/commands/00000000-0000-4000-a000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json.errorCode).toBe(5078);
  });

  it('draws outcomes from the seed: the same commands end the same way on every run', async () => {
    clock.set(TEST_NOW);
    const devices = enrolled.slice(1, 41);
    expect((await client.post('/API/mdm/devices/commands/bulk?command=DeviceQuery&searchby=DeviceId', bulk(devices.map((d) => d.id)))).status).toBe(200);
    clock.advance(5_000);
    const outcomes = devices.map((d) => sim.state.commandHistory(d.id).at(-1)?.outcome);
    // Both outcomes occur at a failure rate of one half, and each device's is fixed by the seed.
    expect(new Set(outcomes)).toEqual(new Set(['Completed', 'Failed']));
    const again = await startTestSimulator({ sizes: { devices: 200, uemUsers: 80 }, commandSendDelayMs: 1_000, commandCompleteDelayMs: 4_000, commandFailureRate: 0.5 });
    try {
      const first = again.sim.state.devices.get((enrolled[0] as UemDevice).id) as UemDevice;
      again.sim.state.applyCommand(first, 'SyncDevice', 'single');
      const twins = devices.map((d) => again.sim.state.applyCommand(again.sim.state.devices.get(d.id) as UemDevice, 'DeviceQuery', 'bulk'));
      expect(twins.map((c) => c.outcome)).toEqual(outcomes);
      expect(twins.map((c) => c.uuid)).toEqual(devices.map((d) => sim.state.commandHistory(d.id).at(-1)?.uuid));
    } finally {
      await again.sim.close();
    }
  });

  it("lists a device's commands newest first, paged, filtered by command and status; 204 when none", async () => {
    clock.set(TEST_NOW);
    const d = enrolled[50] as UemDevice;
    expect((await client.get(`/API/mdm/devices/${d.id}/commands`)).status).toBe(204);
    await client.post(`/API/mdm/devices/${d.id}/commands?command=Lock`);
    clock.advance(2_000);
    await client.post(`/API/mdm/devices/${d.id}/commands?command=SyncDevice`);
    await client.post('/API/mdm/devices/commands/bulk?command=SyncDevice&searchby=DeviceId', bulk([d.id]));
    const all = await client.get(`/API/mdm/devices/${d.id}/commands?pagesize=2`);
    expect(all.json).toMatchObject({ Page: 0, PageSize: 2, Total: 3 });
    expect(all.json.DeviceCommands.map((c: Item) => [c.CommandName, c.Status])).toEqual([
      ['SyncDevice', 'Queued'],
      ['SyncDevice', 'Queued'],
    ]);
    const second = await client.get(`/API/mdm/devices/${d.id}/commands?pagesize=2&page=1`);
    expect(second.json.DeviceCommands.map((c: Item) => [c.CommandName, c.Status])).toEqual([['Lock', 'Sent']]);
    expect((await client.get(`/API/mdm/devices/${d.id}/commands?command=lock`)).json.Total).toBe(1);
    expect((await client.get(`/API/mdm/devices/${d.id}/commands?status=queued`)).json.Total).toBe(2);
    expect((await client.get(`/API/mdm/devices/${d.id}/commands?status=sent&command=SyncDevice`)).status).toBe(204);
    expect((await client.get(`/API/mdm/devices/${d.id}/commands?status=lost`)).status).toBe(400);
    expect((await client.get('/API/mdm/devices/999999/commands')).json.errorCode).toBe(5061);
  });

  it('takes the remediation commands only on the platforms that support them (400 or a bulk fault with 5079)', async () => {
    clock.set(TEST_NOW);
    const of = (platform: string) => enrolled.find((d) => d.platform === platform && sim.state.commandHistory(d.id).length === 0) as UemDevice;
    const [iphone, windows, android] = [of('Apple'), of('WinRT'), of('Android')];
    const refused = await client.post(`/API/mdm/devices/${iphone.id}/commands?command=EnableDeviceEncryption`);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ errorCode: 5079, message: 'EnableDeviceEncryption is not supported on Apple devices.' });
    const accepted = await client.post(`/API/mdm/devices/${windows.id}/commands?command=enabledeviceencryption`);
    expect(accepted.status).toBe(202);
    const bulkUpdate = await client.post('/API/mdm/devices/commands/bulk?command=InstallOSUpdate&searchby=DeviceId', bulk([iphone.id, android.id]));
    expect(bulkUpdate.json).toMatchObject({ TotalItems: 2, AcceptedItems: 1, FailedItems: 1, Faults: { Fault: [{ ErrorCode: 5079, ItemValue: String(android.id) }] } });
    expect(sim.state.commandHistory(iphone.id).map((c) => c.command)).toEqual(['InstallOSUpdate']);
    expect(sim.state.commandHistory(android.id)).toEqual([]);
    const log = await client.get(`/API/mdm/devices/${windows.id}/eventlog`);
    expect(log.json.DeviceEventLogEntries[0].Event).toBe('Enable Device Encryption Requested');
  });
});
