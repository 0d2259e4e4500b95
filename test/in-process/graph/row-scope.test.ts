/**
 * Row scope (issue 6): a non-admin reads only UEM objects of environments where they hold READ,
 * EXECUTE or WRITE access; ADMIN reads everything. Every expectation is computed from the
 * simulator's raw data (571 Production Devices → Production, 572 Sandbox Devices → Sandbox,
 * 573 Lab Devices → Development).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';

const ADA = 'ada.admin@demo.example';
const RITA = 'rita.reader@demo.example'; // READ in Production
const OMAR = 'omar.operator@demo.example'; // EXECUTE in Production, WRITE in Sandbox
const LENA = 'lena.logs@demo.example'; // READ permission, VIEW_LOGS in Production only
const PRODUCTION = 571;
const SANDBOX = 572;
const LAB = 573;

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
// The gateway is shared with other files: every test starts from cold UEM caches, and warms what it counts on.
beforeEach(() => gw.app.services.cache.invalidate('uem:*'));
afterAll(async () => {
  await gw?.close();
});

const sim = () => gw.app.simulators.uem!;
const devicesIn = (...groups: number[]) =>
  [...sim().state.devices.values()].filter((d) => groups.includes(d.locationGroupId)).map((d) => d.id).sort((a, b) => a - b);
const usersIn = (...groups: number[]) =>
  [...sim().state.users.values()].filter((u) => groups.includes(u.locationGroupId)).map((u) => u.id).sort((a, b) => a - b);
const uemRequests = () => sim().stats().byRoute;

type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string }[] };
const DEVICES = `query P($filter: DeviceFilter, $after: String, $first: Int) {
  devices(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } }
}`;
const USERS = `query U($filter: UemUserFilter, $after: String, $first: Int) {
  uemUsers(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } }
}`;

/** Every page of a connection; checks `totalCount` on each page. */
async function pageAll(as: string, query: string, field: 'devices' | 'uemUsers', first: number, filter?: Record<string, unknown>) {
  const ids: number[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const data: Record<string, Page> = expectData(await gw.gql<Record<string, Page>>(query, { as, variables: { filter, after, first } }), query);
    const page = data[field]!;
    totals.add(page.totalCount);
    ids.push(...page.nodes.map((n) => Number(n.id)));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, totals: [...totals] };
}

describe('devices', () => {
  it('gives rita (Production) exactly the Production devices, one UEM search per page', async () => {
    const expected = devicesIn(PRODUCTION);
    await gw.gql(DEVICES, { as: RITA, variables: { first: 1 } }); // warms the group and environment lists
    sim().resetStats();
    const first = expectData(await gw.gql<{ devices: Page }>(DEVICES, { as: RITA, variables: { first: 100 } }), DEVICES);
    expect(first.devices.totalCount).toBe(expected.length);
    expect(first.devices.nodes.map((n) => Number(n.id))).toEqual(expected.slice(0, 100));
    expect(uemRequests()).toEqual({ 'GET /API/mdm/devices/search': 1 });
    const all = await pageAll(RITA, DEVICES, 'devices', 500);
    expect(all.ids).toEqual(expected);
    expect(all.totals).toEqual([expected.length]);
  });

  it('gives omar (Production and Sandbox) exactly those devices, paging to the end from one cached scan', async () => {
    const expected = devicesIn(PRODUCTION, SANDBOX);
    gw.app.services.cache.invalidate('uem:device-scan:*');
    await gw.gql(DEVICES, { as: OMAR, variables: { first: 1 } });
    const scan = Math.ceil(sim().state.devices.size / 500);
    sim().resetStats();
    const all = await pageAll(OMAR, DEVICES, 'devices', 300);
    expect(all.ids).toEqual(expected);
    expect(new Set(all.ids).size).toBe(all.ids.length);
    expect(all.totals).toEqual([expected.length]);
    // The scan read by the warm-up answers every page: no request per page.
    expect(uemRequests()['GET /API/mdm/devices/search'] ?? 0).toBe(0);
    gw.app.services.cache.invalidate('uem:device-scan:*');
    sim().resetStats();
    await gw.gql(DEVICES, { as: OMAR, variables: { first: 50 } });
    expect(uemRequests()['GET /API/mdm/devices/search']).toBe(scan);
  });

  it('gives ada every device', async () => {
    const data = expectData(await gw.gql<{ devices: Page }>(DEVICES, { as: ADA, variables: { first: 1 } }));
    expect(data.devices.totalCount).toBe(sim().state.devices.size);
  });

  it('answers an explicit environment outside the scope with an empty connection, without asking UEM', async () => {
    sim().resetStats();
    for (const environment of ['Development', 'Sandbox']) {
      const data = expectData(await gw.gql<{ devices: Page }>(DEVICES, { as: RITA, variables: { filter: { environment }, first: 10 } }));
      expect(data.devices).toMatchObject({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false } });
    }
    expect(uemRequests()['GET /API/mdm/devices/search'] ?? 0).toBe(0);
    const sandbox = expectData(await gw.gql<{ devices: Page }>(DEVICES, { as: OMAR, variables: { filter: { environment: 'Sandbox' }, first: 1 } }));
    expect(sandbox.devices.totalCount).toBe(devicesIn(SANDBOX).length);
  });

  it('narrows an organization group filter to the scope', async () => {
    const top = await gw.gql<{ devices: Page }>(DEVICES, { as: RITA, variables: { filter: { organizationGroupId: '570' }, first: 1 } });
    expect(expectData(top).devices.totalCount).toBe(devicesIn(PRODUCTION).length);
    const lab = await gw.gql<{ devices: Page }>(DEVICES, { as: OMAR, variables: { filter: { organizationGroupId: String(LAB) }, first: 1 } });
    expect(expectData(lab).devices.totalCount).toBe(0);
  });
});

describe('device(id)', () => {
  it('answers a Lab device to rita exactly like a device UEM does not have (null, no error), and the rest of the response', async () => {
    const [lab] = devicesIn(LAB);
    const [prod] = devicesIn(PRODUCTION);
    const q = `{ viewer { email } lab: device(id: "${lab}") { id serialNumber } prod: device(id: "${prod}") { id } missing: device(id: "999999999") { id } }`;
    const result = await gw.gql<{ viewer: { email: string }; lab: unknown; prod: { id: string } }>(q, { as: RITA });
    expect(result.body.data).toEqual({ viewer: { email: RITA }, lab: null, prod: { id: String(prod) }, missing: null });
    expect(result.body.errors).toBeUndefined();
    const ada = expectData(await gw.gql<{ lab: { id: string } }>(q, { as: ADA }));
    expect(ada.lab.id).toBe(String(lab));
  });
});

describe('enrollment users', () => {
  it('pages exactly the users of the scope (rita: one group, pushed; omar: two, filtered)', async () => {
    const rita = await pageAll(RITA, USERS, 'uemUsers', 200);
    expect(rita.ids).toEqual(usersIn(PRODUCTION));
    expect(rita.totals).toEqual([usersIn(PRODUCTION).length]);
    const omar = await pageAll(OMAR, USERS, 'uemUsers', 200);
    expect(omar.ids).toEqual(usersIn(PRODUCTION, SANDBOX));
    expect(omar.totals).toEqual([usersIn(PRODUCTION, SANDBOX).length]);
    const ada = expectData(await gw.gql<{ uemUsers: Page }>(USERS, { as: ADA, variables: { first: 1 } }));
    expect(ada.uemUsers.totalCount).toBe(sim().state.users.size);
  });

  it('answers uemUser outside the scope as null without an error, as a user UEM does not have', async () => {
    const [lab] = usersIn(LAB);
    const [prod] = usersIn(PRODUCTION);
    const q = `{ lab: uemUser(id: "${lab}") { id } prod: uemUser(id: "${prod}") { id } missing: uemUser(id: "999999999") { id } }`;
    const result = await gw.gql<{ lab: unknown; prod: { id: string } }>(q, { as: RITA });
    expect(result.body.data).toEqual({ lab: null, prod: { id: String(prod) }, missing: null });
    expect(result.body.errors).toBeUndefined();
  });

  it('scopes the devices reached through users, people and Harmony users', async () => {
    const visible = new Set(devicesIn(PRODUCTION, SANDBOX).map(String));
    const omarUser = [...sim().state.users.values()].find((u) => u.email.toLowerCase() === OMAR)!;
    const own = [...sim().state.devices.values()].filter((d) => d.userId === omarUser.id);
    const ownVisible = own.filter((d) => visible.has(String(d.id))).map((d) => String(d.id)).sort();
    expect(own.length).toBeGreaterThan(ownVisible.length); // omar has a Lab device too
    const q = `{ person(email: "${OMAR}") { devices(first: 100) { totalCount nodes { id } } }
      harmonyUser(email: "${OMAR}") { devices(first: 100) { totalCount nodes { id } } }
      devices(first: 30) { nodes { user { devices(first: 100) { totalCount nodes { id } } } } } }`;
    type List = { totalCount: number; nodes: { id: string }[] };
    const data = expectData(
      await gw.gql<{ person: { devices: List }; harmonyUser: { devices: List }; devices: { nodes: { user: { devices: List } | null }[] } }>(q, { as: OMAR }),
      q,
    );
    for (const list of [data.person.devices, data.harmonyUser.devices]) {
      expect(list.nodes.map((n) => n.id).sort()).toEqual(ownVisible);
      expect(list.totalCount).toBe(ownVisible.length);
    }
    // The owners' device lists must exist for the loop below to check anything.
    expect(data.devices.nodes.length).toBeGreaterThan(0);
    expect(data.devices.nodes.filter((n) => (n.user?.devices.nodes.length ?? 0) > 0).length).toBeGreaterThan(0);
    for (const node of data.devices.nodes) {
      for (const d of node.user?.devices.nodes ?? []) expect(visible.has(d.id)).toBe(true);
      expect(node.user?.devices.totalCount).toBe(node.user?.devices.nodes.length);
    }
  });

  it('answers Person.uemUser outside the scope as null without an error', async () => {
    const outside = [...sim().state.users.values()].find((u) => u.locationGroupId === LAB && u.email)!;
    const q = `{ person(email: "${outside.email}") { email uemUser { id } } }`;
    const result = await gw.gql<{ person: { email: string; uemUser: unknown } }>(q, { as: OMAR });
    expect(result.body.data?.person).toEqual({ email: outside.email.toLowerCase(), uemUser: null });
    expect(errorCodes(result)).toEqual([]);
  });
});

describe('deviceSummary and catalog device lists', () => {
  it('counts only the devices of the scope', async () => {
    const q = '{ deviceSummary(groupBy: [ORGANIZATION_GROUP]) { totalCount buckets { count organizationGroup { id } } } }';
    type Summary = { deviceSummary: { totalCount: number; buckets: { count: number; organizationGroup: { id: string } }[] } };
    const omar = expectData(await gw.gql<Summary>(q, { as: OMAR }), q);
    expect(omar.deviceSummary.totalCount).toBe(devicesIn(PRODUCTION, SANDBOX).length);
    const byGroup = Object.fromEntries(omar.deviceSummary.buckets.map((b) => [b.organizationGroup.id, b.count]));
    expect(byGroup).toEqual({ [PRODUCTION]: devicesIn(PRODUCTION).length, [SANDBOX]: devicesIn(SANDBOX).length });
    const rita = expectData(await gw.gql<Summary>(q, { as: RITA }), q);
    expect(rita.deviceSummary.totalCount).toBe(devicesIn(PRODUCTION).length);
  });

  it('scopes the devices of tags, smart groups and apps, counting only visible ones', async () => {
    const production = devicesIn(PRODUCTION);
    const visible = new Set(production.map(String));
    // Two operations: together they would pass the upstream-request budget's estimate.
    const q = `{ devices(first: 2) { nodes { tags { id devices(first: 500) { totalCount nodes { id } } } smartGroups { id devices(first: 500) { totalCount nodes { id } } } } } }`;
    const apps = `{ apps(first: 3) { nodes { devices(first: 500) { totalCount nodes { id } } } } }`;
    type List = { totalCount: number; nodes: { id: string }[] };
    type Group = { id: string; devices: List };
    type Data = { devices: { nodes: { tags: Group[]; smartGroups: Group[] }[] }; apps: { nodes: { devices: List }[] } };
    const data = {
      ...expectData(await gw.gql<Pick<Data, 'devices'>>(q, { as: RITA }), q),
      ...expectData(await gw.gql<Pick<Data, 'apps'>>(apps, { as: RITA }), apps),
    };
    const expectList = (list: List, expected: number[]) => {
      expect(list.totalCount).toBe(expected.length);
      expect(list.nodes.map((n) => Number(n.id))).toEqual(expected.slice(0, 500));
    };
    const tags = data.devices.nodes.flatMap((n) => n.tags);
    const smartGroups = data.devices.nodes.flatMap((n) => n.smartGroups);
    expect(tags.length + smartGroups.length).toBeGreaterThan(0);
    for (const tag of tags) {
      const members = sim().state.tags.get(Number(tag.id))!.members;
      expectList(tag.devices, production.filter((id) => members.has(id)));
    }
    for (const group of smartGroups) {
      expectList(group.devices, production.filter((id) => sim().state.smartGroupsOf(id).some((g) => String(g.id) === group.id)));
    }
    for (const app of data.apps.nodes) {
      expect(app.devices.nodes.every((n) => visible.has(n.id))).toBe(true);
      expect(app.devices.totalCount).toBeLessThanOrEqual(production.length);
    }
  });
});

describe('lena.logs (READ permission, VIEW_LOGS only)', () => {
  it('holds readInventory but reads no environment: empty lists, null single reads', async () => {
    const [prod] = devicesIn(PRODUCTION);
    const q = `{ devices(first: 5) { totalCount nodes { id } } uemUsers(first: 5) { totalCount }
      deviceSummary { totalCount } device(id: "${prod}") { id } }`;
    const result = await gw.gql<{ devices: Page; uemUsers: Page; deviceSummary: { totalCount: number }; device: unknown }>(q, { as: LENA });
    expect(result.body.data).toMatchObject({ devices: { totalCount: 0, nodes: [] }, uemUsers: { totalCount: 0 }, deviceSummary: { totalCount: 0 }, device: null });
    expect(result.body.errors).toBeUndefined();
  });
});
