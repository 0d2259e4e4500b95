/**
 * External users over real HTTP. The Harmony simulator runs on a clock five days behind the
 * gateway, so on the wire eve.expired (expired yesterday by the gateway's clock) is still ACTIVE:
 * the EXPIRED the graph answers is the gateway's own expiry rule, not Harmony's stored status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ManualClock } from '../../../src/simulators/index.js';

const ADMIN = 'ada.admin@demo.example';
const DAY = 86_400_000;

let gw: TestGateway;
const clock = new ManualClock(Date.now());
beforeAll(async () => {
  gw = await startTestGateway({}, { simulators: { harmony: { clock } } });
  clock.set(Date.now() - 5 * DAY);
});
afterAll(async () => {
  await gw?.close();
});

const state = () => gw.app.simulators.harmony!.state;

async function query<T>(q: string, variables?: Record<string, unknown>): Promise<T> {
  return expectData(await gw.gql<T>(q, { as: ADMIN, variables }), q);
}

interface ExternalPage {
  externalUsers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { email: string; status: string }[];
  };
}

const EXTERNALS = `query Externals($filter: ExternalUserFilter, $first: Int, $after: String) {
  externalUsers(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { email status }
  }
}`;

async function allExternal(filter: Record<string, unknown> | null, first = 7) {
  const nodes: { email: string; status: string }[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const page: ExternalPage = await query<ExternalPage>(EXTERNALS, { filter, first, after });
    nodes.push(...page.externalUsers.nodes);
    if (!page.externalUsers.pageInfo.hasNextPage) {
      expect(nodes).toHaveLength(page.externalUsers.totalCount);
      return nodes;
    }
    after = page.externalUsers.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

describe('external users', () => {
  it('computes EXPIRED with the time-zone rule although Harmony still says ACTIVE', async () => {
    expect(gw.app.simulators.harmony!.externalStatus('eve.expired@partner.example')).toBe('ACTIVE');
    const data = await query<{ externalUser: { status: string; accessExpiresOn: string; timeZone: string; accessEndsAt: string } }>(
      `{ externalUser(email: "Eve.Expired@partner.example") { status accessExpiresOn timeZone accessEndsAt } }`,
    );
    const raw = state().externalUsers.find((u) => u.email === 'eve.expired@partner.example')!;
    expect(data.externalUser).toMatchObject({ status: 'EXPIRED', accessExpiresOn: raw.accessExpiresOn, timeZone: 'Asia/Tokyo' });
    // 23:59 in Tokyo (UTC+9, no daylight saving) is 14:59 UTC the same day.
    expect(data.externalUser.accessEndsAt).toBe(`${raw.accessExpiresOn}T14:59:00.000Z`);
  });

  it('answers every persona with its status, dates and API groups', async () => {
    const data = await query<Record<string, { id: string; name: string; company: string; status: string; memberSince: string | null; lastLogin: string | null; apiGroups: { name: string; environment: { name: string } }[] } | null>>(
      `{
        pat: externalUser(email: "pat.partner@partner.example") { ...X }
        sam: externalUser(email: "sam.suspended@partner.example") { ...X }
        rex: externalUser(email: "rex.requested@partner.example") { ...X }
        nobody: externalUser(email: "nobody@partner.example") { ...X }
      }
      fragment X on ExternalUser { id name company status memberSince lastLogin apiGroups { name environment { name } } }`,
    );
    const pat = state().externalUsers.find((u) => u.email === 'pat.partner@partner.example')!;
    expect(data.pat).toMatchObject({ id: pat.externalUserId, name: 'Pat Partner', company: 'Partner Example Ltd', status: 'ACTIVE', memberSince: pat.memberSince, lastLogin: pat.lastLogin });
    expect(data.pat?.apiGroups).toEqual([{ name: 'device-inventory', environment: { name: 'Production' } }]);
    expect(data.sam?.status).toBe('SUSPENDED');
    expect(data.rex).toMatchObject({ status: 'REQUESTED', memberSince: null, apiGroups: [] });
    expect(data.nobody).toBeNull();
  });

  it('pages through every external user, ordered by email, to the end', async () => {
    const nodes = await allExternal(null);
    const expected = state().externalUsers.map((u) => u.email).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    expect(nodes.map((n) => n.email)).toEqual(expected);
  });

  it('filters by computed status', async () => {
    const expired = await allExternal({ status: 'EXPIRED' });
    expect(expired.map((n) => n.email)).toContain('eve.expired@partner.example');
    expect(expired.every((n) => n.status === 'EXPIRED')).toBe(true);
    const active = await allExternal({ status: 'ACTIVE' });
    expect(active.map((n) => n.email)).toContain('pat.partner@partner.example');
    expect(active.map((n) => n.email)).not.toContain('eve.expired@partner.example');
  });

  it('filters by API group and by email text', async () => {
    const group = state().apiGroups.find((g) => g.name === 'device-inventory')!;
    const granted = await allExternal({ apiGroupId: group.apiGroupId }, 50);
    expect(granted.map((n) => n.email).sort()).toEqual(
      state().externalUsers.filter((u) => u.apiGroupIds.includes(group.apiGroupId)).map((u) => u.email).sort(),
    );
    const byText = await allExternal({ emailContains: 'SUSPENDED@' }, 50);
    expect(byText.map((n) => n.email)).toEqual(['sam.suspended@partner.example']);
  });
});
