/**
 * The gateway in a company supergraph (issue 19), end to end: its printed subgraph SDL composed
 * with a helpdesk subgraph by The Guild's composition library, and a real Hive Gateway over the
 * result, on loopback. A query joins the helpdesk's tickets to our devices and their Harmony
 * owners through the router, which forwards the caller's token and the router secret; the
 * upstream requests are counted at the simulators, and permission cells hold through the router.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { startHelpdesk, HELPDESK_SDL, type Ticket } from './helpdesk.fixture.js';
import { ROUTER_SECRET, SUBGRAPH_ENV, resetCounts, subgraph, upstreamCounts } from './subgraph.kit.js';

const ADA = 'ada.admin@demo.example';
const RITA = 'rita.reader@demo.example';
const OMAR = 'omar.operator@demo.example';

interface OwnedDevice {
  id: string;
  organizationGroup: { name: string };
}

let gw: TestGateway;
let helpdesk: Awaited<ReturnType<typeof startHelpdesk>>;
let router: { url: string; close(): Promise<void> };
let tickets: Ticket[];
let supergraphSdl: string;

async function devicesOf(email: string): Promise<OwnedDevice[]> {
  const q = `{ harmonyUser(email: "${email}") { uemUser { devices(first: 20) { nodes { id organizationGroup { name } } } } } }`;
  return expectData(await gw.gql<{ harmonyUser: { uemUser: { devices: { nodes: OwnedDevice[] } } } }>(q, { as: ADA }), q).harmonyUser.uemUser.devices.nodes;
}

/**
 * The part of @graphql-hive/gateway-runtime used here. It is imported by a computed name so that its
 * types stay out of the program: they come with graphql-yoga's declaration of
 * `GraphQLErrorExtensions.http`, whose `headers` type differs from Apollo Server's and would break the
 * gateway's own typecheck.
 */
interface GatewayRuntime {
  (req: IncomingMessage, res: ServerResponse): void;
  dispose(): Promise<void>;
}
interface GatewayRuntimeModule {
  createGatewayRuntime(options: {
    supergraph: string;
    logging: boolean;
    propagateHeaders: { fromClientToSubgraphs(payload: { request: Request; subgraphName: string }): Record<string, string | null> | undefined };
  }): GatewayRuntime;
}
const GATEWAY_RUNTIME: string = '@graphql-hive/gateway-runtime';

async function startRouter(supergraph: string): Promise<{ url: string; close(): Promise<void> }> {
  const { createGatewayRuntime } = (await import(GATEWAY_RUNTIME)) as GatewayRuntimeModule;
  const gateway = createGatewayRuntime({
    supergraph,
    logging: false,
    // What the README asks of a router: forward the caller's credentials, add the router secret.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === 'uem-harmony' ? { authorization: request.headers.get('authorization'), 'x-gateway-router-secret': ROUTER_SECRET } : undefined,
    },
  });
  const server: Server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.dispose();
    },
  };
}

async function viaRouter<T>(query: string, as: string): Promise<{ data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] }> {
  const res = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${await gw.token(as)}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as never;
}

beforeAll(async () => {
  gw = await startTestGateway(SUBGRAPH_ENV);
  const [ada, omar] = await Promise.all([devicesOf(ADA), devicesOf(OMAR)]);
  const inGroup = (devices: OwnedDevice[], group: string) => devices.find((d) => d.organizationGroup.name === group)!.id;
  tickets = [
    { id: 'T-1', title: 'Screen cracked', deviceId: inGroup(ada, 'Production Devices'), requesterEmail: ADA },
    { id: 'T-2', title: 'Cannot sync mail', deviceId: inGroup(omar, 'Production Devices'), requesterEmail: OMAR },
    { id: 'T-3', title: 'Sandbox app crashes', deviceId: inGroup(omar, 'Sandbox Devices'), requesterEmail: OMAR },
    { id: 'T-4', title: 'Lab tablet lost', deviceId: inGroup(ada, 'Lab Devices'), requesterEmail: ADA },
  ];
  helpdesk = await startHelpdesk(tickets);
  // Our SDL as a router's composition reads it: `_service { sdl }` through the router's path.
  const sdl = expectData(await subgraph<{ _service: { sdl: string } }>(gw, '{ _service { sdl } }', { as: ADA }))._service.sdl;
  const composed = composeServices([
    { name: 'uem-harmony', typeDefs: parse(sdl), url: `${gw.url}/subgraph` },
    { name: 'helpdesk', typeDefs: HELPDESK_SDL, url: helpdesk.url },
  ]);
  expect(composed.errors?.map((e) => e.message) ?? []).toEqual([]);
  supergraphSdl = composed.supergraphSdl!;
  router = await startRouter(supergraphSdl);
}, 180_000);

afterAll(async () => {
  await router?.close();
  await helpdesk?.close();
  await gw?.close();
});

const JOIN = `{
  tickets {
    id
    title
    device { id friendlyName platform user { email harmonyUser { email roles { role { name } } } } }
    requester { email permissions }
  }
}`;

describe('the gateway as a subgraph of a supergraph', () => {
  it('composes with another team’s subgraph that references its entities', () => {
    const device = /type Device\b[^{]*/.exec(supergraphSdl)?.[0] ?? '';
    expect(device).toContain('@join__type(graph: UEM_HARMONY, key: "id")');
    expect(device).toContain('@join__type(graph: UEM_HARMONY, key: "serialNumber")');
    expect(device).toContain('@join__type(graph: HELPDESK, key: "id", resolvable: false)');
    expect(supergraphSdl).toMatch(/type HarmonyUser\b[^{]*@join__type\(graph: UEM_HARMONY, key: "email"\)/);
  });

  it('joins tickets to our devices and their Harmony owners, in one batched read of UEM', async () => {
    resetCounts(gw, ['uem:*']);
    const res = await viaRouter<{ tickets: { id: string; device: { id: string; user: { email: string; harmonyUser: { email: string; roles: unknown[] } | null } }; requester: { email: string; permissions: string[] } }[] }>(JOIN, ADA);
    expect(res.errors ?? []).toEqual([]);
    const rows = res.data!.tickets;
    expect(rows.map((t) => [t.id, t.device.id])).toEqual(tickets.map((t) => [t.id, t.deviceId]));
    expect(rows.map((t) => t.device.user.harmonyUser?.email)).toEqual([ADA, OMAR, OMAR, ADA]);
    expect(rows[0]!.device.user.harmonyUser!.roles.length).toBeGreaterThan(0);
    expect(rows.map((t) => t.requester)).toEqual([
      { email: ADA, permissions: expect.arrayContaining(['ADMIN']) },
      { email: OMAR, permissions: ['READ'] },
      { email: OMAR, permissions: ['READ'] },
      { email: ADA, permissions: expect.arrayContaining(['ADMIN']) },
    ]);
    const counts = upstreamCounts(gw);
    // Four devices: one POST /mdm/devices/id; owners and requesters: Harmony's lists, once each at most.
    expect(Object.entries(counts.byRoute).filter(([route]) => route.includes('/API/'))).toEqual([['POST /API/mdm/devices/id', 1]]);
    for (const n of Object.values(counts.byRoute)) expect(n, JSON.stringify(counts.byRoute)).toBe(1);
  });

  it('keeps the row scope through the router: a device the reader may not read is null, with no error, as device(id) answers it', async () => {
    const res = await viaRouter<{ tickets: { id: string; device: { id: string; friendlyName: string | null } }[] }>('{ tickets { id device { id friendlyName } } }', RITA);
    // rita reads Production only: T-1 and T-2; T-3 is in Sandbox, T-4 in the lab. The router keeps the
    // key it already had from the helpdesk; what only we know is null, and nothing says the device exists.
    expect(res.data?.tickets.map((t) => t.device.friendlyName === null)).toEqual([false, false, true, true]);
    const direct = await gw.gql(`{ device(id: "${tickets[2]!.deviceId}") { id } }`, { as: RITA });
    expect(direct.body).toEqual({ data: { device: null } });
    expect(res.errors).toBeUndefined();
  });

  it('keeps the router secret: the subgraph refuses a router that does not send it', async () => {
    const res = await subgraph(gw, '{ _service { sdl } }', { as: ADA, secret: null });
    expect(res.status).toBe(401);
  });
});
