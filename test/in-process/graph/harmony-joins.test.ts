/**
 * The joins that make one graph of UEM and Harmony, over real HTTP: Person by case-insensitive
 * email, Device.user.harmonyUser, HarmonyUser.uemUser and .devices, and Device.environment being
 * the same Environment the Harmony side lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, type TestGateway } from '../../helpers/gateway.js';
import { demoGateway } from '../../helpers/in-process.js';
import { ORGANIZATION_GROUPS } from '../../../src/simulators/index.js';

const ADMIN = 'ada.admin@demo.example';

let gw: TestGateway;
beforeAll(async () => {
  gw = await demoGateway();
});
afterAll(async () => {
  await gw?.close();
});

const uem = () => gw.app.simulators.uem!.state;
const harmony = () => gw.app.simulators.harmony!.state;
const uemUserByEmail = (email: string) => [...uem().users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
const uemDeviceIdsOf = (userId: number) => [...uem().devices.values()].filter((d) => d.userId === userId).map((d) => String(d.id)).sort();

async function query<T>(q: string, variables?: Record<string, unknown>): Promise<T> {
  return expectData(await gw.gql<T>(q, { as: ADMIN, variables }), q);
}

interface DeviceList {
  totalCount: number;
  nodes: { id: string; environment: { id: string; name: string } | null }[];
}

const PERSON = `query Person($email: String!) {
  person(email: $email) {
    email
    uemUser { id userName email }
    harmonyUser { id email }
    externalUser { id email status }
    devices(first: 100) { totalCount nodes { id environment { id name } } }
  }
}`;
type PersonResult = {
  person: {
    email: string;
    uemUser: { id: string; userName: string; email: string } | null;
    harmonyUser: { id: string; email: string } | null;
    externalUser: { id: string; email: string; status: string } | null;
    devices: DeviceList;
  } | null;
};

describe('person', () => {
  it('joins omar.operator across systems although UEM spells his email in mixed case', async () => {
    const uemOmar = uemUserByEmail('omar.operator@demo.example')!;
    expect(uemOmar.email).not.toBe(uemOmar.email.toLowerCase());
    const { person } = await query<PersonResult>(PERSON, { email: 'OMAR.OPERATOR@demo.example' });
    expect(person?.email).toBe('omar.operator@demo.example');
    expect(person?.uemUser).toEqual({ id: String(uemOmar.id), userName: uemOmar.userName, email: uemOmar.email });
    expect(person?.harmonyUser?.id).toBe(harmony().users.find((u) => u.email === 'omar.operator@demo.example')!.userId);
    expect(person?.externalUser).toBeNull();
    expect(person?.devices.nodes.map((d) => d.id).sort()).toEqual(uemDeviceIdsOf(uemOmar.id));
    expect(person?.devices.totalCount).toBe(uemDeviceIdsOf(uemOmar.id).length);
    // At least one device in each organization group, each in its group's environment.
    expect(new Set(person?.devices.nodes.map((d) => d.environment?.name))).toEqual(new Set(ORGANIZATION_GROUPS.map((g) => g.environment)));
  });

  it('joins an external user, and answers null for an email neither system knows', async () => {
    const { person } = await query<PersonResult>(PERSON, { email: 'Pat.Partner@partner.example' });
    const pat = harmony().externalUsers.find((u) => u.email === 'pat.partner@partner.example')!;
    expect(person?.externalUser).toEqual({ id: pat.externalUserId, email: pat.email, status: 'ACTIVE' });
    expect(person?.harmonyUser).toBeNull();
    const none = await query<PersonResult>(PERSON, { email: 'nobody@nowhere.example' });
    expect(none.person).toBeNull();
  });
});

describe('device, UEM user and Harmony user', () => {
  it('reaches the Harmony user from a device, and back to the devices from the Harmony user', async () => {
    const data = await query<{
      devices: { nodes: { id: string; user: { email: string; harmonyUser: { email: string; uemUser: { id: string } | null; devices: DeviceList } | null } | null }[] };
    }>(`{ devices(first: 5, filter: { userName: "lena.logs" }) {
      nodes { id user { email harmonyUser { email uemUser { id } devices(first: 50) { totalCount nodes { id environment { id name } } } } } }
    } }`);
    const lena = uemUserByEmail('lena.logs@demo.example')!;
    expect(data.devices.nodes.length).toBeGreaterThan(0);
    for (const device of data.devices.nodes) {
      const hu = device.user?.harmonyUser;
      expect(hu?.email).toBe('lena.logs@demo.example');
      expect(hu?.uemUser?.id).toBe(String(lena.id));
      expect(hu?.devices.nodes.map((d) => d.id).sort()).toEqual(uemDeviceIdsOf(lena.id));
      expect(hu?.devices.nodes.map((d) => d.id)).toContain(device.id);
    }
  });

  it('answers a null Harmony user for an enrollment user who is not in Harmony', async () => {
    const harmonyEmails = new Set(harmony().users.map((u) => u.email.toLowerCase()));
    const outsider = [...uem().users.values()].find((u) => u.email && !harmonyEmails.has(u.email.toLowerCase()))!;
    const data = await query<{ uemUser: { harmonyUser: unknown } | null }>(`query U($id: ID!) { uemUser(id: $id) { harmonyUser { id } } }`, {
      id: String(outsider.id),
    });
    expect(data.uemUser).toEqual({ harmonyUser: null });
  });

  it('gives a device the same environment object the Harmony side lists (ENV_MAP)', async () => {
    const data = await query<{
      environments: { id: string; name: string; type: string }[];
      devices: { nodes: { id: string; environment: { id: string; name: string; type: string; roleAccess: { role: { name: string } }[] } | null }[] };
    }>(`{
      environments { id name type }
      devices(first: 60) { nodes { id environment { id name type roleAccess { role { name } } } } }
    }`);
    let checked = 0;
    for (const device of data.devices.nodes) {
      const raw = uem().devices.get(Number(device.id))!;
      const groupName = uem().orgGroups.get(raw.locationGroupId)?.name;
      const group = ORGANIZATION_GROUPS.find((g) => g.name === groupName);
      if (!group) continue;
      const env = data.environments.find((e) => e.name === group.environment)!;
      expect(device.environment).toMatchObject(env);
      expect(device.environment?.roleAccess.map((a) => a.role.name)).toContain('Administrator');
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
