/**
 * Issue 18, job 6: the API-only role (seed 000) at query time. When UEM refuses a call because the
 * gateway's admin account lacks one of the role's permission categories, the failed field is null
 * with an error naming the category and the fix, as `npm run doctor` does; the rest of the answer
 * stands. A caller who reads nothing never meets the gateway account's problem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { devicesIn, show } from '../../helpers/matrix.kit.js';
import { ADA, LENA, RITA } from '../../helpers/matrix.table.js';

const DEVICE = `query D($id: ID!) { device(id: $id) { id friendlyName compliance { status } tags { name } } }`;
type D = { device: { id: string; friendlyName: string; compliance: unknown; tags: unknown } | null };

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({}, { simulators: { uem: { missingPermissions: ['compliance', 'tags'] } } });
}, 120_000);
afterAll(async () => {
  await gw?.close();
});

describe('a permission category missing from the API admin role', () => {
  it.each([ADA, RITA])('names the category and the fix on the fields it fails, for %s', async (persona) => {
    const [id] = devicesIn(gw, 'Production', 1);
    const result = await gw.gql<D>(DEVICE, { as: persona, variables: { id } });
    expect(result.body.data?.device, show(persona, result)).toMatchObject({ id, friendlyName: expect.any(String), compliance: null, tags: null });
    const byPath = Object.fromEntries((result.body.errors ?? []).map((e) => [e.path?.join('.'), e]));
    expect(Object.keys(byPath).sort(), show(persona, result)).toEqual(['device.compliance', 'device.tags']);
    for (const [path, label] of [['device.compliance', 'Device Management > Compliance'], ['device.tags', 'Settings > Tags > Tags']] as const) {
      expect(byPath[path]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem', upstreamCode: 1016, reason: 'UEM_ROLE_CATEGORY_MISSING', roleCategory: label });
      expect(byPath[path]!.message).toContain(`lacks the permission category ${label}`);
      expect(byPath[path]!.message).toContain(`Accounts > Administrators > Roles) and set ${label} to Edit`);
      expect(byPath[path]!.message).not.toMatch(/credentials/);
    }
  });

  it('a caller who reads no environment gets an empty list: nothing asked of UEM, nothing to name', async () => {
    const LIST = `{ devices(first: 3) { totalCount nodes { id compliance { status } tags { name } } } }`;
    const result = await gw.gql<{ devices: { totalCount: number; nodes: unknown[] } }>(LIST, { as: LENA });
    expect(result.body, show(LENA, result)).toEqual({ data: { devices: { totalCount: 0, nodes: [] } } });
  });
});
