/**
 * A second subgraph for the supergraph test: a small helpdesk whose tickets reference our devices
 * (by UEM id) and their requesters (Harmony users, by email). A real Federation v2 subgraph served
 * over loopback HTTP, as another team's service would be.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@graphql-tools/federation';
import { parse } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

export interface Ticket {
  id: string;
  title: string;
  deviceId: string;
  requesterEmail: string;
}

export const HELPDESK_SDL = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    tickets: [Ticket!]!
  }

  type Ticket @key(fields: "id") {
    id: ID!
    title: String!
    device: Device
    requester: HarmonyUser
  }

  type Device @key(fields: "id", resolvable: false) {
    id: ID!
  }

  type HarmonyUser @key(fields: "email", resolvable: false) {
    email: String!
  }
`);

export async function startHelpdesk(tickets: readonly Ticket[]): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  const schema = buildSubgraphSchema({
    typeDefs: HELPDESK_SDL,
    resolvers: {
      Query: { tickets: () => tickets },
      Ticket: {
        device: (t: Ticket) => ({ __typename: 'Device', id: t.deviceId }),
        requester: (t: Ticket) => ({ __typename: 'HarmonyUser', email: t.requesterEmail }),
      },
    },
  });
  const handle = createHandler({ schema });
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
