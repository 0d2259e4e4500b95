/**
 * Issue 18's permission cells 11 and 12, every Harmony persona against the table's readInventory
 * cell (decided by the access service, src/auth/access/):
 *
 * - 11, no existence or environment leaks: a device the persona may not read answers exactly like a
 *   device UEM does not have, in `device(id)` (row-scope-matrix.test.ts), in command results and in
 *   writes naming an organization group; no message names an environment the persona can't read.
 * - 12, scoped counts: every count a persona sees (organization group device and user counts, smart
 *   group and tag device counts, app install counts) counts only what that persona could list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { ADA, allows, ENVIRONMENTS, GROUP_OF, HARMONY_PERSONAS, type Env as Env_ } from '../../helpers/matrix.table.js';
import { devicesIn, show } from '../../helpers/matrix.kit.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

const MISSING = '999999999';
const sim = () => gw.app.simulators.uem!.state;

/** Every message of an answer (errors and per-item results). */
function messages(result: GqlResult<unknown>): string[] {
  const found: string[] = (result.body.errors ?? []).map((e) => e.message);
  JSON.stringify(result.body.data ?? null, (key, value: unknown) => {
    if (key === 'message' && typeof value === 'string') found.push(value);
    return value;
  });
  return found;
}

/** No message names an environment the persona can't read. */
function expectNoForeignEnvironment(persona: string, result: GqlResult<unknown>, label: string): void {
  const hidden = ENVIRONMENTS.filter((env) => !allows(persona, 'readInventory', env));
  for (const message of messages(result)) for (const env of hidden) expect(message, show(label, result)).not.toMatch(new RegExp(`\\b${env}\\b`));
}

describe.each(HARMONY_PERSONAS)('cell 11 (no existence or environment leaks) for %s', (persona) => {
  it('gives a device it may not read the command result of a device UEM does not have, and names no foreign environment', async () => {
    const MUTATION = `mutation M($ids: [ID!]!) { sendDeviceCommand(input: { command: LOCK, deviceIds: $ids, dryRun: true }) {
      results { deviceId status errorCode message } } }`;
    type Payload = { sendDeviceCommand: { results: { deviceId: string; status: string; errorCode: string | null; message: string | null }[] } | null };
    const ids = [...ENVIRONMENTS.map((env) => devicesIn(gw, env, 1, 5)[0]!), MISSING];
    const result = await gw.gql<Payload>(MUTATION, { as: persona, variables: { ids } });
    expectNoForeignEnvironment(persona, result, `${persona} LOCK`);
    const results = result.body.data?.sendDeviceCommand?.results;
    if (!results) return; // refused as a whole (no command capability anywhere): nothing per device to compare
    const missing = results.find((r) => r.deviceId === MISSING)!;
    expect(missing).toMatchObject({ status: 'FAILED', errorCode: 'NOT_FOUND' });
    ENVIRONMENTS.forEach((env, i) => {
      const r = results[i]!;
      if (!allows(persona, 'readInventory', env)) expect(r, show(`${persona} ${env}`, result)).toEqual({ ...missing, deviceId: ids[i] });
      else if (allows(persona, 'sendStateChangingCommand', env)) expect(r.status).toBe('WOULD_SEND');
      else expect(r, show(`${persona} ${env}`, result)).toMatchObject({ status: 'SKIPPED', errorCode: 'FORBIDDEN' });
    });
  });

  it('sees no foreign environment on the organization-wide catalog (tags’ and smart groups’ groups)', async () => {
    const QUERY = `{ tags(first: 100) { nodes { organizationGroup { environment { name } } } }
      smartGroups(first: 100) { nodes { managedBy { environment { name } } } } }`;
    type Env = { environment: { name: string } | null } | null;
    type Data = { tags: { nodes: { organizationGroup: Env }[] }; smartGroups: { nodes: { managedBy: Env }[] } } | null;
    const names = async (as: string) => {
      const data = (await gw.gql<Data>(QUERY, { as })).body.data;
      const groups = [...(data?.tags?.nodes.map((t) => t.organizationGroup) ?? []), ...(data?.smartGroups?.nodes.map((g) => g.managedBy) ?? [])];
      return new Set(groups.flatMap((g) => (g?.environment ? [g.environment.name] : [])));
    };
    const everyone = await names(ADA);
    expect(everyone.size, 'the demo catalog spans environments').toBeGreaterThan(1);
    const seen = await names(persona);
    for (const env of seen) expect(allows(persona, 'readInventory', env as Env_)).toBe(true);
  });

  it('treats an organization group it may not read as one UEM does not have when creating a tag', async () => {
    const MUTATION = `mutation C($group: ID!) { createTag(name: "cell-11 probe", organizationGroupId: $group) { __typename } }`;
    const unknown = await gw.gql(MUTATION, { as: persona, variables: { group: MISSING } });
    for (const env of ENVIRONMENTS) {
      if (allows(persona, 'readInventory', env)) continue;
      const group = String(GROUP_OF[env]);
      const result = await gw.gql(MUTATION, { as: persona, variables: { group } });
      const codes = (r: GqlResult<unknown>) => (r.body.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.reason, e.message.replace(group, MISSING)]);
      expect(codes(result), show(`${persona} ${env}`, result)).toEqual(codes(unknown));
    }
  });
});

/** Every device and enrollment-user id the persona can list, paging to the end. */
async function listed(persona: string, field: 'devices' | 'uemUsers'): Promise<Set<number>> {
  const QUERY = `query L($after: String) { ${field}(first: 500, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }`;
  type Page = Record<string, { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string }[] }>;
  const ids = new Set<number>();
  let after: string | null = null;
  do {
    const page: Page[string] = expectData(await gw.gql<Page>(QUERY, { as: persona, variables: { after } }), QUERY)[field]!;
    for (const n of page.nodes) ids.add(Number(n.id));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return ids;
}

const countIn = (ids: Iterable<number>, visible: ReadonlySet<number>) => [...ids].filter((id) => visible.has(id)).length;

describe.each(HARMONY_PERSONAS.filter((p) => allows(p, 'readInventory')))('cell 12 (scoped counts) for %s', (persona) => {
  let devices: Set<number>;
  let users: Set<number>;
  beforeAll(async () => {
    [devices, users] = await Promise.all([listed(persona, 'devices'), listed(persona, 'uemUsers')]);
  });

  it('counts in each organization group only the devices and users it can list', async () => {
    const QUERY = `{ organizationGroups(first: 100) { nodes { id deviceCount userCount } } }`;
    type Data = { organizationGroups: { nodes: { id: string; deviceCount: number; userCount: number }[] } };
    const groups = expectData(await gw.gql<Data>(QUERY, { as: persona }), QUERY).organizationGroups.nodes;
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      const subtree = sim().groupWithDescendants(Number(g.id))!;
      const inTree = (ids: Set<number>, groupOf: (id: number) => number | undefined) => [...ids].filter((id) => subtree.has(groupOf(id) ?? -1)).length;
      expect(g.deviceCount, `group ${g.id}`).toBe(inTree(devices, (id) => sim().devices.get(id)?.locationGroupId));
      expect(g.userCount, `group ${g.id}`).toBe(inTree(users, (id) => sim().users.get(id)?.locationGroupId));
    }
  });

  it('counts in smart groups and tags only the devices it can list', async () => {
    const QUERY = `{ smartGroups(first: 100) { nodes { id deviceCount } } tags(first: 100) { nodes { id deviceCount } } }`;
    type Data = { smartGroups: { nodes: { id: string; deviceCount: number }[] }; tags: { nodes: { id: string; deviceCount: number }[] } };
    const data = expectData(await gw.gql<Data>(QUERY, { as: persona }), QUERY);
    expect(data.smartGroups.nodes.length).toBeGreaterThan(0);
    for (const g of data.smartGroups.nodes) expect(g.deviceCount, `smart group ${g.id}`).toBe(countIn(sim().smartGroups.get(Number(g.id))!.deviceIds, devices));
    for (const t of data.tags.nodes) expect(t.deviceCount, `tag ${t.id}`).toBe(countIn(sim().tags.get(Number(t.id))!.members.keys(), devices));
  });

  it('counts in user groups only the enrollment users it can list', async () => {
    const QUERY = `{ userGroups(first: 20) { nodes { id userCount } } }`;
    const groups = expectData(await gw.gql<{ userGroups: { nodes: { id: string; userCount: number }[] } }>(QUERY, { as: persona }), QUERY).userGroups.nodes;
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.userCount, `user group ${g.id}`).toBe(countIn(sim().userGroups.get(Number(g.id))!.members, users));
  });

  it('counts app installs only over the devices it can list', async () => {
    // 30 apps: an app's scoped counts are estimated at 3 UEM requests (within the default upstream budget).
    const QUERY = `{ apps(first: 30) { nodes { id installSummary { assigned installed notInstalled } } } }`;
    type Summary = { assigned: number; installed: number; notInstalled: number };
    const apps = expectData(await gw.gql<{ apps: { nodes: { id: string; installSummary: Summary | null }[] } }>(QUERY, { as: persona }), QUERY).apps.nodes;
    const checked = apps.filter((a) => a.installSummary !== null);
    expect(checked.length).toBeGreaterThan(0);
    for (const a of checked) {
      const app = sim().apps.get(Number(a.id))!;
      const assigned = sim().assignedDeviceIds(app);
      const installed = sim().appDeviceIds(app).filter((id) => sim().deviceInstall(id, app.id)?.status === 'Installed');
      expect(a.installSummary, `app ${a.id}`).toEqual({
        assigned: countIn(assigned, devices),
        installed: countIn(installed, devices),
        notInstalled: countIn([...assigned].filter((id) => !installed.includes(id)), devices),
      });
    }
  });
});
