/**
 * APQ with Apollo Client as a real client: its persisted-query link sends the hash alone, gets
 * PERSISTED_QUERY_NOT_FOUND from the gateway, resends hash plus text (registering it), and later
 * clients — GET requests included — are answered from the hash alone.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const sha256 = async (query: string) => createHash('sha256').update(query).digest('hex');

/** An Apollo Client whose fetch goes through the gateway and records what was sent. */
async function client(useGETForHashedQueries: boolean, sent: { method: string; hasQuery: boolean }[]) {
  const token = await gw.token('rita.reader@demo.example');
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = String(input);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { query?: string }) : undefined;
    sent.push({ method: init?.method ?? 'GET', hasQuery: body ? typeof body.query === 'string' : url.includes('query=') });
    return fetch(input, init);
  };
  const link = createPersistedQueryLink({ sha256, useGETForHashedQueries }).concat(
    new HttpLink({ uri: `${gw.url}/graphql`, fetch: recordingFetch, headers: { authorization: `Bearer ${token}` } }),
  );
  return new ApolloClient({ link, cache: new InMemoryCache(), defaultOptions: { query: { fetchPolicy: 'no-cache' } } });
}

const QUERY = gql`
  query ApqDevices {
    viewer {
      email
    }
    devices(first: 2) {
      totalCount
      nodes {
        id
      }
    }
  }
`;

describe('APQ with Apollo Client', () => {
  it('registers on a miss, then answers from the hash alone (POST and GET)', async () => {
    const first: { method: string; hasQuery: boolean }[] = [];
    const a = await client(false, first);
    const result = await a.query<{ viewer: { email: string }; devices: { nodes: unknown[] } }>({ query: QUERY });
    expect(result.data.viewer.email).toBe('rita.reader@demo.example');
    expect(result.data.devices.nodes).toHaveLength(2);
    // Hash alone (miss), then hash plus text.
    expect(first.map((s) => s.hasQuery)).toEqual([false, true]);

    const second: { method: string; hasQuery: boolean }[] = [];
    const b = await client(true, second);
    const again = await b.query<{ viewer: { email: string } }>({ query: QUERY });
    expect(again.data.viewer.email).toBe('rita.reader@demo.example');
    // A new client: the hash alone, over GET, is enough now.
    expect(second).toEqual([{ method: 'GET', hasQuery: false }]);
  });
});
