/**
 * Memory bounded by design (issue 15): every request reserves its estimated peak heap (from the
 * operation's shape) against the process's memory budget before it executes, and holds it until
 * its response is sent. A request that does not fit now is refused with OVERLOADED (503,
 * `Retry-After`) instead of growing the heap; one larger than the whole budget is
 * QUERY_TOO_COMPLEX; a request body counts too, as it arrives. Exports run at most
 * EXPORT_MAX_CONCURRENT at once (more: OVERLOADED), their pages in admission slots.
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { operationMemory } from '../../../src/safety/memory.js';
import { walkContext } from '../../../src/safety/walk.js';
import { expectData, startTestGateway, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { exportGet } from '../export/export.kit.js';

const ADA = 'ada.admin@demo.example';
const DEVICE_SEARCH = 'GET /API/mdm/devices/search';
const page = (first: number) =>
  `{ devices(first: ${first}) { nodes { id uuid friendlyName model user { email userName } organizationGroup { name } tags { name } smartGroups { name } } } }`;

/** A budget that holds two 100-device pages and not three (whatever the estimate's weights). */
const BUDGET_MB = (() => {
  const document = parse(page(100));
  const operation = document.definitions[0] as OperationDefinitionNode;
  return Math.ceil((2.5 * operationMemory(buildSchema(), walkContext(document, operation, {}), operation, 500)) / 1024 / 1024);
})();

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ MEMORY_BUDGET_MB: String(BUDGET_MB), EXPORT_MAX_CONCURRENT: '1', MAX_BODY_BYTES: String(BUDGET_MB * 1024 * 1024) });
  expectData(await gw.gql('{ viewer { email } }', { as: ADA }));
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

const uem = () => gw.app.simulators.uem!;

/** The most bytes of the budget reserved at once since the previous scrape. */
async function reservedBytes(): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  return Number(/^gateway_memory_reserved_bytes (\d+)/m.exec(text)?.[1] ?? NaN);
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the memory budget', () => {
  let estimate = 0;

  it('reports the estimate and the budget in the cost report', async () => {
    const result = await gw.gql<unknown>(page(100), { as: ADA, headers: { 'x-gateway-cost': '1' } });
    expectData(result);
    const cost = (result.body as { extensions?: { cost?: { memory?: { estimatedBytes: number; budgetBytes: number } } } }).extensions?.cost;
    expect(cost?.memory?.budgetBytes).toBe(BUDGET_MB * 1024 * 1024);
    estimate = cost?.memory?.estimatedBytes ?? 0;
    // Two such pages fit the budget, three do not (the test below relies on it).
    expect(2 * estimate + 64 * 1024).toBeLessThan(BUDGET_MB * 1024 * 1024);
    expect(3 * estimate).toBeGreaterThan(BUDGET_MB * 1024 * 1024);
  });

  it('refuses with QUERY_TOO_COMPLEX an operation larger than the whole budget', async () => {
    const result = await gw.gql(page(500), { as: ADA });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'memoryBytes', max: BUDGET_MB * 1024 * 1024 });
  });

  it('refuses with OVERLOADED (503, Retry-After) what does not fit while the budget is held, and serves again once it is released', async () => {
    uem().setFaults({ latencyMs: 1_500, routes: [DEVICE_SEARCH] });
    let held: Promise<GqlResult>[] = [];
    try {
      held = [gw.gql(page(100), { as: ADA }), gw.gql(page(100), { as: ADA })];
      await until(async () => (await reservedBytes()) >= 2 * estimate, 'two requests to reserve their estimate');

      const refused = await gw.gql(page(100), { as: ADA });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'OVERLOADED', reason: 'memory', retryAfterSeconds: 1 });
      expect(refused.body.data ?? null).toBeNull();

      // A request body counts as it arrives: one as large as what is left does not fit either.
      const left = BUDGET_MB * 1024 * 1024 - 2 * estimate;
      const big = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await gw.token(ADA)}` },
        body: JSON.stringify({ query: '{ viewer { email } }', variables: { pad: 'x'.repeat(left) } }),
      });
      expect(big.status).toBe(503);
      expect(((await big.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toMatchObject({ code: 'OVERLOADED', reason: 'memory' });
    } finally {
      for (const result of await Promise.all(held)) expectData(result);
      uem().clearFaults();
    }
    await until(async () => (await reservedBytes()) === 0, 'the budget to be released');
    expectData(await gw.gql(page(100), { as: ADA }));
  });
});

describe('exports', () => {
  it('run at most EXPORT_MAX_CONCURRENT at once: another is refused with OVERLOADED until one ends', async () => {
    const searches = () => uem().stats().byRoute[DEVICE_SEARCH] ?? 0;
    const before = searches();
    uem().setFaults({ latencyMs: 1_000, routes: [DEVICE_SEARCH] });
    try {
      const first = exportGet(gw, { query: '{ devices { nodes { id friendlyName } } }' });
      await until(async () => searches() > before, 'the first export to start reading');
      const second = await exportGet(gw, { query: '{ devices { nodes { id } } }' });
      expect(second.status, second.describe()).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1');
      expect(second.errors()[0]?.extensions).toMatchObject({ code: 'OVERLOADED', reason: 'exports', max: 1 });
      const done = await first;
      expect(done.status, done.describe()).toBe(200);
      expect(done.text.split('\r\n').filter(Boolean).length).toBeGreaterThan(100);
    } finally {
      uem().clearFaults();
    }
    const third = await exportGet(gw, { query: '{ devices { nodes { id } } }' });
    expect(third.status, third.describe()).toBe(200);
    await until(async () => (await reservedBytes()) === 0, 'the exports to release their memory');
  });
});
