/**
 * The UEM side of the graph over real HTTP: `device`, `devices` with every filter (UEM-native,
 * environment, tag), paging to the end, cursor and `first` errors, the ADMIN-only identifiers and
 * each Device relation, checked against the simulator's raw data.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { DEMO_ENV_MAP, ENVIRONMENTS, type UemSimulator } from '../../../src/simulators/index.js';

const ADA = 'ada.admin@demo.example';
const RITA = 'rita.reader@demo.example';

let gw: TestGateway;
let sim: UemSimulator;
beforeAll(async () => {
  gw = await demoGateway();
  sim = gw.app.simulators.uem!;
});
// The gateway is shared with other files: every test starts from cold UEM caches, and warms what it counts on.
beforeEach(() => gw.app.services.cache.invalidate('uem:*'));
afterAll(async () => {
  await gw?.close();
});

const rawDevices = () => [...sim.state.devices.values()].sort((a, b) => a.id - b.id);

interface IdPage {
  devices: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { id: string }[] };
}
const PAGE = `query Page($filter: DeviceFilter, $first: Int, $after: String) {
  devices(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } }
}`;

/** Every id of a filter, paging with `first` to the end. */
async function allIds(filter: Record<string, unknown>, first = 500): Promise<{ ids: number[]; totalCount: number }> {
  const ids: number[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let guard = 0; guard < 50; guard++) {
    const data: IdPage = expectData(await gw.gql<IdPage>(PAGE, { as: ADA, variables: { filter, first, after } }), PAGE);
    totalCount = data.devices.totalCount;
    ids.push(...data.devices.nodes.map((n) => Number(n.id)));
    if (!data.devices.pageInfo.hasNextPage) break;
    after = data.devices.pageInfo.endCursor;
  }
  return { ids, totalCount };
}

describe('devices: filters and paging', () => {
  it('pages every Android device to the end with first: 500, in id order, equal to the raw data', async () => {
    const expected = rawDevices().filter((d) => d.platform === 'Android').map((d) => d.id);
    expect(expected.length).toBeGreaterThan(500);
    const { ids, totalCount } = await allIds({ platform: 'ANDROID' });
    expect(totalCount).toBe(expected.length);
    expect(ids).toEqual(expected);
  });

  it('applies the UEM-native filters together', async () => {
    const since = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const filter = { platform: 'APPLE', ownership: 'CORPORATE', complianceStatus: 'COMPLIANT', lastSeenAfter: since, organizationGroupId: '571' };
    const expected = rawDevices()
      .filter((d) => d.platform === 'Apple' && d.ownership === 'C' && d.complianceStatus === 'Compliant' && d.lastSeen >= Date.parse(since) && d.locationGroupId === 571)
      .map((d) => d.id);
    expect(expected.length).toBeGreaterThan(0);
    expect((await allIds(filter)).ids).toEqual(expected);
  });

  it('filters by user name and model', async () => {
    const device = rawDevices()[7]!;
    const user = sim.state.users.get(device.userId)!;
    const byUser = rawDevices().filter((d) => d.userId === user.id).map((d) => d.id);
    expect((await allIds({ userName: user.userName.toUpperCase() })).ids).toEqual(byUser);
    const byModel = rawDevices().filter((d) => d.model === device.model).map((d) => d.id);
    expect((await allIds({ model: device.model })).ids).toEqual(byModel);
  });

  it('filters by environment name or id, pushed into UEM as the one mapped group', async () => {
    const sandboxGroup = Object.entries(DEMO_ENV_MAP).find(([, env]) => env === 'Sandbox')![0];
    const groupId = [...sim.state.orgGroups.values()].find((g) => g.name === sandboxGroup)!.id;
    const expected = rawDevices().filter((d) => d.locationGroupId === groupId).map((d) => d.id);
    await allIds({ environment: 'sandbox' }); // warms the group list
    sim.resetStats();
    const byName = await allIds({ environment: 'sandbox' });
    expect(byName.ids).toEqual(expected);
    expect(Object.keys(sim.stats().byRoute)).toEqual(['GET /API/mdm/devices/search']);
    expect(sim.stats().total).toBe(Math.ceil(expected.length / 500));
    const envId = ENVIRONMENTS.find((e) => e.envName === 'Sandbox')!.envId;
    expect((await allIds({ environment: envId })).ids).toEqual(expected);
  });

  it('filters by tag name or id, alone and with other filters', async () => {
    const tag = [...sim.state.tags.values()].find((t) => t.name === 'Field Sales')!;
    const members = [...tag.members.keys()].sort((a, b) => a - b);
    expect((await allIds({ tag: 'field sales' }, 100)).ids).toEqual(members);
    expect((await allIds({ tag: String(tag.id) })).totalCount).toBe(members.length);
    const androidMembers = rawDevices().filter((d) => d.platform === 'Android' && tag.members.has(d.id)).map((d) => d.id);
    const both = await allIds({ tag: 'Field Sales', platform: 'ANDROID' }, 50);
    expect(both.ids).toEqual(androidMembers);
    expect(both.totalCount).toBe(androidMembers.length);
  });

  it('combines environment and tag', async () => {
    const tag = [...sim.state.tags.values()].find((t) => t.name === 'Refresh 2025')!;
    const expected = rawDevices().filter((d) => d.locationGroupId === 571 && tag.members.has(d.id)).map((d) => d.id);
    expect((await allIds({ tag: 'Refresh 2025', environment: 'Production' }, 40)).ids).toEqual(expected);
  });

  it('refuses an unknown environment or tag with BAD_USER_INPUT', async () => {
    for (const filter of [{ environment: 'Nowhere' }, { tag: 'No Such Tag' }]) {
      const result = await gw.gql(PAGE, { as: ADA, variables: { filter, first: 5 } });
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('refuses a tampered cursor, a cursor reused with another filter, and first over the cap', async () => {
    const first = expectData(await gw.gql<IdPage>(PAGE, { as: ADA, variables: { filter: { platform: 'APPLE' }, first: 5 } }));
    const cursor = first.devices.pageInfo.endCursor!;
    const [payload, signature] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ o: 900, f: JSON.parse(Buffer.from(payload, 'base64url').toString()).f })).toString('base64url');
    for (const after of [`${forged}.${signature}`, `${payload}.${signature.slice(1)}A`, 'garbage']) {
      const result = await gw.gql(PAGE, { as: ADA, variables: { filter: { platform: 'APPLE' }, first: 5, after } });
      expect(errorCodes(result), after).toEqual(['BAD_USER_INPUT']);
    }
    const reused = await gw.gql(PAGE, { as: ADA, variables: { filter: { platform: 'ANDROID' }, first: 5, after: cursor } });
    expect(errorCodes(reused)).toEqual(['BAD_USER_INPUT']);
    const tooMany = await gw.gql(PAGE, { as: ADA, variables: { first: gw.app.config.maxPageSize + 1 } });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('device and its relations', () => {
  const DEVICE = `query One($id: ID!) {
    device(id: $id) {
      id uuid serialNumber friendlyName platform model osVersion ownership enrollmentStatus complianceStatus lastSeen
      compromised lastEnrolledOn lastComplianceCheck imei macAddress phoneNumber
      organizationGroup { id name groupId environment { name } }
      environment { id name }
      user { id userName email firstName }
      apps { name status managed bundleId app { id } }
      compliance { status policies { name compliant } }
      tags { id name }
      smartGroups { id name }
    }
  }`;

  it('answers every field from the raw data (as ADA, with the sensitive identifiers)', async () => {
    const raw = rawDevices().find((d) => d.imei !== '' && d.phoneNumber !== '' && d.enrollmentStatus === 'Enrolled')!;
    type D = Record<string, unknown> & {
      organizationGroup: { id: string; name: string; groupId: string; environment: { name: string } };
      environment: { name: string };
      user: { id: string; userName: string };
      apps: { name: string; status: string; managed: boolean; app: { id: string } | null }[];
      compliance: { status: string; policies: { compliant: boolean }[] };
      tags: { id: string }[];
      smartGroups: { id: string }[];
    };
    const { device } = expectData(await gw.gql<{ device: D }>(DEVICE, { as: ADA, variables: { id: String(raw.id) } }), DEVICE);
    const group = sim.state.orgGroups.get(raw.locationGroupId)!;
    expect(device).toMatchObject({
      id: String(raw.id),
      uuid: raw.uuid,
      serialNumber: raw.serialNumber,
      imei: raw.imei,
      macAddress: raw.macAddress,
      phoneNumber: raw.phoneNumber,
      model: raw.model,
      compromised: raw.compromised,
      lastSeen: new Date(raw.lastSeen).toISOString(),
      lastEnrolledOn: new Date(raw.lastEnrolledOn).toISOString(),
      complianceStatus: raw.complianceStatus === 'Compliant' ? 'COMPLIANT' : 'NON_COMPLIANT',
      organizationGroup: { id: String(group.id), name: group.name, groupId: group.groupId, environment: { name: DEMO_ENV_MAP[group.name] } },
      environment: { name: DEMO_ENV_MAP[group.name] },
      user: { id: String(raw.userId), userName: sim.state.users.get(raw.userId)!.userName },
    });
    const installs = sim.state.deviceInstalls(raw.id);
    const managed = device.apps.filter((a) => a.managed);
    expect(managed.map((a) => a.app?.id)).toEqual(installs.map((i) => String(i.appId)));
    expect(managed.map((a) => a.status)).toEqual(installs.map((i) => i.status.toUpperCase()));
    expect(device.compliance.status).toBe(device.complianceStatus);
    expect(device.compliance.policies.some((p) => !p.compliant)).toBe(raw.complianceStatus === 'NonCompliant');
    const tags = [...sim.state.tags.values()].filter((t) => t.members.has(raw.id)).map((t) => String(t.id));
    expect(device.tags.map((t) => t.id).sort()).toEqual(tags.sort());
    expect(device.smartGroups.map((g) => g.id).sort()).toEqual(sim.state.smartGroupsOf(raw.id).map((g) => String(g.id)).sort());
  });

  it('answers null for an unknown device', async () => {
    const data = expectData(await gw.gql<{ device: null }>('{ device(id: "99999999") { id } }', { as: ADA }));
    expect(data.device).toBeNull();
  });

  it('gives a non-admin null with FORBIDDEN for each sensitive identifier, and the rest of the device', async () => {
    // A Production device: rita reads Production only (row scope).
    const raw = rawDevices().find((d) => d.imei !== '' && d.locationGroupId === 571)!;
    const q = `{ device(id: "${raw.id}") { id serialNumber imei macAddress phoneNumber platform } }`;
    const result = await gw.gql<{ device: Record<string, unknown> }>(q, { as: RITA });
    expect(result.body.data?.device).toMatchObject({ id: String(raw.id), serialNumber: raw.serialNumber, imei: null, macAddress: null, phoneNumber: null });
    const errors = result.body.errors ?? [];
    expect(errors.map((e) => [e.path?.join('.'), e.extensions?.code]).sort()).toEqual([
      ['device.imei', 'FORBIDDEN'],
      ['device.macAddress', 'FORBIDDEN'],
      ['device.phoneNumber', 'FORBIDDEN'],
    ]);
    expect(errors[0]?.extensions?.capability).toBe('readSensitiveIdentifiers');
  });

  it('resolves tags and smart groups of a whole page without a request per device', async () => {
    const q = '{ devices(first: 200) { nodes { id tags { name } smartGroups { name } environment { name } organizationGroup { name } } } }';
    gw.app.services.cache.invalidate('uem:*');
    sim.resetStats();
    const data = expectData(await gw.gql<{ devices: { nodes: { id: string; tags: { name: string }[]; smartGroups: { name: string }[] }[] } }>(q, { as: ADA }), q);
    const tagCount = sim.state.tags.size;
    const groupCount = sim.state.smartGroups.size;
    // One search, the tag list and each tag's members, the smart group list and each one's members.
    expect(sim.stats().total).toBe(1 + 1 + tagCount + 1 + groupCount);
    for (const node of data.devices.nodes.slice(0, 20)) {
      const expected = [...sim.state.tags.values()].filter((t) => t.members.has(Number(node.id))).map((t) => t.name);
      expect(node.tags.map((t) => t.name).sort()).toEqual(expected.sort());
    }
  });
});
