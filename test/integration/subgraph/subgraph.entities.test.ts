/**
 * Entity resolution through `/subgraph` (issue 19): the direct graph's batching budgets, permission
 * cells and row scope, and the query safety counting representations. Counted at the simulators
 * on the demo dataset, caches of the side measured emptied first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { SUBGRAPH_ENV, resetCounts, subgraph, upstreamCounts } from './subgraph.kit.js';

const ADA = 'ada.admin@demo.example';
const RITA = 'rita.reader@demo.example';
const AGNES = 'agnes.agent@demo.example';

const DEVICE_ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ...on Device { id friendlyName user { email } } } }';

interface DeviceRow {
  id: string;
  serialNumber: string;
  organizationGroup: { name: string } | null;
}

let gw: TestGateway;
let devices: DeviceRow[];
beforeAll(async () => {
  gw = await startTestGateway(SUBGRAPH_ENV);
  devices = expectData(
    await gw.gql<{ devices: { nodes: DeviceRow[] } }>('{ devices(first: 500) { nodes { id serialNumber organizationGroup { name } } } }', { as: ADA }),
  ).devices.nodes;
}, 180_000);
afterAll(async () => {
  await gw?.close();
});

const deviceIn = (group: string) => devices.find((d) => d.organizationGroup?.name === group)!.id;
const representations = (typename: string, key: string, values: string[]) => values.map((v) => ({ __typename: typename, [key]: v }));
/** An error as a client compares it: without where it occurred. */
const errorOf = (res: GqlResult<unknown>) => {
  const { message, extensions } = res.body.errors?.[0] ?? {};
  return { message, extensions };
};

describe('batching budgets (the direct graph’s)', () => {
  it('500 Device representations cost one POST /mdm/devices/id', async () => {
    expect(devices).toHaveLength(500);
    resetCounts(gw, ['uem:*']);
    const reps = representations('Device', 'id', devices.map((d) => d.id));
    const res = await subgraph<{ _entities: { id: string }[] }>(gw, DEVICE_ENTITIES, { as: ADA, variables: { representations: reps } });
    expect(expectData(res)._entities.map((d) => d.id)).toEqual(devices.map((d) => d.id));
    const counts = upstreamCounts(gw);
    expect(counts.byRoute).toEqual({ 'POST /API/mdm/devices/id': 1 });
  });

  it('500 Device representations by serial number cost one POST /mdm/devices/serialnumber', async () => {
    resetCounts(gw, ['uem:*']);
    const reps = representations('Device', 'serialNumber', devices.map((d) => d.serialNumber.toLowerCase()));
    const res = await subgraph<{ _entities: { id: string }[] }>(gw, DEVICE_ENTITIES, { as: ADA, variables: { representations: reps } });
    expect(expectData(res)._entities.map((d) => d.id)).toEqual(devices.map((d) => d.id));
    expect(upstreamCounts(gw).byRoute).toEqual({ 'POST /API/mdm/devices/serialnumber': 1 });
  });

  it('100 HarmonyUser representations cost the usual list reads, each once', async () => {
    const emails = expectData(await gw.gql<{ harmonyUsers: { nodes: { email: string }[] } }>('{ harmonyUsers(first: 100) { nodes { email } } }', { as: ADA }))
      .harmonyUsers.nodes.map((u) => u.email);
    expect(emails).toHaveLength(100);
    resetCounts(gw, ['harmony:users', 'harmony:roles', 'harmony:environment-access']);
    const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ...on HarmonyUser { email roles { role { name } } environmentAccess { levels } } } }';
    const res = await subgraph<{ _entities: { email: string }[] }>(gw, query, { as: ADA, variables: { representations: representations('HarmonyUser', 'email', emails) } });
    expect(expectData(res)._entities.map((u) => u.email)).toEqual(emails);
    const counts = upstreamCounts(gw);
    // Users, roles and environment access, shared with resolving the caller: one read each.
    expect(counts.uem).toBe(0);
    expect(counts.harmony, JSON.stringify(counts.byRoute)).toBe(3);
    for (const n of Object.values(counts.byRoute)) expect(n, JSON.stringify(counts.byRoute)).toBe(1);
  });

  it('30 UemUser representations read the user directory, as 30 uemUser fields would', async () => {
    const ids = expectData(await gw.gql<{ uemUsers: { nodes: { id: string }[] } }>('{ uemUsers(first: 30) { nodes { id } } }', { as: ADA })).uemUsers.nodes.map((u) => u.id);
    resetCounts(gw, ['uem:*']);
    const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ...on UemUser { id firstName } } }';
    const res = await subgraph<{ _entities: { id: string }[] }>(gw, query, { as: ADA, variables: { representations: representations('UemUser', 'id', ids) } });
    expect(expectData(res)._entities.map((u) => u.id)).toEqual(ids);
    expect(upstreamCounts(gw).uem, JSON.stringify(upstreamCounts(gw).byRoute)).toBeLessThanOrEqual(2);
  });
});

describe('permission cells and row scope, exactly as the root fields', () => {
  it('a reader resolves devices of her environments, and gets null without an error outside them, exactly as device(id) and as for a device UEM does not have', async () => {
    const production = deviceIn('Production Devices');
    const lab = deviceIn('Lab Devices');
    const res = await subgraph<{ _entities: ({ id: string } | null)[] }>(gw, DEVICE_ENTITIES, {
      as: RITA,
      variables: { representations: representations('Device', 'id', [production, lab, '999999999']) },
    });
    expect(res.body.data?._entities[0]).toMatchObject({ id: production });
    expect(res.body.data?._entities.slice(1)).toEqual([null, null]);
    expect(res.body.errors).toBeUndefined();
    const direct = await gw.gql(`{ device(id: "${lab}") { id } }`, { as: RITA });
    expect(direct.body).toEqual({ data: { device: null } });
  });

  it('sensitive identifiers stay ADMIN-only on entities', async () => {
    const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ...on Device { id imei } } }';
    const id = deviceIn('Production Devices');
    const res = await subgraph<{ _entities: { id: string; imei: string | null }[] }>(gw, query, { as: RITA, variables: { representations: representations('Device', 'id', [id]) } });
    const direct = await gw.gql(`{ device(id: "${id}") { id imei } }`, { as: RITA });
    expect(res.body.data?._entities[0]).toEqual({ id, imei: null });
    expect(errorOf(res)).toEqual(errorOf(direct));
    expect(errorOf(res).extensions).toMatchObject({ code: 'FORBIDDEN', capability: 'readSensitiveIdentifiers' });
  });

  it('a caller without the capability gets nothing for any entity, and nothing is read', async () => {
    resetCounts(gw, ['uem:*']);
    // AGENT_INSTALL alone: no free text at all, so the router's text is refused at the door, as on /graphql.
    const device = await subgraph(gw, DEVICE_ENTITIES, { as: AGNES, variables: { representations: representations('Device', 'id', [deviceIn('Production Devices')]) } });
    expect(device.body.data ?? null).toBeNull();
    expect(errorOf(device).extensions).toMatchObject({ code: 'PERSISTED_QUERY_REQUIRED', capability: 'sendFreeText' });
    expect(upstreamCounts(gw).uem).toBe(0);
    expect(errorOf(device)).toEqual(errorOf(await gw.gql(`{ device(id: "${deviceIn('Production Devices')}") { id } }`, { as: AGNES })));

    const harmonyQuery = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ...on HarmonyUser { email } ...on Person { email } } }';
    for (const [typename, root] of [['HarmonyUser', 'harmonyUser'], ['Person', 'person']] as const) {
      const res = await subgraph(gw, harmonyQuery, { as: RITA, variables: { representations: representations(typename, 'email', [ADA]) } });
      expect(res.body.data).toEqual({ _entities: [null] });
      const direct = await gw.gql(`{ ${root}(email: "${ADA}") { email } }`, { as: RITA });
      expect(errorOf(res)).toEqual(errorOf(direct));
      expect(errorOf(res).extensions).toMatchObject({ code: 'FORBIDDEN', capability: 'readHarmony' });
    }
  });
});

describe('query safety', () => {
  it('costs _entities by its representations, and reports it', async () => {
    const reps = representations('Device', 'id', devices.slice(0, 200).map((d) => d.id));
    const res = await subgraph<{ _entities: unknown[] }>(gw, DEVICE_ENTITIES, { as: ADA, variables: { representations: reps }, headers: { 'x-gateway-cost': '1' } });
    expectData(res);
    const cost = (res.body as { extensions?: { cost?: { estimated: number; upstreamRequests: { estimated: { uem: number } } } } }).extensions?.cost;
    // Per device: the entity (1) and its user (1).
    expect(cost?.estimated).toBe(200 * 2);
    expect(cost?.upstreamRequests.estimated.uem).toBe(1);
  });

  it('refuses representations whose selections would cost too many upstream requests, before any', async () => {
    resetCounts(gw, ['uem:*']);
    const query = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ...on Device { id apps { name } } } }';
    const res = await subgraph(gw, query, { as: ADA, variables: { representations: representations('Device', 'id', devices.map((d) => d.id)) } });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'upstreamRequests', measured: 501 });
    expect(upstreamCounts(gw).uem).toBe(0);
  });
});
