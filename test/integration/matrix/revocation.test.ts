/**
 * Revocation takes effect within PRINCIPAL_CACHE_TTL_SECONDS (1 s here): a change made in Harmony
 * behind the gateway's back (straight in the simulator's state) is allowed before and refused once
 * the TTL has passed; a change made through the gateway's own mutation is refused on the next
 * request. The gateway's caches run on a clock of the test's (`cacheNow`), moved past the TTL
 * instead of waiting for it; nothing asserts on durations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/index.js';
import { expectData, startTestGateway, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { ADA, OMAR, PAT, RITA } from '../../helpers/matrix.table.js';
import { createKey, show, withKey } from '../../helpers/matrix.kit.js';

const TTL_MS = 1_000;
/** The gateway's own clock (external users' expiry); the simulator keeps real time. */
const gatewayClock = new ManualClock();
/** The clock of the gateway's cross-request caches (the principal's Harmony lists among them). */
const cacheClock = new ManualClock();

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ PRINCIPAL_CACHE_TTL_SECONDS: String(TTL_MS / 1000) }, { now: () => gatewayClock.now(), cacheNow: () => cacheClock.now() });
});
afterAll(async () => {
  await gw?.close();
});

/** Moves the caches' clock just past the TTL: what was cached before is read again. */
const pastTtl = (clock = cacheClock) => clock.advance(TTL_MS + 1);
const state = () => gw.app.simulators.harmony!.state;
const HARMONY_READ = `{ roles { id } }`;
const INVENTORY_READ = `{ devices(first: 1) { totalCount } }`;

async function expectAllowed(query: string, as: string) {
  expectData(await gw.gql(query, { as }), query);
}
/** Revoked down to no active READ: free text itself is refused now, before any field. */
async function expectRevoked(query: string, as: string) {
  const result = await gw.gql(query, { as });
  expect(result.body.errors?.map((e) => e.extensions?.code), show(`${as} ${query}`, result)).toEqual(['PERSISTED_QUERY_REQUIRED']);
}
async function viewerWithKey(key: string) {
  return withKey<{ viewer: { email: string } }>(gw, key, `{ viewer { email } }`);
}
/**
 * The key authenticated: `viewer` answered, or (persisted documents enforced for partners) the
 * free text was refused with PERSISTED_QUERY_REQUIRED, which comes only after authentication.
 */
function expectAuthenticated(result: GqlResult<unknown>, label: string) {
  const codes = (result.body.errors ?? []).map((e) => e.extensions?.code);
  expect(result.status, show(label, result)).not.toBe(401);
  expect(codes.every((c) => c === 'PERSISTED_QUERY_REQUIRED'), show(label, result)).toBe(true);
}

describe('revocation within the principal cache TTL', () => {
  it('a role deactivated in Harmony stops granting once the TTL has passed', async () => {
    await expectAllowed(HARMONY_READ, OMAR);
    state().roles.find((r) => r.name === 'Operators')!.active = false;
    pastTtl();
    await expectRevoked(HARMONY_READ, OMAR);
    state().roles.find((r) => r.name === 'Operators')!.active = true;
    pastTtl();
    await expectAllowed(HARMONY_READ, OMAR);
  });

  it('a role deactivated through deactivateRole stops granting on the next request', async () => {
    await expectAllowed(HARMONY_READ, OMAR);
    const roleId = state().roles.find((r) => r.name === 'Operators')!.roleId;
    const DEACTIVATE = `mutation D($r: ID!) { deactivateRole(roleId: $r, confirm: "DEACTIVATE") { role { id status } } }`;
    expectData(await gw.gql(DEACTIVATE, { as: ADA, variables: { r: roleId } }), DEACTIVATE);
    await expectRevoked(HARMONY_READ, OMAR);
    const REACTIVATE = `mutation R($r: ID!) { reactivateRole(roleId: $r) { role { id } } }`;
    expectData(await gw.gql(REACTIVATE, { as: ADA, variables: { r: roleId } }), REACTIVATE);
    await expectAllowed(HARMONY_READ, OMAR);
  });

  it('a role assignment deactivated in Harmony stops granting once the TTL has passed', async () => {
    await expectAllowed(INVENTORY_READ, RITA);
    const assignment = state().users.find((u) => u.email === RITA)!.roles[0]!;
    assignment.active = false;
    pastTtl();
    await expectRevoked(INVENTORY_READ, RITA);
    assignment.active = true;
  });

  it('a suspended external user’s key is refused once the TTL has passed', async () => {
    const key = await createKey(gw, PAT);
    expectAuthenticated(await viewerWithKey(key), 'pat before');
    const pat = state().externalUsers.find((u) => u.email === PAT)!;
    pat.status = 'SUSPENDED';
    pastTtl();
    const after = await viewerWithKey(key);
    expect(after.status, show('pat suspended', after)).toBe(401);
    expect(after.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'user_not_active' });
    pat.status = 'ACTIVE';
    pastTtl();
    expectAuthenticated(await viewerWithKey(key), 'pat reactivated');
  });

  it('an external user whose expiry passes is refused by the gateway’s own clock', async () => {
    const key = await createKey(gw, PAT);
    const pat = state().externalUsers.find((u) => u.email === PAT)!;
    // Access ends at 23:59 on the day after tomorrow in pat's time zone; Harmony still says ACTIVE.
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toLocaleDateString('en-CA', { timeZone: pat.timeZone });
    pat.accessExpiresOn = inTwoDays;
    pastTtl();
    expectAuthenticated(await viewerWithKey(key), 'pat before expiry');
    gatewayClock.set(Date.now() + 4 * 86_400_000);
    pastTtl();
    const after = await viewerWithKey(key);
    expect(after.status, show('pat expired', after)).toBe(401);
    expect(after.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'access_expired' });
    expect(gw.app.simulators.harmony!.externalStatus(PAT), 'the simulator still says ACTIVE: the gateway decided').toBe('ACTIVE');
    gatewayClock.set(Date.now());
    pat.accessExpiresOn = null;
  });
});

describe('expiry as Harmony reports it', () => {
  it('is refused once Harmony’s clock passes the expiry (status EXPIRED on the wire)', async () => {
    const clock = new ManualClock();
    const localCaches = new ManualClock();
    const local = await startTestGateway({ PRINCIPAL_CACHE_TTL_SECONDS: '1' }, { simulators: { harmony: { clock } }, cacheNow: () => localCaches.now() });
    try {
      const key = expectData(
        await local.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(input: { ownerEmail: "${PAT}", kind: EXTERNAL_USER }) { key } }`, { as: ADA }),
      ).createApiKey.key;
      const pat = local.app.simulators.harmony!.state.externalUsers.find((u) => u.email === PAT)!;
      pat.accessExpiresOn = new Date(Date.now() + 86_400_000).toLocaleDateString('en-CA', { timeZone: pat.timeZone });
      const ask = () => local.gql(`{ viewer { email } }`, { headers: { authorization: `ApiKey ${key}` } });
      expectAuthenticated(await ask(), 'pat before expiry');
      clock.advance(3 * 86_400_000);
      pastTtl(localCaches);
      const after = await ask();
      expect(after.status, show('pat expired upstream', after)).toBe(401);
      expect(after.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'access_expired' });
    } finally {
      await local.close();
    }
  });
});
