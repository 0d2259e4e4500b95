/**
 * `organizationGroups` (issue 18, job 2): the groups a caller may read, with parent, children and
 * the Harmony environment each maps to, checked against the simulator's raw groups; every group
 * listed is one the device filter's `organizationGroupId` takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { asPersona } from '../../helpers/matrix.kit.js';

const ADA = 'ada.admin@demo.example';
const RITA = 'rita.reader@demo.example';
const OMAR = 'omar.operator@demo.example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

const GROUPS = `query Groups($search: String, $environment: String, $first: Int, $after: String) {
  organizationGroups(search: $search, environment: $environment, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name groupId type parent { id name } children { id name } environment { id name } }
  }
}`;
type Group = { id: string; name: string; groupId: string; type: string; parent: { id: string; name: string } | null; children: { id: string }[]; environment: { id: string; name: string } | null };
type Groups = { organizationGroups: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Group[] } };

const list = async (as: string, variables: Record<string, unknown> = {}) => expectData(await gw.gql<Groups>(GROUPS, { as, variables }), GROUPS).organizationGroups;
const envName = (g: Group) => g.environment?.name ?? null;

describe('organizationGroups', () => {
  it('lists every group for ADMIN, with its parent, children and environment', async () => {
    const raw = [...gw.app.simulators.uem!.state.orgGroups.values()].sort((a, b) => a.id - b.id);
    const groups = await list(ADA);
    expect(groups.totalCount).toBe(raw.length);
    expect(groups.nodes.map((g) => [Number(g.id), g.name, g.groupId, g.parent?.id ?? null])).toEqual(raw.map((g) => [g.id, g.name, g.groupId, g.parentId === null ? null : String(g.parentId)]));
    const top = groups.nodes[0]!;
    expect(top).toMatchObject({ id: '570', type: 'Customer', parent: null, environment: null });
    expect(top.children.map((c) => c.id)).toEqual(['571', '572', '573']);
    expect(groups.nodes.slice(1).map((g) => [g.name, envName(g), g.parent?.name, g.children])).toEqual([
      ['Production Devices', 'Production', 'Demo Organization', []],
      ['Sandbox Devices', 'Sandbox', 'Demo Organization', []],
      ['Lab Devices', 'Development', 'Demo Organization', []],
    ]);
  });

  it('shows others only the groups whose devices they may read', async () => {
    const rita = await list(RITA);
    expect(rita.nodes.map((g) => [g.name, envName(g)])).toEqual([['Production Devices', 'Production']]);
    // Its parent, the organization (unmapped, no device rita may read), is not there for her.
    expect(rita.nodes[0]!.parent).toBeNull();
    const omar = await list(OMAR);
    expect(omar.nodes.map((g) => g.name)).toEqual(['Production Devices', 'Sandbox Devices']);
    expect(omar.totalCount).toBe(2);
    // lena reads no environment: an empty list, not an error.
    expect(await list('lena.logs@demo.example')).toMatchObject({ totalCount: 0, nodes: [] });
  });

  it('lists exactly what the device filter takes', async () => {
    const Q = 'query D($og: ID) { devices(first: 1, filter: { organizationGroupId: $og }) { totalCount } }';
    for (const g of (await list(RITA)).nodes) {
      const count = expectData(await gw.gql<{ devices: { totalCount: number } }>(Q, { as: RITA, variables: { og: g.id } })).devices.totalCount;
      const raw = [...gw.app.simulators.uem!.state.devices.values()].filter((d) => d.locationGroupId === Number(g.id)).length;
      expect(count).toBe(raw);
      expect(count).toBeGreaterThan(0);
    }
  });

  it('searches by name or group id, filters by environment, and pages', async () => {
    expect((await list(ADA, { search: ' SANDBOX ' })).nodes.map((g) => g.id)).toEqual(['572']);
    expect((await list(ADA, { search: 'demo-lab' })).nodes.map((g) => g.id)).toEqual(['573']);
    expect((await list(ADA, { environment: 'development' })).nodes.map((g) => g.name)).toEqual(['Lab Devices']);
    expect((await list(OMAR, { search: 'devices', environment: 'Sandbox' })).nodes.map((g) => g.name)).toEqual(['Sandbox Devices']);
    const first = await list(ADA, { first: 3 });
    const rest = await list(ADA, { first: 3, after: first.pageInfo.endCursor });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...first.nodes, ...rest.nodes].map((g) => g.id)).toEqual(['570', '571', '572', '573']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('answers an environment the caller may not read like one that does not exist', async () => {
    const unreadable = await gw.gql(GROUPS, { as: RITA, variables: { environment: 'Sandbox' } });
    const unknown = await gw.gql(GROUPS, { as: RITA, variables: { environment: 'Nowhere' } });
    expect(errorCodes(unreadable)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unreadable.body.errors?.[0]?.message.replace('Sandbox', 'X')).toBe(unknown.body.errors?.[0]?.message.replace('Nowhere', 'X'));
  });

  it('is refused to a principal who reads no inventory', async () => {
    // AGENT_INSTALL alone sends no free text: through a registered document, the field is refused.
    const result = await asPersona(gw, 'agnes.agent@demo.example', GROUPS);
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.body.data).toEqual({ organizationGroups: null });
  });
});
