/**
 * Idempotency keys through the graph (issue 16): the key is claimed before anything is sent, so
 * concurrent duplicates send one command per device and all answer alike; the audit trail shows
 * the first request and the replays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/idempotency/fingerprint.js';
import { errorCodes, expectData, startTestGateway, type GqlResult, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  // Waiting duplicates must outlast the first request even on a loaded machine.
  gw = await startTestGateway({ IDEMPOTENCY_WAIT_SECONDS: '120' });
});
afterAll(async () => {
  await gw?.close();
});

const SEND = `mutation Send($input: SendDeviceCommandInput!) {
  sendDeviceCommand(input: $input) { command replayed interrupted results { deviceId status errorCode message } }
}`;
type Payload = { sendDeviceCommand: { replayed: boolean; interrupted: boolean; results: { deviceId: string; status: string; errorCode: string | null }[] } };
const ADA = 'ada.admin@demo.example';

let next = 0;
/** Enrolled devices no other test of this file uses. */
function freshDevices(count: number): string[] {
  const ids = [...gw.app.simulators.uem!.state.devices.values()]
    .filter((d) => d.enrollmentStatus === 'Enrolled')
    .slice(next, next + count)
    .map((d) => String(d.id));
  next += count;
  return ids;
}
const history = (id: string) => gw.app.simulators.uem!.state.commandHistory(Number(id)).map((c) => c.command);
const route = (name: string) => gw.app.simulators.uem!.stats().byRoute[name] ?? 0;

async function concurrently(n: number, input: Record<string, unknown>): Promise<GqlResult<Payload>[]> {
  return Promise.all(Array.from({ length: n }, () => gw.gql<Payload>(SEND, { as: ADA, variables: { input } })));
}

describe('sendDeviceCommand with an idempotency key', () => {
  it('sends one bulk call for six concurrent duplicates, and every answer is the same', async () => {
    const ids = freshDevices(3);
    const before = route('POST /API/mdm/devices/commands/bulk');
    const answers = await concurrently(6, { deviceIds: ids, command: 'LOCK', idempotencyKey: 'lock-once' });
    const data = answers.map((a) => expectData(a, SEND).sendDeviceCommand);
    expect(route('POST /API/mdm/devices/commands/bulk')).toBe(before + 1);
    for (const id of ids) expect(history(id)).toEqual(['Lock']);
    expect(data.filter((d) => !d.replayed)).toHaveLength(1);
    for (const d of data) expect(d.results).toEqual(ids.map((deviceId) => ({ deviceId, status: 'ACCEPTED', errorCode: null, message: null })));

    const rows = await gw.app.services.db.selectFrom('audit_events').selectAll().where('field', '=', 'sendDeviceCommand').where('request_id', 'in', answers.map((a) => a.requestId ?? '')).execute();
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => (r.details as { replayed: boolean }).replayed).filter((r) => !r)).toHaveLength(1);
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['SUCCESS']));
  });

  it('sends one single-device call for concurrent duplicates of a wipe', async () => {
    const [id] = freshDevices(1) as [string];
    const before = route('POST /API/mdm/devices/{id}/commands');
    const answers = await concurrently(4, { deviceIds: [id], command: 'DEVICE_WIPE', confirm: 'WIPE', idempotencyKey: 'wipe-once' });
    expect(route('POST /API/mdm/devices/{id}/commands')).toBe(before + 1);
    expect(history(id)).toEqual(['DeviceWipe']);
    expect(new Set(answers.map((a) => JSON.stringify(expectData(a).sendDeviceCommand.results)))).toEqual(new Set([JSON.stringify([{ deviceId: id, status: 'ACCEPTED', errorCode: null, message: null }])]));
  });

  it('answers IDEMPOTENCY_KEY_REUSED to the loser of a race between two inputs under one key, and sends only the winner', async () => {
    const ids = freshDevices(2);
    const [a, b] = await Promise.all([
      gw.gql<Payload>(SEND, { as: ADA, variables: { input: { deviceIds: ids, command: 'SYNC', idempotencyKey: 'raced' } } }),
      gw.gql<Payload>(SEND, { as: ADA, variables: { input: { deviceIds: ids, command: 'QUERY', idempotencyKey: 'raced' } } }),
    ]);
    const codes = [...errorCodes(a), ...errorCodes(b)];
    expect(codes).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    const winner = (a.body.data ?? b.body.data)!.sendDeviceCommand;
    expect(winner.results.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
    for (const id of ids) expect(history(id)).toHaveLength(1);
  });

  it('keeps keys per caller: the same key from another caller is another request', async () => {
    const ids = freshDevices(1);
    const input = { deviceIds: ids, command: 'SYNC', idempotencyKey: 'shared-name' };
    const ada = expectData(await gw.gql<Payload>(SEND, { as: ADA, variables: { input } }));
    const omar = await gw.gql<Payload>(SEND, { as: 'omar.operator@demo.example', variables: { input } });
    expect(ada.sendDeviceCommand.replayed).toBe(false);
    expect(expectData(omar).sendDeviceCommand.replayed).toBe(false);
  });

  it('refuses a key that is not printable ASCII, before claiming anything', async () => {
    const ids = freshDevices(1);
    const bad = await gw.gql(SEND, { as: ADA, variables: { input: { deviceIds: ids, command: 'SYNC', idempotencyKey: 'tab\there' } } });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    const claims = await gw.app.services.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'tab\there').execute();
    expect(claims).toEqual([]);
    expect(history(ids[0]!)).toEqual([]);
  });

  it('answers a dry run under a key, and replays it without sending', async () => {
    const ids = freshDevices(2);
    const input = { deviceIds: ids, command: 'CLEAR_PASSCODE', dryRun: true, idempotencyKey: 'dry' };
    const first = expectData(await gw.gql<Payload>(SEND, { as: ADA, variables: { input } }));
    const again = expectData(await gw.gql<Payload>(SEND, { as: ADA, variables: { input } }));
    expect(first.sendDeviceCommand.results.map((r) => r.status)).toEqual(['WOULD_SEND', 'WOULD_SEND']);
    expect(again.sendDeviceCommand).toEqual({ ...first.sendDeviceCommand, replayed: true });
    for (const id of ids) expect(history(id)).toEqual([]);
  });
});

const ADD = `mutation Add($tagId: ID!, $ids: [ID!]!, $key: String) {
  addDevicesToTag(tagId: $tagId, deviceIds: $ids, idempotencyKey: $key) { replayed interrupted results { deviceId status errorCode message } }
}`;
type TagPayload = { addDevicesToTag: { replayed: boolean; interrupted: boolean; results: { deviceId: string; status: string; errorCode: string | null; message: string | null }[] } };

describe('addDevicesToTag with an idempotency key', () => {
  const tagId = 20;
  const members = () => gw.app.simulators.uem!.state.tags.get(tagId)!.members;
  const untagged = (count: number) => freshDevices(count * 3).filter((id) => !members().has(Number(id))).slice(0, count);

  it('tags once for concurrent duplicates', async () => {
    const ids = untagged(2);
    const before = route('POST /API/mdm/tags/{id}/adddevices');
    const answers = await Promise.all(Array.from({ length: 4 }, () => gw.gql<TagPayload>(ADD, { as: ADA, variables: { tagId: String(tagId), ids, key: 'tag-once' } })));
    expect(route('POST /API/mdm/tags/{id}/adddevices')).toBe(before + 1);
    expect(answers.map((a) => expectData(a).addDevicesToTag.replayed).filter((r) => !r)).toHaveLength(1);
    for (const id of ids) expect(members().has(Number(id))).toBe(true);
  });

  it("settles an interrupted change against the tag's members in UEM, sending nothing", async () => {
    const [reached, missed, never] = untagged(3) as [string, string, string];
    // The record an interrupted request leaves: a batch (reached, missed) being sent, one device not yet.
    const { idempotency } = gw.app.services.store;
    const key = 'tag-interrupted';
    const fp = fingerprint('addDevicesToTag', { tagId, deviceIds: [reached, missed, never].sort() });
    await idempotency.claimKey({ principalEmail: ADA, key, operation: 'addDevicesToTag', requestHash: fp, targets: [reached, missed, never], owner: 'dead', leaseSeconds: 30, ttlSeconds: 3600 });
    await idempotency.markSending({ principalEmail: ADA, key }, 'dead', [reached, missed], 1);
    await idempotency.interruptKey({ principalEmail: ADA, key }, 'dead');
    members().set(Number(reached), Date.now()); // UEM had applied it for this one
    const before = route('POST /API/mdm/tags/{id}/adddevices');

    const replay = expectData(await gw.gql<TagPayload>(ADD, { as: ADA, variables: { tagId: String(tagId), ids: [reached, missed, never], key } })).addDevicesToTag;
    expect(replay).toMatchObject({ replayed: true, interrupted: true });
    expect(replay.results.map((r) => [r.deviceId, r.status, r.errorCode])).toEqual([
      [reached, 'ACCEPTED', null],
      [missed, 'SKIPPED', 'NOT_SENT'],
      [never, 'SKIPPED', 'NOT_SENT'],
    ]);
    expect(replay.results[0]?.message).toBe('Confirmed with UEM after an interruption: the device is tagged.');
    expect(route('POST /API/mdm/tags/{id}/adddevices')).toBe(before);
    expect(members().has(Number(missed))).toBe(false);
  });
});
