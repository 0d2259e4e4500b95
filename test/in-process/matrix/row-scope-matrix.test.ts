/**
 * Row scope of UEM reads (docs/design.md §4), every Harmony persona against the table's readInventory
 * cell: devices outside the persona's environments are absent from lists and counts, and
 * `device(id)` of one answers exactly like a device UEM does not have (issue 18 cell 11:
 * leaks-and-counts.test.ts goes through the other paths). A persona with no environment sees
 * nothing (refused at the root, or an empty answer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { allows, ENVIRONMENTS, envsOf, GROUP_OF, HARMONY_PERSONAS, type Env } from '../../helpers/matrix.table.js';
import { asPersona, devicesIn, show } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

/** How many devices the simulator holds in the environments (admins: every device). */
function countIn(envs: readonly Env[], everything: boolean): number {
  const groups = new Set(envs.map((e) => GROUP_OF[e]));
  return [...gw.app.simulators.uem!.state.devices.values()].filter((d) => everything || groups.has(d.locationGroupId)).length;
}
const isAdmin = (persona: string) => allows(persona, 'readSensitiveIdentifiers');

type Page = { devices: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string; environment: { name: string } | null }[] } };
const PAGE = `query P($after: String) { devices(first: 500, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id environment { name } } } }`;

describe.each(HARMONY_PERSONAS)('row scope for %s', (persona) => {
  const envs = envsOf(persona, 'readInventory');

  it('lists and counts only devices of the table’s environments', async () => {
    const first = await asPersona<Page>(gw, persona, PAGE);
    if (envs.length === 0) {
      const refused = (first.body.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.[0] === 'devices');
      if (!refused) expect(expectData(first, PAGE).devices, show(persona, first)).toMatchObject({ totalCount: 0, nodes: [] });
      return;
    }
    let page = expectData(first, PAGE).devices;
    const seen = new Set<string>();
    for (;;) {
      for (const n of page.nodes) {
        if (!isAdmin(persona)) expect(envs, `device ${n.id}`).toContain(n.environment?.name);
        seen.add(n.environment?.name ?? '(none)');
      }
      if (!page.pageInfo.hasNextPage) break;
      page = expectData(await asPersona<Page>(gw, persona, PAGE, { after: page.pageInfo.endCursor }), PAGE).devices;
    }
    for (const env of envs) expect(seen, env).toContain(env);
    expect(page.totalCount).toBe(countIn(envs, isAdmin(persona)));
  });

  it('answers device(id) in its environments, and elsewhere exactly as for a device UEM does not have', async () => {
    const QUERY = `query D($id: ID!) { device(id: $id) { id friendlyName } }`;
    const missing = await asPersona(gw, persona, QUERY, { id: '999999999' });
    for (const env of ENVIRONMENTS) {
      const [id] = devicesIn(gw, env, 1, 3);
      const result = await asPersona<{ device: { id: string } | null }>(gw, persona, QUERY, { id });
      if (allows(persona, 'readInventory', env)) {
        expect(expectData(result, QUERY).device?.id, show(`${persona} ${env}`, result)).toBe(id);
      } else {
        expect(result.body, show(`${persona} ${env}`, result)).toEqual(missing.body);
      }
    }
  });

  it('counts only those devices in deviceSummary', async () => {
    const QUERY = `{ deviceSummary { totalCount } }`;
    const result = await asPersona<{ deviceSummary: { totalCount: number } }>(gw, persona, QUERY);
    if (envs.length === 0 && (result.body.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN')) return;
    expect(expectData(result, QUERY).deviceSummary.totalCount, show(persona, result)).toBe(countIn(envs, isAdmin(persona)));
  });
});
