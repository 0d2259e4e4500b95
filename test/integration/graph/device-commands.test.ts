import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const SEND = `mutation Send($input: SendDeviceCommandInput!) {
  sendDeviceCommand(input: $input) { command dryRun replayed results { deviceId status errorCode message } }
}`;
type Payload = { sendDeviceCommand: { replayed: boolean; dryRun: boolean; results: { deviceId: string; status: string; errorCode: string | null }[] } };

const PRODUCTION = 571;
const SANDBOX = 572;
/** Enrolled device ids of an organization group, skipping the first `skip`. */
function devicesIn(group: number, count: number, skip = 0): string[] {
  return [...gw.app.simulators.uem!.state.devices.values()]
    .filter((d) => d.locationGroupId === group && d.enrollmentStatus === 'Enrolled')
    .slice(skip, skip + count)
    .map((d) => String(d.id));
}
const commandRoutes = () => {
  const s = gw.app.simulators.uem!.stats().byRoute;
  return (s['POST /API/mdm/devices/commands/bulk'] ?? 0) + (s['POST /API/mdm/devices/{id}/commands'] ?? 0);
};

describe('sendDeviceCommand', () => {
  it('sends one bulk call for many devices and records each in the device history', async () => {
    const ids = devicesIn(PRODUCTION, 3);
    gw.app.simulators.uem!.resetStats();
    const data = expectData(await gw.gql<Payload>(SEND, { as: 'ada.admin@demo.example', variables: { input: { deviceIds: ids, command: 'SYNC' } } }), SEND);
    expect(data.sendDeviceCommand.results).toEqual(ids.map((deviceId) => ({ deviceId, status: 'ACCEPTED', errorCode: null, message: null })));
    expect(gw.app.simulators.uem!.stats().byRoute['POST /API/mdm/devices/commands/bulk']).toBe(1);
    for (const id of ids) expect(gw.app.simulators.uem!.state.commandHistory(Number(id)).at(-1)?.command).toBe('SyncDevice');
  });

  it('checks the capability per device: acts where allowed, FORBIDDEN results elsewhere', async () => {
    const prod = devicesIn(PRODUCTION, 2, 10);
    const sandbox = devicesIn(SANDBOX, 2, 10);
    const data = expectData(await gw.gql<Payload>(SEND, {
      as: 'omar.operator@demo.example',
      variables: { input: { deviceIds: [...prod, ...sandbox], command: 'LOCK' } },
    }));
    const byId = new Map(data.sendDeviceCommand.results.map((r) => [r.deviceId, r]));
    for (const id of prod) expect(byId.get(id)).toMatchObject({ status: 'SKIPPED', errorCode: 'FORBIDDEN' });
    for (const id of sandbox) expect(byId.get(id)).toMatchObject({ status: 'ACCEPTED', errorCode: null });
    for (const id of sandbox) expect(gw.app.simulators.uem!.state.commandHistory(Number(id)).at(-1)?.command).toBe('Lock');
    for (const id of prod) expect(gw.app.simulators.uem!.state.commandHistory(Number(id)).map((c) => c.command)).not.toContain('Lock');
  });

  it('needs the typed confirmation for wipes, and ADMIN', async () => {
    const [id] = devicesIn(SANDBOX, 1, 20);
    const missing = await gw.gql(SEND, { as: 'ada.admin@demo.example', variables: { input: { deviceIds: [id], command: 'ENTERPRISE_WIPE' } } });
    expect(errorCodes(missing)).toEqual(['BAD_USER_INPUT']);
    expect(missing.body.errors?.[0]?.extensions?.reason).toBe('CONFIRMATION_REQUIRED');
    const omar = expectData(await gw.gql<Payload>(SEND, { as: 'omar.operator@demo.example', variables: { input: { deviceIds: [id], command: 'ENTERPRISE_WIPE', confirm: 'WIPE' } } }));
    expect(omar.sendDeviceCommand.results[0]).toMatchObject({ status: 'SKIPPED', errorCode: 'FORBIDDEN' });
    const ada = expectData(await gw.gql<Payload>(SEND, { as: 'ada.admin@demo.example', variables: { input: { deviceIds: [id], command: 'ENTERPRISE_WIPE', confirm: 'WIPE' } } }));
    expect(ada.sendDeviceCommand.results[0]).toMatchObject({ status: 'ACCEPTED' });
    expect(gw.app.simulators.uem!.state.devices.get(Number(id))!.enrollmentStatus).toBe('EnterpriseWipePending');
  });

  it('dry-runs without touching the upstream', async () => {
    const ids = [...devicesIn(PRODUCTION, 2, 30), ...devicesIn(SANDBOX, 1, 30), '999999999'];
    const before = commandRoutes();
    const data = expectData(await gw.gql<Payload>(SEND, { as: 'omar.operator@demo.example', variables: { input: { deviceIds: ids, command: 'CLEAR_PASSCODE', dryRun: true } } }));
    expect(data.sendDeviceCommand.dryRun).toBe(true);
    expect(data.sendDeviceCommand.results.map((r) => [r.status, r.errorCode])).toEqual([
      ['SKIPPED', 'FORBIDDEN'],
      ['SKIPPED', 'FORBIDDEN'],
      ['WOULD_SEND', null],
      ['FAILED', 'NOT_FOUND'],
    ]);
    expect(commandRoutes()).toBe(before);
  });

  it('replays a retried request with the same idempotency key and sends nothing twice', async () => {
    const ids = devicesIn(PRODUCTION, 2, 40);
    const input = { deviceIds: ids, command: 'QUERY', idempotencyKey: 'retry-me-1' };
    const before = commandRoutes();
    const first = expectData(await gw.gql<Payload>(SEND, { as: 'ada.admin@demo.example', variables: { input } }));
    const second = expectData(await gw.gql<Payload>(SEND, { as: 'ada.admin@demo.example', variables: { input } }));
    expect(first.sendDeviceCommand.replayed).toBe(false);
    expect(second.sendDeviceCommand.replayed).toBe(true);
    expect(second.sendDeviceCommand.results).toEqual(first.sendDeviceCommand.results);
    expect(commandRoutes()).toBe(before + 1);
    const reused = await gw.gql(SEND, { as: 'ada.admin@demo.example', variables: { input: { ...input, command: 'SYNC' } } });
    expect(reused.body.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', argument: 'input.idempotencyKey' });
    expect(reused.body.data).toEqual({ sendDeviceCommand: null });
  });

  it('refuses bad input clearly and audits every call', async () => {
    const empty = await gw.gql(SEND, { as: 'ada.admin@demo.example', variables: { input: { deviceIds: [], command: 'SYNC' } } });
    expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
    const junk = await gw.gql(SEND, { as: 'ada.admin@demo.example', variables: { input: { deviceIds: ['abc'], command: 'SYNC' } } });
    expect(errorCodes(junk)).toEqual(['BAD_USER_INPUT']);
    const rows = await gw.app.services.db.selectFrom('audit_events').selectAll().where('field', '=', 'sendDeviceCommand').execute();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.map((r) => r.principal_email)).toContain('omar.operator@demo.example');
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['SUCCESS', 'PARTIAL', 'DENIED', 'FAILURE']));
  });
});
