/**
 * The upstream-request budgets of the upstream-layer issue, exactly as stated there: default demo
 * dataset, a freshly started gateway for each operation, called as ada.admin, counting everything
 * the request causes at the simulators, resolving the caller's own permissions included.
 */
import { describe, expect, it } from 'vitest';
import { expectData, startTestGateway } from '../../helpers/gateway.js';

const BUDGETS: { query: string; uem: number; harmony: number }[] = [
  { query: '{ devices(first: 100) { nodes { id platform user { userName email } } } }', uem: 1, harmony: 3 },
  { query: '{ devices(first: 100) { nodes { id user { firstName lastName status } } } }', uem: 3, harmony: 3 },
  {
    query: '{ harmonyUsers(first: 50) { nodes { email roles { role { name permissions environmentAccess { environment { name } levels } } } } } }',
    uem: 0,
    harmony: 4,
  },
  { query: '{ harmonyUsers(first: 50) { nodes { email uemUser { devices { nodes { complianceStatus } } } } } }', uem: 10, harmony: 4 },
];

describe('upstream request budgets on a freshly started gateway', () => {
  for (const budget of BUDGETS) {
    it(`${budget.query.slice(0, 90)}… within ${budget.uem} UEM + ${budget.harmony} Harmony`, async () => {
      const gw = await startTestGateway();
      try {
        const { uem, harmony } = gw.app.simulators;
        uem!.resetStats();
        harmony!.resetStats();
        expectData(await gw.gql(budget.query, { as: 'ada.admin@demo.example' }), budget.query);
        const cost = { uem: uem!.stats(), harmony: harmony!.stats() };
        expect(cost.uem.total, JSON.stringify(cost)).toBeLessThanOrEqual(budget.uem);
        expect(cost.harmony.total, JSON.stringify(cost)).toBeLessThanOrEqual(budget.harmony);
      } finally {
        await gw.close();
      }
    });
  }
});
