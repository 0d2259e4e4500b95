/**
 * `/subgraph` (issue 19): served only to routers that present the shared secret, with the caller
 * from the forwarded headers; the federation fields `_service` and `_entities`; answers never
 * cached; and the direct endpoint next to it without any of it.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { printedSubgraphSchema } from '../../../src/subgraph/sdl.js';
import { ENTITIES, NEXT_ROUTER_SECRET, ROUTER_SECRET, SUBGRAPH_ENV, resetCounts, subgraph, upstreamCounts } from './subgraph.kit.js';

const ADA = 'ada.admin@demo.example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway(SUBGRAPH_ENV);
}, 180_000);
afterAll(async () => {
  await gw?.close();
});

describe('the router secret', () => {
  it('refuses a request without it before authenticating or reading anything', async () => {
    resetCounts(gw);
    const res = await subgraph(gw, '{ _service { sdl } }', { as: ADA, secret: null });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'router_secret_missing' });
    expect(upstreamCounts(gw).harmony + upstreamCounts(gw).uem).toBe(0);
  });

  it('refuses a wrong one', async () => {
    const res = await subgraph(gw, '{ _service { sdl } }', { as: ADA, secret: `${ROUTER_SECRET}x` });
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'router_secret_invalid' });
  });

  it('accepts the current and the next secret (rotation), and still needs the caller', async () => {
    for (const secret of [ROUTER_SECRET, NEXT_ROUTER_SECRET]) {
      const res = await subgraph(gw, '{ viewer { email } }', { as: ADA, secret });
      expect(expectData(res).viewer).toEqual({ email: ADA });
    }
    const anonymous = await subgraph(gw, '{ viewer { email } }');
    expect(anonymous.status).toBe(401);
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('marks every answer as not cacheable', async () => {
    const ok = await subgraph(gw, '{ viewer { email } }', { as: ADA });
    const refused = await subgraph(gw, '{ viewer { email } }', { secret: null });
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the federation fields', () => {
  it('_service answers the printed subgraph SDL, the one committed in docs/subgraph.graphql', async () => {
    const sdl = (expectData(await subgraph<{ _service: { sdl: string } }>(gw, '{ _service { sdl } }', { as: ADA })))._service.sdl;
    expect(sdl).toBe(printedSubgraphSchema());
    expect(sdl).toBe(readFileSync('docs/subgraph.graphql', 'utf8'));
    expect(sdl).toContain('type Device @key(fields: "id") @key(fields: "serialNumber")');
  });

  it('_entities resolves every entity type by its keys, and null for an unknown key as the root fields do', async () => {
    const device = expectData(await gw.gql<{ devices: { nodes: { id: string; serialNumber: string; user: { id: string; email: string } }[] } }>(
      '{ devices(first: 1) { nodes { id serialNumber user { id email } } } }',
      { as: ADA },
    )).devices.nodes[0]!;
    const representations = [
      { __typename: 'Device', id: device.id },
      { __typename: 'Device', serialNumber: device.serialNumber },
      { __typename: 'Device', id: '999999999' },
      { __typename: 'UemUser', id: device.user.id },
      { __typename: 'HarmonyUser', email: ADA.toUpperCase() },
      { __typename: 'HarmonyUser', email: 'nobody@demo.example' },
      { __typename: 'Person', email: device.user.email },
    ];
    const res = await subgraph<{ _entities: (Record<string, unknown> | null)[] }>(gw, ENTITIES, { as: ADA, variables: { representations } });
    const entities = expectData(res)._entities;
    expect(entities[0]).toMatchObject({ __typename: 'Device', id: device.id, user: { email: device.user.email } });
    expect(entities[1]).toEqual(entities[0]);
    expect(entities[2]).toBeNull();
    expect(entities[3]).toMatchObject({ __typename: 'UemUser', id: device.user.id });
    expect(entities[4]).toEqual({ __typename: 'HarmonyUser', email: ADA });
    expect(entities[5]).toBeNull();
    expect(entities[6]).toEqual({ __typename: 'Person', email: device.user.email.toLowerCase() });
  });

  it('answers a device entity as device(id) does, its kinds and dates (getters of the model) included', async () => {
    const fields = 'id platform ownership enrollmentStatus complianceStatus lastSeen lastEnrolledOn';
    const first = expectData(await gw.gql<{ devices: { nodes: { id: string }[] } }>('{ devices(first: 1) { nodes { id } } }', { as: ADA })).devices.nodes[0]!;
    const direct = expectData(await gw.gql<{ device: Record<string, unknown> }>(`query ($id: ID!) { device(id: $id) { ${fields} } }`, { as: ADA, variables: { id: first.id } })).device;
    const entityQuery = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ...on Device { ${fields} } } }`;
    const res = await subgraph<{ _entities: Record<string, unknown>[] }>(gw, entityQuery, { as: ADA, variables: { representations: [{ __typename: 'Device', id: first.id }] } });
    expect(expectData(res)._entities).toEqual([direct]);
    expect(direct).toMatchObject({ platform: expect.stringMatching(/^[A-Z_]+$/), lastSeen: expect.stringMatching(/Z$/) });
  });

  it('_service follows the introspection policy', async () => {
    const config = gw.app.config;
    config.introspection = false;
    try {
      const res = await subgraph(gw, '{ _service { sdl } }', { as: ADA });
      expect(res.body.data).toBeNull();
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'INTROSPECTION_DISABLED' });
    } finally {
      config.introspection = true;
    }
  });

  it('fails a representation without its key alone, with BAD_USER_INPUT', async () => {
    const representations = [{ __typename: 'Device' }, { __typename: 'HarmonyUser', email: ADA }];
    const res = await subgraph<{ _entities: unknown[] }>(gw, ENTITIES, { as: ADA, variables: { representations } });
    expect(res.body.data?._entities).toEqual([null, { __typename: 'HarmonyUser', email: ADA }]);
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.reason])).toEqual([[['_entities', 0], 'BAD_USER_INPUT', 'INVALID_REPRESENTATION']]);
  });
});

describe('mutations through the router', () => {
  it('are audited under the caller the router forwarded', async () => {
    const id = expectData(await gw.gql<{ devices: { nodes: { id: string }[] } }>('{ devices(first: 1) { nodes { id } } }', { as: ADA })).devices.nodes[0]!.id;
    const res = await subgraph<{ sendDeviceCommand: { results: { status: string }[] } }>(
      gw,
      `mutation { sendDeviceCommand(input: { deviceIds: ["${id}"], command: SYNC, dryRun: true }) { results { status } } }`,
      { as: ADA },
    );
    expect(expectData(res).sendDeviceCommand.results).toEqual([{ status: 'WOULD_SEND' }]);
    const audit = expectData(
      await gw.gql<{ auditEvents: { nodes: { requestId: string; principalEmail: string; field: string }[] } }>(
        '{ auditEvents(first: 20) { nodes { requestId principalEmail field } } }',
        { as: ADA },
      ),
    );
    expect(audit.auditEvents.nodes).toContainEqual({ requestId: res.requestId, principalEmail: ADA, field: 'sendDeviceCommand' });
  });
});

describe('the direct endpoint, with the subgraph on', () => {
  it('has no federation fields', async () => {
    for (const query of ['{ _service { sdl } }', '{ _entities(representations: []) { __typename } }']) {
      const res = await gw.gql(query, { as: ADA });
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.message).toMatch(/Cannot query field "_(service|entities)"/);
    }
  });
});
