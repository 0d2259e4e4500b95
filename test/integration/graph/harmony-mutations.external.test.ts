/**
 * External user mutations over real HTTP against the Harmony simulator: invite (expiry day and time
 * zone optional), edit expiry and grants, suspend, reactivate, resend and delete (typed DELETE),
 * with the status rules computed from the expiry instant and refused before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessEndsAt } from '../../../src/domain/external-expiry.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { harmonyMutationKit } from './harmony-mutations.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const { sim, state, ok, refused, audits } = harmonyMutationKit(() => gw);
const external = (email: string) => state().externalUsers.find((u) => u.email.toLowerCase() === email.toLowerCase());
const idOf = (email: string) => external(email)!.externalUserId;
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

const FIELDS = 'id email status accessExpiresOn timeZone accessEndsAt apiGroups { name }';
const INVITE = `mutation Invite($input: InviteExternalUserInput!) { inviteExternalUser(input: $input) { externalUser { ${FIELDS} name company } } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateExternalUserInput!) { updateExternalUser(externalUserId: $id, input: $input) { externalUser { ${FIELDS} } } }`;
const SUSPEND = `mutation Suspend($id: ID!) { suspendExternalUser(externalUserId: $id) { externalUser { id status } } }`;
const REACTIVATE = `mutation Reactivate($id: ID!) { reactivateExternalUser(externalUserId: $id) { externalUser { id status } } }`;
const RESEND = `mutation Resend($id: ID!, $on: String, $tz: String) {
  resendExternalUserInvitation(externalUserId: $id, accessExpiresOn: $on, timeZone: $tz) { externalUser { ${FIELDS} } }
}`;
const DELETE = `mutation Delete($id: ID!, $confirm: String!) { deleteExternalUser(externalUserId: $id, confirm: $confirm) { deletedExternalUserId email } }`;

interface ExternalData {
  id: string;
  email: string;
  status: string;
  accessExpiresOn: string | null;
  timeZone: string;
  accessEndsAt: string | null;
  apiGroups: { name: string }[];
  name?: string | null;
  company?: string | null;
}

describe('inviteExternalUser', () => {
  it('invites with an expiry day in the user’s time zone and API groups; the user starts REQUESTED', async () => {
    const on = day(30);
    const data = await ok<{ inviteExternalUser: { externalUser: ExternalData } }>(INVITE, {
      input: { email: 'new.partner@partner.example', accessExpiresOn: on, timeZone: 'America/New_York', name: 'New Partner', company: 'Acme', apiGroupIds: ['ag-1'] },
    });
    const user = data.inviteExternalUser.externalUser;
    expect(user).toMatchObject({ status: 'REQUESTED', accessExpiresOn: on, timeZone: 'America/New_York', apiGroups: [{ name: 'device-inventory' }], name: 'New Partner', company: 'Acme' });
    expect(user.accessEndsAt).toBe(new Date(accessEndsAt(on, 'America/New_York')).toISOString());
    expect(external('new.partner@partner.example')).toMatchObject({ externalUserId: user.id, accessExpiresOn: on, timeZone: 'America/New_York', apiGroupIds: ['ag-1'] });
    const read = await ok<{ externalUser: { id: string } | null }>(`query E($e: String!) { externalUser(email: $e) { id } }`, { e: 'new.partner@partner.example' });
    expect(read.externalUser?.id).toBe(user.id);
  });

  it('invites without expiry (never) in UTC by default', async () => {
    const data = await ok<{ inviteExternalUser: { externalUser: ExternalData } }>(INVITE, { input: { email: 'forever@partner.example' } });
    expect(data.inviteExternalUser.externalUser).toMatchObject({ accessExpiresOn: null, accessEndsAt: null, timeZone: 'UTC', status: 'REQUESTED' });
  });

  it('refuses the email of a Harmony user or of another external user', async () => {
    await refused(INVITE, { input: { email: 'ADA.admin@demo.example' } }, 'BAD_USER_INPUT', 'EMAIL_IS_ORG_MEMBER');
    await refused(INVITE, { input: { email: 'pat.partner@PARTNER.example' } }, 'BAD_USER_INPUT', 'EMAIL_IS_EXTERNAL_USER');
  });

  it('refuses a bad email, date or time zone, an expiry already past, and unknown API groups', async () => {
    await refused(INVITE, { input: { email: 'nope' } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(INVITE, { input: { email: 'a@partner.example', accessExpiresOn: '2030-02-30' } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(INVITE, { input: { email: 'a@partner.example', timeZone: 'Mars/Olympus' } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(INVITE, { input: { email: 'a@partner.example', accessExpiresOn: day(-2) } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(INVITE, { input: { email: 'a@partner.example', apiGroupIds: ['ag-404'] } }, 'NOT_FOUND', 'NOT_FOUND');
  });
});

describe('updateExternalUser', () => {
  it('edits the expiry and the grants of an ACTIVE user; null makes access never expire', async () => {
    const id = idOf('pat.partner@partner.example');
    const on = day(60);
    const data = await ok<{ updateExternalUser: { externalUser: ExternalData } }>(UPDATE, {
      id,
      input: { accessExpiresOn: on, timeZone: 'Asia/Tokyo', apiGroupIds: ['ag-1', 'ag-3'] },
    });
    expect(data.updateExternalUser.externalUser).toMatchObject({
      accessExpiresOn: on,
      timeZone: 'Asia/Tokyo',
      apiGroups: [{ name: 'device-inventory' }, { name: 'order-status' }],
      status: 'ACTIVE',
    });
    expect(external('pat.partner@partner.example')).toMatchObject({ accessExpiresOn: on, timeZone: 'Asia/Tokyo', apiGroupIds: ['ag-1', 'ag-3'] });
    await ok(UPDATE, { id, input: { accessExpiresOn: null, apiGroupIds: ['ag-1'] } });
    expect(external('pat.partner@partner.example')).toMatchObject({ accessExpiresOn: null, timeZone: 'Asia/Tokyo', apiGroupIds: ['ag-1'] });
  });

  it('edits a SUSPENDED user too', async () => {
    await ok(UPDATE, { id: idOf('sam.suspended@partner.example'), input: { company: 'Suspended Inc' } });
    expect(external('sam.suspended@partner.example')!.company).toBe('Suspended Inc');
  });

  it('refuses REQUESTED and EXPIRED users (INVALID_STATUS_TRANSITION)', async () => {
    await refused(UPDATE, { id: idOf('rex.requested@partner.example'), input: { accessExpiresOn: day(10) } }, 'BAD_USER_INPUT', 'INVALID_STATUS_TRANSITION');
    await refused(UPDATE, { id: idOf('eve.expired@partner.example'), input: { accessExpiresOn: day(10) } }, 'BAD_USER_INPUT', 'INVALID_STATUS_TRANSITION');
  });

  it('computes EXPIRED from the expiry instant, even when Harmony still stores ACTIVE', async () => {
    const pat = external('pat.partner@partner.example')!;
    const saved = { ...pat };
    pat.accessExpiresOn = day(-3);
    gw.app.services.cache.invalidate('harmony:*');
    try {
      await refused(UPDATE, { id: pat.externalUserId, input: { company: 'X' } }, 'BAD_USER_INPUT', 'INVALID_STATUS_TRANSITION');
    } finally {
      pat.accessExpiresOn = saved.accessExpiresOn;
      gw.app.services.cache.invalidate('harmony:*');
    }
  });

  it('refuses a past expiry, an unknown time zone, unknown API groups, an empty edit and unknown ids', async () => {
    const id = idOf('pat.partner@partner.example');
    await refused(UPDATE, { id, input: { accessExpiresOn: day(-5) } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(UPDATE, { id, input: { timeZone: 'Nowhere/City' } }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(UPDATE, { id, input: { apiGroupIds: ['ag-1', 'ag-9'] } }, 'NOT_FOUND', 'NOT_FOUND');
    await refused(UPDATE, { id, input: {} }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(UPDATE, { id: 'no-such-id', input: { company: 'X' } }, 'NOT_FOUND', 'NOT_FOUND');
  });
});

describe('suspend and reactivate', () => {
  it('suspends an ACTIVE user and reactivates them', async () => {
    const id = idOf('pat.partner@partner.example');
    const off = await ok<{ suspendExternalUser: { externalUser: { status: string } } }>(SUSPEND, { id });
    expect(off.suspendExternalUser.externalUser.status).toBe('SUSPENDED');
    expect(sim().externalStatus('pat.partner@partner.example')).toBe('SUSPENDED');
    const on = await ok<{ reactivateExternalUser: { externalUser: { status: string } } }>(REACTIVATE, { id });
    expect(on.reactivateExternalUser.externalUser.status).toBe('ACTIVE');
    expect(sim().externalStatus('pat.partner@partner.example')).toBe('ACTIVE');
  });

  it('refuses REQUESTED and EXPIRED users', async () => {
    await refused(SUSPEND, { id: idOf('rex.requested@partner.example') }, 'BAD_USER_INPUT', 'INVALID_STATUS_TRANSITION');
    await refused(REACTIVATE, { id: idOf('eve.expired@partner.example') }, 'BAD_USER_INPUT', 'INVALID_STATUS_TRANSITION');
  });
});

describe('resendExternalUserInvitation', () => {
  it('resends to a REQUESTED user', async () => {
    const rex = external('rex.requested@partner.example')!;
    const sent = rex.invitationsSent;
    const data = await ok<{ resendExternalUserInvitation: { externalUser: ExternalData } }>(RESEND, { id: rex.externalUserId });
    expect(data.resendExternalUserInvitation.externalUser.status).toBe('REQUESTED');
    expect(rex.invitationsSent).toBe(sent + 1);
  });

  it('resends to an EXPIRED user only with a new expiry, which the user then has', async () => {
    const eve = external('eve.expired@partner.example')!;
    await refused(RESEND, { id: eve.externalUserId }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    await refused(RESEND, { id: eve.externalUserId, on: day(-1) }, 'BAD_USER_INPUT', 'INVALID_REQUEST');
    const on = day(14);
    const data = await ok<{ resendExternalUserInvitation: { externalUser: ExternalData } }>(RESEND, { id: eve.externalUserId, on, tz: 'Europe/Paris' });
    expect(data.resendExternalUserInvitation.externalUser).toMatchObject({ status: 'REQUESTED', accessExpiresOn: on, timeZone: 'Europe/Paris' });
    expect(eve).toMatchObject({ status: 'REQUESTED', accessExpiresOn: on, timeZone: 'Europe/Paris' });
  });

  it('refuses ACTIVE and SUSPENDED users (INVALID_STATUS_TRANSITION)', async () => {
    await refused(RESEND, { id: idOf('pat.partner@partner.example') }, 'BAD_USER_INPUT', 'INVALID_STATUS_TRANSITION');
    await refused(RESEND, { id: idOf('sam.suspended@partner.example') }, 'BAD_USER_INPUT', 'INVALID_STATUS_TRANSITION');
  });
});

describe('deleteExternalUser', () => {
  it('needs the typed confirmation DELETE, then deletes', async () => {
    const id = idOf('forever@partner.example');
    await refused(DELETE, { id, confirm: 'REMOVE' }, 'BAD_USER_INPUT', 'CONFIRMATION_REQUIRED');
    const data = await ok<{ deleteExternalUser: { deletedExternalUserId: string; email: string } }>(DELETE, { id, confirm: 'DELETE' });
    expect(data.deleteExternalUser).toEqual({ deletedExternalUserId: id, email: 'forever@partner.example' });
    expect(external('forever@partner.example')).toBeUndefined();
    const read = await ok<{ externalUser: unknown }>(`{ externalUser(email: "forever@partner.example") { id } }`);
    expect(read.externalUser).toBeNull();
    await refused(DELETE, { id, confirm: 'DELETE' }, 'NOT_FOUND', 'NOT_FOUND');
  });
});

describe('audit', () => {
  it.each(['inviteExternalUser', 'updateExternalUser', 'suspendExternalUser', 'reactivateExternalUser', 'resendExternalUserInvitation', 'deleteExternalUser'])(
    'records every %s, refused or not, with the caller and its target',
    async (field) => {
      const events = await audits(field);
      expect(events.some((e) => e.outcome === 'SUCCESS')).toBe(true);
      expect(events.some((e) => e.outcome === 'FAILURE' && e.errorCodes.length === 1)).toBe(true);
      for (const e of events) {
        expect(e).toMatchObject({ principalKind: 'HARMONY_USER', principalEmail: 'ada.admin@demo.example', field });
        expect(e.targets[0]?.type).toBe('ExternalUser');
      }
    },
  );
});
