/**
 * Upstream request budgets of the UEM side (issue 5), counted at the simulators on the default demo
 * dataset, as ada.admin after start-up. Each budget starts with the UEM reference caches empty, so
 * it measures the cold cost; the principal's Harmony data may be warm (start-up and earlier calls).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';

const ADA = 'ada.admin@demo.example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
  // After start-up: the caller's principal is resolved once, as it would be for any first request.
  expectData(await gw.gql('{ viewer { email } }', { as: ADA }));
});
afterAll(async () => {
  await gw?.close();
});

/** A non-empty list, a connection with nodes, or an object. */
function hasRows(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return 'nodes' in value ? hasRows((value as { nodes: unknown }).nodes) : true;
  return false;
}

async function measure(query: string): Promise<{ uem: number; harmony: number; byRoute: Record<string, number> }> {
  gw.app.services.cache.invalidate('uem:*');
  const { uem, harmony } = gw.app.simulators as { uem: NonNullable<typeof gw.app.simulators.uem>; harmony: NonNullable<typeof gw.app.simulators.harmony> };
  uem.resetStats();
  harmony.resetStats();
  const data = expectData(await gw.gql(query, { as: ADA }), query);
  // A budget holds trivially for an empty answer: every root field must have brought rows.
  for (const [field, value] of Object.entries(data)) expect(hasRows(value), `${field} answered no rows: ${JSON.stringify(value)}`).toBe(true);
  return { uem: uem.stats().total, harmony: harmony.stats().total, byRoute: { ...uem.stats().byRoute, ...harmony.stats().byRoute } };
}

describe('UEM request budgets', () => {
  it('devices with user name and email: 1 UEM request', async () => {
    const cost = await measure('{ devices(first: 100) { nodes { id platform user { userName email } } } }');
    expect(cost.uem, JSON.stringify(cost.byRoute)).toBeLessThanOrEqual(1);
  });

  it('devices with user first/last name and status: at most 3 UEM requests', async () => {
    const cost = await measure('{ devices(first: 100) { nodes { id user { firstName lastName status } } } }');
    expect(cost.uem, JSON.stringify(cost.byRoute)).toBeLessThanOrEqual(3);
  });

  it('harmony users with their UEM devices: at most 10 UEM and 4 Harmony requests', async () => {
    const q = '{ harmonyUsers(first: 50) { nodes { email uemUser { devices { nodes { complianceStatus } } } } } }';
    const cost = await measure(q);
    expect(cost.uem, JSON.stringify(cost.byRoute)).toBeLessThanOrEqual(10);
    expect(cost.harmony, JSON.stringify(cost.byRoute)).toBeLessThanOrEqual(4);
  });

  it('a page of devices with apps and compliance: one request per device and relation, no more', async () => {
    const cost = await measure('{ devices(first: 20) { nodes { id apps { name status } compliance { status } organizationGroup { name groupId } } } }');
    // 1 search + 20 apps + 20 compliance + 1 group list.
    expect(cost.uem, JSON.stringify(cost.byRoute)).toBeLessThanOrEqual(42);
  });
});
