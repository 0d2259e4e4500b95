/**
 * Issue 18, job 4: the guide's remediation commands, ENABLE_DEVICE_ENCRYPTION and
 * INSTALL_OS_UPDATE, with the dry run, idempotency, per-device results and permission of the other
 * commands (sendNonDestructiveCommand: EXECUTE or WRITE in the device's environment). A platform
 * that takes no such command gets SKIPPED with UNSUPPORTED and is never sent it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UemSimulator } from '../../../src/simulators/uem/uem.simulator.js';
import type { UemPlatform } from '../../../src/simulators/uem/uem.types.js';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
let sim: UemSimulator;
beforeAll(async () => {
  gw = await startTestGateway();
  sim = gw.app.simulators.uem!;
});
afterAll(async () => {
  await gw?.close();
});

const PRODUCTION = 571;
const SANDBOX = 572;
const used = new Set<string>();
/** An enrolled device of a group and platform no other test of this file uses. */
function deviceOf(group: number, platform: UemPlatform): string {
  const d = [...sim.state.devices.values()].find((x) => x.locationGroupId === group && x.platform === platform && x.enrollmentStatus === 'Enrolled' && !used.has(String(x.id)));
  if (!d) throw new Error(`no ${platform} device in group ${group}`);
  used.add(String(d.id));
  return String(d.id);
}
const sentTo = (id: string) => sim.state.commandHistory(Number(id)).map((c) => c.command);
const commandCalls = () => {
  const s = sim.stats().byRoute;
  return (s['POST /API/mdm/devices/commands/bulk'] ?? 0) + (s['POST /API/mdm/devices/{id}/commands'] ?? 0);
};

const SEND = `mutation Send($input: SendDeviceCommandInput!) {
  sendDeviceCommand(input: $input) { command dryRun replayed results { deviceId status errorCode message commandId } }
}`;
type Result = { deviceId: string; status: string; errorCode: string | null; message: string | null; commandId: string | null };
type Payload = { sendDeviceCommand: { command: string; dryRun: boolean; replayed: boolean; results: Result[] } };
const send = async (as: string, input: Record<string, unknown>) => expectData(await gw.gql<Payload>(SEND, { as, variables: { input } }), `${SEND} ${JSON.stringify(input)}`).sendDeviceCommand;

const OMAR = 'omar.operator@demo.example';

describe('remediation commands', () => {
  it('ENABLE_DEVICE_ENCRYPTION: sent where the platform takes it, UNSUPPORTED per device elsewhere, never an upstream error', async () => {
    const windows = deviceOf(PRODUCTION, 'WinRT');
    const mac = deviceOf(PRODUCTION, 'AppleOsX');
    const iphone = deviceOf(PRODUCTION, 'Apple');
    sim.resetStats();
    // Omar has EXECUTE in Production: enough for remediation (not for LOCK).
    const payload = await send(OMAR, { deviceIds: [windows, iphone, mac], command: 'ENABLE_DEVICE_ENCRYPTION' });
    expect(payload.results.map((r) => [r.deviceId, r.status, r.errorCode])).toEqual([
      [windows, 'ACCEPTED', null],
      [iphone, 'SKIPPED', 'UNSUPPORTED'],
      [mac, 'ACCEPTED', null],
    ]);
    expect(payload.results[1]!.message).toMatch(/not supported on iOS devices.*nothing was sent/);
    expect(sim.stats().byRoute['POST /API/mdm/devices/commands/bulk']).toBe(1);
    expect(sentTo(windows)).toEqual(['EnableDeviceEncryption']);
    expect(sentTo(mac)).toEqual(['EnableDeviceEncryption']);
    expect(sentTo(iphone)).toEqual([]);
    // Tracked like any command (job 3): the id of what UEM queued.
    expect(payload.results[0]!.commandId).toBe(sim.state.commandHistory(Number(windows))[0]!.uuid);
  });

  it('INSTALL_OS_UPDATE: one device is one call answering its command id; Android is UNSUPPORTED', async () => {
    const iphone = deviceOf(PRODUCTION, 'Apple');
    const android = deviceOf(PRODUCTION, 'Android');
    const one = await send(OMAR, { deviceIds: [iphone], command: 'INSTALL_OS_UPDATE' });
    expect(one.results).toEqual([{ deviceId: iphone, status: 'ACCEPTED', errorCode: null, message: null, commandId: sim.state.commandHistory(Number(iphone))[0]!.uuid }]);
    expect(sentTo(iphone)).toEqual(['InstallOSUpdate']);
    const before = commandCalls();
    const refused = await send(OMAR, { deviceIds: [android], command: 'INSTALL_OS_UPDATE' });
    expect(refused.results[0]).toMatchObject({ status: 'SKIPPED', errorCode: 'UNSUPPORTED', commandId: null });
    expect(commandCalls(), 'nothing reaches UEM for an unsupported platform').toBe(before);
  });

  it('dry-runs: WOULD_SEND, UNSUPPORTED and FORBIDDEN per device, nothing sent', async () => {
    const prodWindows = deviceOf(PRODUCTION, 'WinRT');
    const prodIphone = deviceOf(PRODUCTION, 'Apple');
    const sandboxWindows = deviceOf(SANDBOX, 'WinRT');
    const before = commandCalls();
    // Rita has READ in Production only: no remediation anywhere.
    const rita = await send('rita.reader@demo.example', { deviceIds: [prodWindows, prodIphone], command: 'ENABLE_DEVICE_ENCRYPTION', dryRun: true });
    expect(rita.results.map((r) => [r.status, r.errorCode])).toEqual([['SKIPPED', 'FORBIDDEN'], ['SKIPPED', 'FORBIDDEN']]);
    const omar = await send(OMAR, { deviceIds: [prodWindows, prodIphone, sandboxWindows, '999999999'], command: 'ENABLE_DEVICE_ENCRYPTION', dryRun: true });
    expect(omar.dryRun).toBe(true);
    expect(omar.results.map((r) => [r.status, r.errorCode, r.commandId])).toEqual([
      ['WOULD_SEND', null, null],
      ['SKIPPED', 'UNSUPPORTED', null],
      ['WOULD_SEND', null, null],
      ['FAILED', 'NOT_FOUND', null],
    ]);
    expect(commandCalls()).toBe(before);
  });

  it('claims an idempotency key before sending: a retry replays the answer and sends nothing twice', async () => {
    const ids = [deviceOf(SANDBOX, 'WinRT'), deviceOf(SANDBOX, 'AppleOsX')];
    const input = { deviceIds: ids, command: 'INSTALL_OS_UPDATE', idempotencyKey: `h18-os-update-${Date.now()}` };
    const first = await send('ada.admin@demo.example', input);
    expect(first.results.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
    const again = await send('ada.admin@demo.example', input);
    expect(again.replayed).toBe(true);
    expect(again.results.map((r) => [r.status, r.commandId])).toEqual(first.results.map((r) => [r.status, r.commandId]));
    for (const id of ids) expect(sentTo(id)).toEqual(['InstallOSUpdate']);
  });
});
