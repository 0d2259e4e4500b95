/**
 * The environment filter when it cannot be pushed into UEM: two organization groups map to one
 * environment (ENV_MAP), so the gateway reads the matching devices once and filters them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const ADA = 'ada.admin@demo.example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ ENV_MAP: 'Production Devices=Production;Sandbox Devices=Production;Lab Devices=Development' });
});
afterAll(async () => {
  await gw?.close();
});

type Page = { devices: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string; environment: { name: string } }[] } };
const Q = `query P($filter: DeviceFilter, $after: String) {
  devices(filter: $filter, first: 300, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id environment { name } } }
}`;

describe('environment filter over several groups', () => {
  it('pages the devices of both groups, reading the matching devices once', async () => {
    const sim = gw.app.simulators.uem!;
    const filter = { environment: 'Production', platform: 'APPLE' };
    const expected = [...sim.state.devices.values()]
      .filter((d) => (d.locationGroupId === 571 || d.locationGroupId === 572) && d.platform === 'Apple')
      .map((d) => d.id)
      .sort((a, b) => a - b);
    sim.resetStats();
    const ids: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const data: Page = expectData(await gw.gql<Page>(Q, { as: ADA, variables: { filter, after } }), Q);
      expect(data.devices.totalCount).toBe(expected.length);
      expect(data.devices.nodes.every((n) => n.environment.name === 'Production')).toBe(true);
      ids.push(...data.devices.nodes.map((n) => Number(n.id)));
      if (!data.devices.pageInfo.hasNextPage) break;
      after = data.devices.pageInfo.endCursor;
    }
    expect(ids).toEqual(expected);
    const apple = [...sim.state.devices.values()].filter((d) => d.platform === 'Apple').length;
    // One scan of the Apple devices for every page (cached briefly), nothing per page.
    expect(sim.stats().byRoute['GET /API/mdm/devices/search']).toBe(Math.ceil(apple / 500));
  });
});
