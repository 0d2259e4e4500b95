/**
 * Who may change Harmony through the gateway: organization administrators only (FORBIDDEN for
 * everyone else), and nobody while the subscription has expired (FORBIDDEN, reason
 * SUBSCRIPTION_EXPIRED) — refused before any write reaches Harmony. A change made by an admin
 * is visible to reads and to principals on the very next request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADMIN, harmonyMutationKit, OPERATOR, READER } from './harmony-mutations.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const { sim, state, ok, refused, audits } = harmonyMutationKit(() => gw);
const roleId = (name: string) => state().roles.find((r) => r.name === name)!.roleId;
const userId = (email: string) => state().users.find((u) => u.email === email)!.userId;
const externalId = (email: string) => state().externalUsers.find((u) => u.email === email)!.externalUserId;

/** One document per mutation field, with valid arguments (they must never get as far as the rules). */
const everyMutation = (): [string, string, Record<string, unknown>][] => [
  ['inviteHarmonyUser', `mutation M($e: String!, $r: [ID!]!) { inviteHarmonyUser(input: { email: $e, roleIds: $r }) { user { id } } }`, { e: 'someone@demo.example', r: [roleId('User')] }],
  ['removeHarmonyUser', `mutation M($u: ID!) { removeHarmonyUser(userId: $u, confirm: "REMOVE") { removedUserId } }`, { u: userId('lena.logs@demo.example') }],
  ['assignRole', `mutation M($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { user { id } } }`, { u: userId(READER), r: roleId('Administrator') }],
  ['unassignRole', `mutation M($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { user { id } } }`, { u: userId(READER), r: roleId('User') }],
  ['setRoleAssignmentActive', `mutation M($u: ID!, $r: ID!) { setRoleAssignmentActive(userId: $u, roleId: $r, active: false) { user { id } } }`, { u: userId(READER), r: roleId('User') }],
  ['createRole', `mutation M { createRole(input: { name: "Sneaky", permissions: [ADMIN] }) { role { id } } }`, {}],
  ['updateRole', `mutation M($r: ID!) { updateRole(roleId: $r, input: { permissions: [ADMIN] }) { role { id } } }`, { r: roleId('Operators') }],
  ['deactivateRole', `mutation M($r: ID!) { deactivateRole(roleId: $r, confirm: "DEACTIVATE") { role { id } } }`, { r: roleId('Operators') }],
  ['reactivateRole', `mutation M($r: ID!) { reactivateRole(roleId: $r) { role { id } } }`, { r: roleId('Legacy Admins') }],
  ['removeRole', `mutation M($r: ID!) { removeRole(roleId: $r, confirm: "REMOVE") { removedRoleId } }`, { r: roleId('Operators') }],
  ['setEnvironmentAccess', `mutation M($r: ID!) { setEnvironmentAccess(roleId: $r, environmentId: "101", levels: [WRITE]) { role { id } } }`, { r: roleId('Operators') }],
  ['inviteExternalUser', `mutation M { inviteExternalUser(input: { email: "x@partner.example" }) { externalUser { id } } }`, {}],
  ['updateExternalUser', `mutation M($x: ID!) { updateExternalUser(externalUserId: $x, input: { accessExpiresOn: null }) { externalUser { id } } }`, { x: externalId('pat.partner@partner.example') }],
  ['suspendExternalUser', `mutation M($x: ID!) { suspendExternalUser(externalUserId: $x) { externalUser { id } } }`, { x: externalId('pat.partner@partner.example') }],
  ['reactivateExternalUser', `mutation M($x: ID!) { reactivateExternalUser(externalUserId: $x) { externalUser { id } } }`, { x: externalId('sam.suspended@partner.example') }],
  ['resendExternalUserInvitation', `mutation M($x: ID!) { resendExternalUserInvitation(externalUserId: $x) { externalUser { id } } }`, { x: externalId('rex.requested@partner.example') }],
  ['deleteExternalUser', `mutation M($x: ID!) { deleteExternalUser(externalUserId: $x, confirm: "DELETE") { deletedExternalUserId } }`, { x: externalId('pat.partner@partner.example') }],
];

describe('permission', () => {
  it.each([READER, OPERATOR, 'lena.logs@demo.example'])('refuses every mutation to %s (FORBIDDEN) and sends nothing', async (email) => {
    for (const [field, query, variables] of everyMutation()) {
      const err = await refused(query, variables, 'FORBIDDEN', undefined, email);
      expect(err.extensions?.capability, field).toBe('writeHarmony');
      expect(err.path, field).toEqual([field]);
    }
  });

  // No active READ or ADMIN (an inactive assignment, a deactivated role): not even free text.
  it.each(['ian.inactive@demo.example', 'dora.deactivated@demo.example'])('refuses every mutation to %s as free text (PERSISTED_QUERY_REQUIRED) and sends nothing', async (email) => {
    const [first] = everyMutation();
    for (const [field, query, variables] of everyMutation()) {
      const err = await refused(query, variables, 'PERSISTED_QUERY_REQUIRED', undefined, email);
      expect(err.extensions?.capability, field).toBe('sendFreeText');
    }
    // Refused before execution, and still in the audit trail.
    const denied = (await audits(first![0])).filter((e) => e.principalEmail === email);
    expect(denied[0], JSON.stringify(denied)).toMatchObject({ outcome: 'DENIED', errorCodes: ['PERSISTED_QUERY_REQUIRED'], principalKind: 'HARMONY_USER' });
  });

  it('refuses every mutation to an admin while the subscription has expired (SUBSCRIPTION_EXPIRED)', async () => {
    sim().setSubscriptionExpired(true);
    gw.app.services.cache.invalidate('harmony:*');
    try {
      for (const [field, query, variables] of everyMutation()) {
        const err = await refused(query, variables, 'FORBIDDEN', 'SUBSCRIPTION_EXPIRED', ADMIN);
        expect(err.message, field).toMatch(/subscription has expired/);
      }
      // Reads still work: the admin is read-only, not locked out.
      expect((await ok<{ roles: unknown[] }>(`{ roles { id } }`)).roles.length).toBeGreaterThan(0);
    } finally {
      sim().setSubscriptionExpired(false);
      gw.app.services.cache.invalidate('harmony:*');
    }
  });

  it("maps Harmony's own SUBSCRIPTION_EXPIRED (our copy of the organization was stale) to the same FORBIDDEN", async () => {
    await ok(`{ viewer { email } }`); // the organization is cached as current
    sim().setSubscriptionExpired(true);
    try {
      const result = await gw.gql(`mutation { createRole(input: { name: "Late", permissions: [READ] }) { role { id } } }`, { as: ADMIN });
      expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SUBSCRIPTION_EXPIRED', upstream: 'harmony' });
      expect(state().roles.some((r) => r.name === 'Late')).toBe(false);
      // The refusal dropped the stale copy: the next request knows without asking Harmony to write.
      const next = await gw.gql(`mutation { createRole(input: { name: "Late", permissions: [READ] }) { role { id } } }`, { as: ADMIN });
      expect(next.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SUBSCRIPTION_EXPIRED' });
      expect(next.body.errors?.[0]?.extensions?.upstream).toBeUndefined();
    } finally {
      sim().setSubscriptionExpired(false);
      gw.app.services.cache.invalidate('harmony:*');
    }
  });
});

describe('after a change', () => {
  it('a promoted user may administer on the next request, and a demoted one may not', async () => {
    const create = `mutation { createRole(input: { name: "By Rita", permissions: [READ] }) { role { id } } }`;
    await refused(create, {}, 'FORBIDDEN', undefined, READER);
    await ok(`mutation M($u: ID!, $r: ID!) { assignRole(userId: $u, roleId: $r) { user { id } } }`, { u: userId(READER), r: roleId('Administrator') });
    await ok(create, {}, READER);
    expect(state().roles.some((r) => r.name === 'By Rita')).toBe(true);
    await ok(`mutation M($u: ID!, $r: ID!) { unassignRole(userId: $u, roleId: $r) { user { id } } }`, { u: userId(READER), r: roleId('Administrator') });
    await refused(`mutation { createRole(input: { name: "By Rita 2", permissions: [READ] }) { role { id } } }`, {}, 'FORBIDDEN', undefined, READER);
    const events = await audits('createRole');
    expect(events.find((e) => e.principalEmail === READER && e.outcome === 'SUCCESS')).toMatchObject({
      targets: [{ type: 'Role', id: 'By Rita', label: 'By Rita' }],
    });
  });

  it('environment access changes reach the principal on the next request', async () => {
    const viewer = `{ viewer { environmentAccess { environment { name } levels } } }`;
    type V = { viewer: { environmentAccess: { environment: { name: string }; levels: string[] }[] } };
    const before = await ok<V>(viewer, {}, OPERATOR);
    expect(before.viewer.environmentAccess.find((a) => a.environment.name === 'Development')).toBeUndefined();
    await ok(`mutation M($r: ID!) { setEnvironmentAccess(roleId: $r, environmentId: "103", levels: [READ]) { role { id } } }`, { r: roleId('Operators') });
    const after = await ok<V>(viewer, {}, OPERATOR);
    expect(after.viewer.environmentAccess.find((a) => a.environment.name === 'Development')?.levels).toEqual(['READ']);
  });
});
