/**
 * The admission limit (MAX_CONCURRENT_REQUESTS): past it, GraphQL requests wait their turn instead
 * of all executing at once, and a request whose client leaves while waiting never executes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

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
    const started = performance.now();
    const finished: number[] = [];
    await Promise.all([2, 3, 4].map(async (id) => {
      expectData(await gw.gql(QUERY(id), { as: ADA }));
      finished.push(performance.now() - started);
    }));
    finished.sort((a, b) => a - b);
    // Each waited for the one before it: about 300 ms apart, not all done at once.
    expect(finished[2]! - finished[0]!).toBeGreaterThan(450);
  });

  it('drops a waiting request whose client went away', async () => {
    const uem = gw.app.simulators.uem!;
    uem.resetStats();
    const token = await gw.token(ADA);
    const first = gw.gql(QUERY(5), { as: ADA });
    await new Promise((r) => setTimeout(r, 50));
    const abort = new AbortController();
    const second = fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ uemUser(id: "5006") { userName } }' }),
      signal: abort.signal,
    }).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await second;
    expectData(await first);
    await new Promise((r) => setTimeout(r, 400));
    const userReads = () => Object.entries(uem.stats().byRoute).filter(([route]) => /users\/\{id\}|users\/search/i.test(route)).reduce((n, [, c]) => n + c, 0);
    // The abandoned request never executed: no enrollment-user read reached UEM.
    expect(userReads()).toBe(0);
    // The same query from a client that waits does.
    expectData(await gw.gql('{ uemUser(id: "5006") { userName } }', { as: ADA }));
    expect(userReads()).toBeGreaterThan(0);
  });
});
