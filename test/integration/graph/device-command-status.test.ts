/**
 * Issue 18, job 3: a sent command carries UEM's command id, and its state is read back from UEM's
 * command history as the simulator's clock moves it Queued → Sent → Completed/Failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/common/clock.js';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
let sim: UemSimulator;
const clock = new ManualClock(Date.now());
beforeAll(async () => {
  gw = await startTestGateway({}, { simulators: { uem: { clock, commandSendDelayMs: 5_000, commandCompleteDelayMs: 20_000 } } });
  sim = gw.app.simulators.uem!;
});
afterAll(async () => {
  await gw?.close();
});

const PRODUCTION = 571;
const SANDBOX = 572;
const ADA = 'ada.admin@demo.example';
const OMAR = 'omar.operator@demo.example';
const RITA = 'rita.reader@demo.example';

/** Enrolled device ids of an organization group no other test of this file uses. */
const used = new Set<string>();
function devicesIn(group: number, count: number): string[] {
  const ids = [...sim.state.devices.values()]
    .filter((d) => d.locationGroupId === group && d.enrollmentStatus === 'Enrolled' && !used.has(String(d.id)))
    .slice(0, count)
    .map((d) => String(d.id));
  for (const id of ids) used.add(id);
  return ids;
}

const SEND = `mutation Send($input: SendDeviceCommandInput!) {
  sendDeviceCommand(input: $input) { replayed results { deviceId status commandId sentCommand { id state deviceId command upstreamCommand } } }
}`;
type Result = { deviceId: string; status: string; commandId: string | null; sentCommand: { id: string; state: string; deviceId: string; command: string; upstreamCommand: string } | null };
type SendPayload = { sendDeviceCommand: { replayed: boolean; results: Result[] } };

const POLL = `query Poll($id: ID!) { deviceCommand(id: $id) { id deviceId command state upstreamState queuedAt sentAt completedAt message device { id } } }`;
type Polled = { deviceCommand: { id: string; deviceId: string; command: string; state: string; upstreamState: string; queuedAt: string; sentAt: string | null; completedAt: string | null; message: string | null; device: { id: string } } };

const lastCommand = (id: string) => sim.state.commandHistory(Number(id)).at(-1)!;

describe('tracking a sent command', () => {
  it("answers UEM's command id for a single-device send, and polls it through its states at one UEM request a poll", async () => {
    clock.set(Date.now());
    const [id] = devicesIn(PRODUCTION, 1) as [string];
    const sent = expectData(await gw.gql<SendPayload>(SEND, { as: OMAR, variables: { input: { deviceIds: [id], command: 'SYNC' } } }), SEND);
    const [result] = sent.sendDeviceCommand.results as [Result];
    const record = lastCommand(id);
    expect(result).toEqual({
      deviceId: id,
      status: 'ACCEPTED',
      commandId: record.uuid,
      sentCommand: { id: record.uuid, state: 'QUEUED', deviceId: id, command: 'SYNC', upstreamCommand: 'SyncDevice' },
    });

    sim.resetStats();
    const queued = expectData(await gw.gql<Polled>(POLL, { as: OMAR, variables: { id: record.uuid } }), POLL);
    expect(queued.deviceCommand).toMatchObject({ id: record.uuid, deviceId: id, command: 'SYNC', state: 'QUEUED', upstreamState: 'Queued', sentAt: null, completedAt: null, message: null, device: { id } });
    expect(queued.deviceCommand.queuedAt).toBe(new Date(record.at).toISOString());
    const calls = sim.stats().byRoute;
    expect(calls['GET /API/mdm/devices/commands/{uuid}']).toBe(1);
    expect((calls['POST /API/mdm/devices/id'] ?? 0) + (calls['GET /API/mdm/devices/{id}'] ?? 0)).toBeLessThanOrEqual(1);

    clock.advance(5_000);
    const picked = expectData(await gw.gql<Polled>(POLL, { as: OMAR, variables: { id: record.uuid } }));
    expect(picked.deviceCommand).toMatchObject({ state: 'SENT', sentAt: new Date(record.sentAt).toISOString(), completedAt: null });

    clock.advance(20_000);
    const done = expectData(await gw.gql<Polled>(POLL, { as: OMAR, variables: { id: record.uuid } }));
    expect(done.deviceCommand.state).toBe(record.outcome === 'Completed' ? 'COMPLETED' : 'FAILED');
    expect(done.deviceCommand.completedAt).toBe(new Date(record.doneAt).toISOString());
    expect(done.deviceCommand.message === null).toBe(record.outcome === 'Completed');
  });

  it("finds each device's command after a bulk send (UEM's BulkResponse names none), and keeps the ids on a replay", async () => {
    clock.set(Date.now());
    const ids = devicesIn(SANDBOX, 3);
    const input = { deviceIds: ids, command: 'QUERY', idempotencyKey: `h18-status-${Date.now()}` };
    const first = expectData(await gw.gql<SendPayload>(SEND, { as: ADA, variables: { input } }), SEND);
    expect(sim.stats().byRoute['POST /API/mdm/devices/commands/bulk']).toBeGreaterThanOrEqual(1);
    expect(first.sendDeviceCommand.results.map((r) => [r.deviceId, r.status, r.commandId, r.sentCommand?.state])).toEqual(
      ids.map((id) => [id, 'ACCEPTED', lastCommand(id).uuid, 'QUEUED']),
    );
    const replay = expectData(await gw.gql<SendPayload>(SEND, { as: ADA, variables: { input } }));
    expect(replay.sendDeviceCommand.replayed).toBe(true);
    expect(replay.sendDeviceCommand.results.map((r) => r.commandId)).toEqual(ids.map((id) => lastCommand(id).uuid));
    for (const id of ids) expect(sim.state.commandHistory(Number(id))).toHaveLength(1);
  });

  it('has no command id where nothing was sent (dry runs, refusals)', async () => {
    const [prod] = devicesIn(PRODUCTION, 1) as [string];
    const dry = expectData(await gw.gql<SendPayload>(SEND, { as: OMAR, variables: { input: { deviceIds: [prod], command: 'SYNC', dryRun: true } } }));
    expect(dry.sendDeviceCommand.results[0]).toMatchObject({ status: 'WOULD_SEND', commandId: null, sentCommand: null });
    const refused = expectData(await gw.gql<SendPayload>(SEND, { as: OMAR, variables: { input: { deviceIds: [prod], command: 'LOCK' } } }));
    expect(refused.sendDeviceCommand.results[0]).toMatchObject({ status: 'SKIPPED', commandId: null, sentCommand: null });
  });

  it("pages a device's commands newest first", async () => {
    clock.set(Date.now());
    const [id] = devicesIn(PRODUCTION, 1) as [string];
    for (const command of ['SYNC', 'QUERY', 'SYNC']) {
      expectData(await gw.gql(SEND, { as: ADA, variables: { input: { deviceIds: [id], command } } }));
      clock.advance(1_000);
    }
    const PAGE = `query Page($id: ID!, $after: String) { device(id: $id) { commands(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id command state } } } }`;
    type Page = { device: { commands: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string; command: string; state: string }[] } } };
    const history = sim.state.commandHistory(Number(id)).reverse();
    const one = expectData(await gw.gql<Page>(PAGE, { as: RITA, variables: { id } }), PAGE);
    expect(one.device.commands.totalCount).toBe(3);
    expect(one.device.commands.nodes.map((n) => [n.id, n.command])).toEqual(history.slice(0, 2).map((c) => [c.uuid, c.command === 'SyncDevice' ? 'SYNC' : 'QUERY']));
    expect(one.device.commands.pageInfo.hasNextPage).toBe(true);
    const two = expectData(await gw.gql<Page>(PAGE, { as: RITA, variables: { id, after: one.device.commands.pageInfo.endCursor } }));
    expect(two.device.commands.nodes.map((n) => n.id)).toEqual([history[2]!.uuid]);
    expect(two.device.commands.pageInfo.hasNextPage).toBe(false);
  });

  it("answers a command of a device the caller may not read exactly like an unknown one (null); refuses callers who read no inventory", async () => {
    clock.set(Date.now());
    const [sandbox] = devicesIn(SANDBOX, 1) as [string];
    const sent = expectData(await gw.gql<SendPayload>(SEND, { as: ADA, variables: { input: { deviceIds: [sandbox], command: 'SYNC' } } }));
    const uuid = sent.sendDeviceCommand.results[0]!.commandId!;
    const hidden = await gw.gql<Polled>(POLL, { as: RITA, variables: { id: uuid } });
    const unknown = await gw.gql<Polled>(POLL, { as: RITA, variables: { id: '00000000-0000-4000-a000-000000000000' } });
    // Like `device(id)` for an unknown device: null, no error, nothing naming the environment.
    expect(hidden.body).toEqual({ data: { deviceCommand: null } });
    expect(unknown.body).toEqual(hidden.body);
    // The matrix's readInventory: an operator with WRITE in Sandbox reads it; Lena (READ, but access
    // in no environment) reads no device; Agnes (AGENT_INSTALL only) may not read inventory at all.
    expect(expectData(await gw.gql<Polled>(POLL, { as: OMAR, variables: { id: uuid } })).deviceCommand.deviceId).toBe(sandbox);
    expect((await gw.gql<Polled>(POLL, { as: 'lena.logs@demo.example', variables: { id: uuid } })).body).toEqual(hidden.body);
    expect(errorCodes(await gw.gql<Polled>(POLL, { as: 'agnes.agent@demo.example', variables: { id: uuid } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gw.gql(POLL, { as: ADA, variables: { id: 'not-a-uuid' } }))).toEqual(['BAD_USER_INPUT']);
  });
});
