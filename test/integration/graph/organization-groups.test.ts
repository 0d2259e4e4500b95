/**
 * `organizationGroups` over a deeper tree than the demo's (issue 18, job 2): nested groups mapped
 * to environments by ENV_MAP, one unmapped, and each caller's children cut to what they may read.
 * Its own gateway: the added groups change the row scope of everything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENV_MAP } from '../../../src/config.js';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ ENV_MAP: `${DEMO_ENV_MAP};Production Kiosks=Production;Sandbox Kiosks=Sandbox` });
  const { orgGroups } = gw.app.simulators.uem!.state;
  const base = { type: 'Container' as const, createdOn: Date.UTC(2025, 0, 1), country: 'United States', locale: 'en-US' };
  orgGroups.set(574, { ...base, id: 574, uuid: 'og-574', name: 'Production Kiosks', groupId: 'prod-kiosks', parentId: 571 });
  orgGroups.set(575, { ...base, id: 575, uuid: 'og-575', name: 'Sandbox Kiosks', groupId: 'sandbox-kiosks', parentId: 571 });
  orgGroups.set(576, { ...base, id: 576, uuid: 'og-576', name: 'Unmapped Shelf', groupId: 'shelf', parentId: 574 });
});
afterAll(async () => {
  await gw?.close();
});

const GROUPS = `{ organizationGroups(first: 50) { totalCount nodes { id name parent { id } children { id } environment { name } } } }`;
type Groups = { organizationGroups: { totalCount: number; nodes: { id: string; name: string; parent: { id: string } | null; children: { id: string }[]; environment: { name: string } | null }[] } };
const tree = async (as: string) =>
  expectData(await gw.gql<Groups>(GROUPS, { as }), GROUPS).organizationGroups.nodes.map((g) => [g.id, g.parent?.id ?? null, g.children.map((c) => c.id), g.environment?.name ?? null]);

describe('organizationGroups in a nested tree', () => {
  it('shows ADMIN the whole tree with each group’s own environment', async () => {
    expect(await tree('ada.admin@demo.example')).toEqual([
      ['570', null, ['571', '572', '573'], null],
      ['571', '570', ['574', '575'], 'Production'],
      ['572', '570', [], 'Sandbox'],
      ['573', '570', [], 'Development'],
      ['574', '571', ['576'], 'Production'],
      ['575', '571', [], 'Sandbox'],
      ['576', '574', [], null],
    ]);
  });

  it('cuts children and parents to the groups the caller may read', async () => {
    // rita reads Production: not the Sandbox group below a Production one, nor the unmapped shelf,
    // nor the organization at the top (no device of hers is in it).
    expect(await tree('rita.reader@demo.example')).toEqual([
      ['571', null, ['574'], 'Production'],
      ['574', '571', [], 'Production'],
    ]);
    // omar reads Production and Sandbox.
    expect(await tree('omar.operator@demo.example')).toEqual([
      ['571', null, ['574', '575'], 'Production'],
      ['572', null, [], 'Sandbox'],
      ['574', '571', [], 'Production'],
      ['575', '571', [], 'Sandbox'],
    ]);
  });
});
