/**
 * Enrollment users, apps, tags, smart groups and `deviceSummary` over real HTTP, checked against
 * the simulator's raw data.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { asPersona } from '../../helpers/matrix.kit.js';
import { DEMO_ENV_MAP, type UemSimulator } from '../../../src/simulators/index.js';

const ADA = 'ada.admin@demo.example';

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
const ids = (nodes: { id: string }[]) => nodes.map((n) => Number(n.id));

describe('enrollment users', () => {
  it('answers uemUser with its devices', async () => {
    const user = [...sim.state.users.values()].find((u) => sim.state.devicesOfUser(u.id).length >= 2)!;
    const q = `{ uemUser(id: "${user.id}") { id userName email firstName lastName status devices(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } } }`;
    type U = { uemUser: { userName: string; devices: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string }[] } } };
    const data = expectData(await gw.gql<U>(q, { as: ADA }), q);
    expect(data.uemUser).toMatchObject({ userName: user.userName, email: user.email, firstName: user.firstName, lastName: user.lastName, status: user.status });
    const expected = sim.state.devicesOfUser(user.id).map((d) => d.id);
    expect(data.uemUser.devices.totalCount).toBe(expected.length);
    expect(ids(data.uemUser.devices.nodes)).toEqual(expected.slice(0, 1));
    expect(data.uemUser.devices.pageInfo.hasNextPage).toBe(true);
    const next = `{ uemUser(id: "${user.id}") { devices(first: 50, after: "${data.uemUser.devices.pageInfo.endCursor}") { nodes { id } } } }`;
    const rest = expectData(await gw.gql<{ uemUser: { devices: { nodes: { id: string }[] } } }>(next, { as: ADA }), next);
    expect(ids(rest.uemUser.devices.nodes)).toEqual(expected.slice(1));
    expect((await gw.gql('{ uemUser(id: "1") { id } }', { as: ADA })).body.data).toEqual({ uemUser: null });
  });

  it('pages uemUsers with filters', async () => {
    const q = `query Users($filter: UemUserFilter, $after: String) {
      uemUsers(filter: $filter, first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id userName } }
    }`;
    type P = { uemUsers: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string }[] } };
    const part = [...sim.state.users.values()][3]!.lastName.slice(1, 4).toLowerCase();
    const filter = { lastName: part.toUpperCase(), active: true };
    const expected = [...sim.state.users.values()]
      .filter((u) => u.lastName.toLowerCase().includes(part) && u.status)
      .map((u) => u.id)
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    const seen: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const data: P = expectData(await gw.gql<P>(q, { as: ADA, variables: { filter, after } }), q);
      expect(data.uemUsers.totalCount).toBe(expected.length);
      seen.push(...ids(data.uemUsers.nodes));
      if (!data.uemUsers.pageInfo.hasNextPage) break;
      after = data.uemUsers.pageInfo.endCursor;
    }
    expect(seen.sort((a, b) => a - b)).toEqual(expected);
  });
});

describe('apps', () => {
  it('lists the catalog with filters, from the cache once warm', async () => {
    const q = '{ apps(filter: { platform: ANDROID, status: ACTIVE }, first: 500) { totalCount nodes { id name platform status bundleId } } }';
    const expected = [...sim.state.apps.values()].filter((a) => a.platform === 'Android' && a.status === 'Active').map((a) => a.id).sort((a, b) => a - b);
    const data = expectData(await gw.gql<{ apps: { totalCount: number; nodes: { id: string }[] } }>(q, { as: ADA }), q);
    expect(data.apps.totalCount).toBe(expected.length);
    expect(ids(data.apps.nodes)).toEqual(expected);
    sim.resetStats();
    const byName = '{ apps(filter: { name: "demo" }, first: 2) { totalCount } }';
    expect(expectData(await gw.gql<{ apps: { totalCount: number } }>(byName, { as: ADA })).apps.totalCount).toBe(sim.state.apps.size);
    expect(sim.stats().total).toBe(0);
  });

  it('answers app with its install summary, smart groups and devices by status', async () => {
    const app = [...sim.state.apps.values()].find((a) => a.status === 'Active' && a.assignments.size > 0)!;
    const q = `{ app(id: "${app.id}") {
      id uuid name platform status smartGroups { id }
      installSummary { assigned installed notInstalled }
      installed: devices(status: INSTALLED, first: 500) { totalCount nodes { id } }
      failed: devices(status: FAILED, first: 500) { totalCount nodes { id } }
      pending: devices(status: PENDING, first: 500) { totalCount nodes { id } }
      assigned: devices(status: ASSIGNED, first: 500) { totalCount nodes { id } }
      all: devices(first: 500) { totalCount }
    } }`;
    type C = { totalCount: number; nodes: { id: string }[] };
    type A = { app: { uuid: string; smartGroups: { id: string }[]; installSummary: { assigned: number; installed: number }; installed: C; failed: C; pending: C; assigned: C; all: C } };
    const data = expectData(await gw.gql<A>(q, { as: ADA }), q);
    expect(data.app.uuid).toBe(app.uuid);
    expect(data.app.smartGroups.map((g) => Number(g.id)).sort()).toEqual([...app.assignments.keys()].sort());
    const withStatus = (status: string) => sim.state.appDeviceIds(app).filter((id) => sim.state.deviceInstall(id, app.id)?.status === status);
    expect(ids(data.app.installed.nodes)).toEqual(withStatus('Installed'));
    expect(ids(data.app.failed.nodes)).toEqual(withStatus('Failed'));
    expect(ids(data.app.pending.nodes)).toEqual(withStatus('Pending'));
    const assigned = [...sim.state.assignedDeviceIds(app)].sort((a, b) => a - b);
    expect(data.app.assigned.totalCount).toBe(assigned.length);
    expect(ids(data.app.assigned.nodes)).toEqual(assigned.slice(0, 500));
    expect(data.app.all.totalCount).toBe(sim.state.appDeviceIds(app).length);
    expect(data.app.installSummary).toMatchObject({ assigned: sim.state.assignedDeviceIds(app).size, installed: withStatus('Installed').length });
  });
});

describe('tags and smart groups', () => {
  it('pages the devices of a tag and of a smart group', async () => {
    const device = rawDevices().find((d) => [...sim.state.tags.values()].some((t) => t.members.has(d.id)))!;
    const q = `{ device(id: "${device.id}") {
      tags { id name deviceCount organizationGroup { id } devices(first: 500) { totalCount nodes { id } } }
      smartGroups { id name managedBy { id } devices(first: 500) { totalCount nodes { id } } }
    } }`;
    type G = { id: string; deviceCount: number; devices: { totalCount: number; nodes: { id: string }[] } };
    const data = expectData(await gw.gql<{ device: { tags: G[]; smartGroups: G[] } }>(q, { as: ADA }), q);
    expect(data.device.tags.length).toBeGreaterThan(0);
    for (const tag of data.device.tags) {
      const members = [...sim.state.tags.get(Number(tag.id))!.members.keys()].sort((a, b) => a - b);
      expect(tag.deviceCount).toBe(members.length);
      expect(tag.devices.totalCount).toBe(members.length);
      expect(ids(tag.devices.nodes)).toEqual(members.slice(0, 500));
    }
    for (const group of data.device.smartGroups) {
      const members = [...sim.state.smartGroups.get(Number(group.id))!.deviceIds].sort((a, b) => a - b);
      expect(group.devices.totalCount).toBe(members.length);
      expect(ids(group.devices.nodes)).toEqual(members.slice(0, 500));
    }
  });
});

describe('deviceSummary', () => {
  type B = { count: number; platform: string | null; environment: { name: string } | null; complianceStatus: string | null };
  const Q = `query S($filter: DeviceFilter, $groupBy: [DeviceSummaryDimension!]!) {
    deviceSummary(filter: $filter, groupBy: $groupBy) { totalCount buckets { count platform complianceStatus environment { name } organizationGroup { id name } ownership enrollmentStatus } }
  }`;

  it('counts by platform and environment like the raw data, with one scan then none', async () => {
    gw.app.services.cache.invalidate('uem:*');
    sim.resetStats();
    const data = expectData(await gw.gql<{ deviceSummary: { totalCount: number; buckets: B[] } }>(Q, { as: ADA, variables: { groupBy: ['PLATFORM', 'ENVIRONMENT'] } }), Q);
    expect(sim.stats().byRoute).toEqual({ 'GET /API/mdm/devices/search': Math.ceil(sim.state.devices.size / 500) });
    const platformOf: Record<string, string> = { Apple: 'APPLE', Android: 'ANDROID', WinRT: 'WINDOWS', AppleOsX: 'MACOS' };
    const expected = new Map<string, number>();
    for (const d of sim.state.devices.values()) {
      const key = `${platformOf[d.platform] ?? 'OTHER'}|${DEMO_ENV_MAP[sim.state.orgGroups.get(d.locationGroupId)!.name]}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const actual = new Map(data.deviceSummary.buckets.map((b) => [`${b.platform}|${b.environment?.name}`, b.count]));
    expect(actual).toEqual(expected);
    expect(data.deviceSummary.totalCount).toBe(sim.state.devices.size);
    const counts = data.deviceSummary.buckets.map((b) => b.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    sim.resetStats();
    const again = expectData(await gw.gql<{ deviceSummary: { totalCount: number } }>(Q, { as: ADA, variables: { groupBy: ['COMPLIANCE_STATUS'] } }), Q);
    expect(again.deviceSummary.totalCount).toBe(sim.state.devices.size);
    expect(sim.stats().total).toBe(0);
  });

  it('applies filters, including a tag', async () => {
    const tag = [...sim.state.tags.values()].find((t) => t.name === 'Finance')!;
    const data = expectData(
      await gw.gql<{ deviceSummary: { totalCount: number; buckets: B[] } }>(Q, { as: ADA, variables: { filter: { tag: 'Finance', complianceStatus: 'NON_COMPLIANT' }, groupBy: ['COMPLIANCE_STATUS'] } }),
      Q,
    );
    const expected = [...sim.state.devices.values()].filter((d) => tag.members.has(d.id) && d.complianceStatus === 'NonCompliant').length;
    expect(data.deviceSummary.totalCount).toBe(expected);
    expect(data.deviceSummary.buckets).toEqual(expected ? [expect.objectContaining({ count: expected, complianceStatus: 'NON_COMPLIANT', platform: null })] : []);
  });

  it('is refused to a persona without inventory access', async () => {
    const result = await asPersona(gw, 'agnes.agent@demo.example', Q, { groupBy: [] });
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });
});
