/**
 * The admission limit (MAX_CONCURRENT_REQUESTS): past it, GraphQL requests wait their turn instead
 * of all executing at once, and a request whose client leaves while waiting never executes.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { waitFor } from '../../helpers/wait.js';

let gw: TestGateway;
const ADA = 'ada.admin@demo.example';
// A UEM read on every request (a device by id is not cached across requests).
const QUERY = (id: number) => `{ device(id: "${id}") { id friendlyName } }`;

beforeAll(async () => {
  gw = await startTestGateway({ MAX_CONCURRENT_REQUESTS: '1' });
  expectData(await gw.gql(QUERY(1), { as: ADA }));
  gw.app.simulators.uem!.setFaults({ latencyMs: 300 });
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

describe('admission', () => {
  it('runs one request at a time when the limit is 1', async () => {
    const uem = gw.app.simulators.uem!;
    uem.resetStats();
    await Promise.all([2, 3, 4].map(async (id) => expectData(await gw.gql(QUERY(id), { as: ADA }))));
    // Each device read takes 300 ms at UEM: had the three requests run at once, UEM would have
    // held three of them at the same time.
    const reads = Object.entries(uem.stats().peakInFlight).filter(([route]) => route.includes('devices'));
    expect(reads.length, JSON.stringify(uem.stats())).toBeGreaterThan(0);
    for (const [route, peak] of reads) expect(peak, route).toBe(1);
  });

  it('drops a waiting request whose client went away', async () => {
    const uem = gw.app.simulators.uem!;
    uem.resetStats();
    const token = await gw.token(ADA);
    const first = gw.gql(QUERY(5), { as: ADA });
    await waitFor('the first request to be executing', () => uem.stats().total > 0);
    const abort = new AbortController();
    // A client of its own, whose statistics show when the request is on the wire.
    const agent = new Agent();
    const second = undiciFetch(`${gw.url}/graphql`, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ uemUser(id: "5006") { userName } }' }),
      signal: abort.signal,
    }).catch((err: unknown) => err);
    // Connected and sent, waiting for its answer (queued behind the first): then the client leaves.
    await waitFor('the second request to be sent', () => Object.values(agent.stats).some((s) => s.running > 0));
    abort.abort();
    await second;
    await agent.close();
    expectData(await first);
    // Admission is first in, first out: once a later request has run, the abandoned one has had its turn.
    expectData(await gw.gql(QUERY(6), { as: ADA }));
    const userReads = () => Object.entries(uem.stats().byRoute).filter(([route]) => /users\/\{id\}|users\/search/i.test(route)).reduce((n, [, c]) => n + c, 0);
    // The abandoned request never executed: no enrollment-user read reached UEM.
    expect(userReads()).toBe(0);
    // The same query from a client that waits does.
    expectData(await gw.gql('{ uemUser(id: "5006") { userName } }', { as: ADA }));
    expect(userReads()).toBeGreaterThan(0);
  });
});
