/**
 * Device commands, tag changes (by id and by name) and new tags for every Harmony persona, one
 * device (or organization group) in each environment, expectations from the table. Commands are dry runs (WOULD_SEND where allowed, SKIPPED with
 * FORBIDDEN where the persona reads the device but may not act, FAILED with NOT_FOUND where it may not
 * read it, as for an unknown id: issue 18 cell 11) so nothing reaches UEM; tag changes are undone by
 * the same persona.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapabilityName } from '../../../src/auth/capabilities.js';
import { COMMAND_PLATFORMS } from '../../../src/simulators/uem/uem.command-queue.js';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { allows, ENVIRONMENTS, GROUP_OF, HARMONY_PERSONAS, OMAR, PAT } from '../../helpers/matrix.table.js';
import { asPersona, createKey, devicesIn, envOfDevice, show, withKey } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const SEND = `mutation Send($input: SendDeviceCommandInput!) {
  sendDeviceCommand(input: $input) { dryRun results { deviceId status errorCode } }
}`;
type Results = { deviceId: string; status: string; errorCode: string | null }[];

const COMMANDS: [string, CapabilityName][] = [
  ['SYNC', 'sendNonDestructiveCommand'],
  ['QUERY', 'sendNonDestructiveCommand'],
  ['LOCK', 'sendStateChangingCommand'],
  ['CLEAR_PASSCODE', 'sendStateChangingCommand'],
  ['ENTERPRISE_WIPE', 'wipeDevice'],
  ['DEVICE_WIPE', 'wipeDevice'],
  ['ENABLE_DEVICE_ENCRYPTION', 'sendNonDestructiveCommand'],
  ['INSTALL_OS_UPDATE', 'sendNonDestructiveCommand'],
];
/** The platforms the simulator takes each remediation command on (every platform for the others). */
const TAKERS: Record<string, readonly string[] | undefined> = {
  ENABLE_DEVICE_ENCRYPTION: COMMAND_PLATFORMS.EnableDeviceEncryption,
  INSTALL_OS_UPDATE: COMMAND_PLATFORMS.InstallOSUpdate,
};

const commandCalls = () => {
  const s = gw.app.simulators.uem!.stats().byRoute;
  return (s['POST /API/mdm/devices/commands/bulk'] ?? 0) + (s['POST /API/mdm/devices/{id}/commands'] ?? 0);
};
/** One enrolled device per environment. */
const oneOfEach = (skip: number) => ENVIRONMENTS.map((env) => devicesIn(gw, env, 1, skip)[0]!);
const platformOf = (deviceId: string) => gw.app.simulators.uem!.state.devices.get(Number(deviceId))!.platform;
const expectedResult = (persona: string, capability: CapabilityName, deviceId: string, allowedStatus: string, command = '') => {
  const env = envOfDevice(gw, deviceId);
  if (!allows(persona, 'readInventory', env)) return { deviceId, status: 'FAILED', errorCode: 'NOT_FOUND' };
  if (!allows(persona, capability, env)) return { deviceId, status: 'SKIPPED', errorCode: 'FORBIDDEN' };
  const takers = TAKERS[command];
  if (takers && !takers.includes(platformOf(deviceId))) return { deviceId, status: 'SKIPPED', errorCode: 'UNSUPPORTED' };
  return { deviceId, status: allowedStatus, errorCode: null };
};

describe('device commands (dry run)', () => {
  it.each(HARMONY_PERSONAS)('%s: each command per device as the table says, nothing sent', async (persona) => {
    const ids = oneOfEach(50);
    const before = commandCalls();
    for (const [command, capability] of COMMANDS) {
      const input = { deviceIds: ids, command, dryRun: true, ...(capability === 'wipeDevice' ? { confirm: 'WIPE' } : {}) };
      const result = await asPersona<{ sendDeviceCommand: { dryRun: boolean; results: Results } }>(gw, persona, SEND, { input });
      const data = expectData(result, `${SEND} ${JSON.stringify(input)}`);
      expect(data.sendDeviceCommand.dryRun).toBe(true);
      expect(data.sendDeviceCommand.results, show(`${persona} ${command}`, result)).toEqual(
        ids.map((id) => expectedResult(persona, capability, id, 'WOULD_SEND', command)),
      );
    }
    expect(commandCalls(), 'a dry run sends nothing').toBe(before);
  });

  it('omar, the example of the brief: SYNC would go to Production, LOCK only to Sandbox', async () => {
    const [prod] = devicesIn(gw, 'Production', 1, 60);
    const [sandbox] = devicesIn(gw, 'Sandbox', 1, 60);
    const run = async (command: string) =>
      expectData(await gw.gql<{ sendDeviceCommand: { results: Results } }>(SEND, { as: OMAR, variables: { input: { deviceIds: [prod, sandbox], command, dryRun: true } } }))
        .sendDeviceCommand.results.map((r) => [r.status, r.errorCode]);
    expect(await run('SYNC')).toEqual([['WOULD_SEND', null], ['WOULD_SEND', null]]);
    expect(await run('LOCK')).toEqual([['SKIPPED', 'FORBIDDEN'], ['WOULD_SEND', null]]);
  });

  it('refuses device writes to external users (FORBIDDEN at the root, or free text refused)', async () => {
    const key = await createKey(gw, PAT);
    const result = await withKey(gw, key, SEND, { input: { deviceIds: oneOfEach(50), command: 'SYNC', dryRun: true } });
    const errors = result.body.errors?.map((e) => [e.extensions?.code, e.path]);
    // Free text from a partner is refused before execution once persisted documents are enforced.
    if (errors?.[0]?.[0] === 'PERSISTED_QUERY_REQUIRED') expect(result.body.data ?? null).toBeNull();
    else expect(errors, show('pat', result)).toEqual([['FORBIDDEN', ['sendDeviceCommand']]]);
  });
});

describe('tag changes', () => {
  const TAG = (add: boolean) => `mutation T($tagId: ID!, $ids: [ID!]!) {
    change: ${add ? 'addDevicesToTag' : 'removeDevicesFromTag'}(tagId: $tagId, deviceIds: $ids) { results { deviceId status errorCode } }
  }`;

  it.each(HARMONY_PERSONAS)('%s: tags and untags where the table allows, FORBIDDEN per device elsewhere', async (persona) => {
    const tagId = String([...gw.app.simulators.uem!.state.tags.keys()][0]);
    const members = () => gw.app.simulators.uem!.state.tags.get(Number(tagId))!.members;
    const ids = oneOfEach(70 + HARMONY_PERSONAS.indexOf(persona));
    const allowed = (id: string) => allows(persona, 'sendStateChangingCommand', envOfDevice(gw, id));
    const before = new Map(ids.map((id) => [id, members().has(Number(id))]));
    for (const add of [true, false]) {
      const result = await asPersona<{ change: { results: Results } }>(gw, persona, TAG(add), { tagId, ids });
      const data = expectData(result, TAG(add));
      expect(data.change.results, show(`${persona} ${add ? 'add' : 'remove'}`, result)).toEqual(
        ids.map((id) => expectedResult(persona, 'sendStateChangingCommand', id, 'ACCEPTED')),
      );
      for (const id of ids) expect(members().has(Number(id)), `device ${id}`).toBe(allowed(id) ? add : before.get(id));
    }
  });
});

describe('tags by name and new tags', () => {
  const UPDATE = `mutation U($ids: [ID!]!, $add: [String!], $remove: [String!]) {
    updateDeviceTags(deviceIds: $ids, add: $add, remove: $remove) { results { deviceId status errorCode previousTags } }
  }`;
  const CREATE = `mutation C($name: String!, $group: ID) { createTag(name: $name, organizationGroupId: $group) { created tag { organizationGroup { id } } } }`;
  type Update = { updateDeviceTags: { results: (Results[number] & { previousTags: string[] | null })[] } };

  it.each(HARMONY_PERSONAS)('%s: updateDeviceTags where the table allows, FORBIDDEN per device elsewhere, tags shown only where allowed', async (persona) => {
    const loaner = [...gw.app.simulators.uem!.state.tags.values()].find((t) => t.name === 'Loaner')!;
    const ids = oneOfEach(90 + HARMONY_PERSONAS.indexOf(persona));
    const allowed = (id: string) => allows(persona, 'sendStateChangingCommand', envOfDevice(gw, id));
    for (const id of ids) loaner.members.delete(Number(id));
    for (const [add, remove] of [[['loaner'], []], [[], ['LOANER']]] as [string[], string[]][]) {
      const result = await asPersona<Update>(gw, persona, UPDATE, { ids, add, remove });
      const data = expectData(result, UPDATE);
      expect(data.updateDeviceTags.results.map((r) => [r.deviceId, r.status, r.errorCode, r.previousTags === null]), show(persona, result)).toEqual(
        ids.map((id) =>
          allowed(id)
            ? [id, 'ACCEPTED', null, false]
            : allows(persona, 'readInventory', envOfDevice(gw, id))
              ? [id, 'SKIPPED', 'FORBIDDEN', true]
              : [id, 'FAILED', 'NOT_FOUND', true],
        ),
      );
      for (const id of ids) expect(loaner.members.has(Number(id)), `device ${id}`).toBe(allowed(id) && add.length > 0);
    }
  });

  it.each(HARMONY_PERSONAS)('%s: createTag at each environment’s group as the table says', async (persona) => {
    for (const env of ENVIRONMENTS) {
      const group = String(GROUP_OF[env]);
      const result = await asPersona<{ createTag: { created: boolean; tag: { organizationGroup: { id: string } } } }>(gw, persona, CREATE, {
        name: `Matrix ${HARMONY_PERSONAS.indexOf(persona)}`,
        group,
      });
      if (allows(persona, 'sendStateChangingCommand', env)) {
        expect(expectData(result, CREATE).createTag, show(`${persona} ${env}`, result)).toEqual({ created: true, tag: { organizationGroup: { id: group } } });
      } else {
        // A group the persona may not read is an unknown group (cell 11); one it reads, FORBIDDEN.
        const expected = allows(persona, 'readInventory', env) ? 'FORBIDDEN' : 'BAD_USER_INPUT';
        expect(result.body.errors?.map((e) => e.extensions?.code), show(`${persona} ${env}`, result)).toEqual([expected]);
      }
    }
  });
});
