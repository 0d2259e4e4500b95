/**
 * Membership rules for Harmony users and external users (docs/design.md §5), as pure functions over
 * Harmony's lists and a fixed clock.
 */
import { describe, expect, it } from 'vitest';
import type { HarmonyExternalUser, HarmonyRole, HarmonyUser } from '../../../src/datasources/harmony/harmony.schemas.js';
import { accessEndsAt } from '../../../src/domain/external-expiry.js';
import {
  checkApiGroups,
  checkApis,
  checkEditable,
  checkExpiry,
  checkExternalInvite,
  checkResendable,
  checkTimeZone,
  currentStatus,
  findExternalUser,
  isCalendarDate,
} from '../../../src/domain/harmony-rules/external-users.rules.js';
import { checkAssignment, checkEmailFree, checkHarmonyInvite, findUser } from '../../../src/domain/harmony-rules/users.rules.js';

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0); // 2026-06-15T12:00Z
const roles: HarmonyRole[] = [{ roleId: '1', name: 'Administrator', permissions: ['ADMIN'], active: true, builtIn: true }];
const users: HarmonyUser[] = [{ userId: '10', email: 'Ada.Admin@demo.example', roles: [{ roleId: '1', active: true }] }];
const ext = (email: string, status: HarmonyExternalUser['status'], accessExpiresOn: string | null = null, timeZone = 'UTC'): HarmonyExternalUser => ({
  externalUserId: `x-${email}`,
  email,
  name: '',
  company: '',
  status,
  accessExpiresOn,
  timeZone,
  lastLogin: null,
  memberSince: null,
  apiGroupIds: [],
  apis: [],
});
const externalUsers = [ext('pat@partner.example', 'ACTIVE')];
const apiGroups = [{ apiGroupId: 'ag-1', name: 'device-inventory', envId: '101', apis: [] }];
const environments = [
  { envId: '101', envName: 'Production' },
  { envId: '102', envName: 'Sandbox' },
];
const apis = [
  { apiId: 'api-orders', name: 'Order status', envId: '101' },
  { apiId: 'api-sandbox-devices', name: 'Sandbox devices', envId: '102' },
];
const directory = { users, externalUsers, roles, apiGroups, environments, apis };

describe('Harmony user invitations', () => {
  it('pass for a new email with existing roles', () => {
    expect(checkHarmonyInvite({ ssoEnabled: false }, directory, { email: 'new@demo.example', roleIds: ['1'] })).toBeUndefined();
  });

  it('refuse members and external users, in any letter case', () => {
    expect(checkHarmonyInvite({ ssoEnabled: false }, directory, { email: ' ada.admin@DEMO.example', roleIds: ['1'] })).toMatchObject({ reason: 'EMAIL_IS_ORG_MEMBER' });
    expect(checkHarmonyInvite({ ssoEnabled: false }, directory, { email: 'PAT@partner.example', roleIds: ['1'] })).toMatchObject({ reason: 'EMAIL_IS_EXTERNAL_USER' });
  });

  it('need an email: SSO_ORG_CONFLICT in an SSO organization, INVALID_REQUEST otherwise', () => {
    expect(checkHarmonyInvite({ ssoEnabled: true }, directory, { email: 'jdoe', roleIds: ['1'] })).toMatchObject({ reason: 'SSO_ORG_CONFLICT', field: 'email' });
    expect(checkHarmonyInvite({ ssoEnabled: false }, directory, { email: 'jdoe', roleIds: ['1'] })).toMatchObject({ reason: 'INVALID_REQUEST' });
    expect(checkHarmonyInvite({ ssoEnabled: true }, directory, { email: 'j.doe@corp.example', roleIds: ['1'] })).toBeUndefined();
  });

  it('need at least one role, each existing', () => {
    expect(checkHarmonyInvite({ ssoEnabled: false }, directory, { email: 'n@demo.example', roleIds: [] })).toMatchObject({ reason: 'INVALID_REQUEST', field: 'roleIds' });
    expect(checkHarmonyInvite({ ssoEnabled: false }, directory, { email: 'n@demo.example', roleIds: ['1', '9'] })).toMatchObject({ reason: 'NOT_FOUND', field: 'roleIds' });
  });
});

describe('assignments', () => {
  it('name an existing user and role; changing one needs it assigned', () => {
    expect(checkAssignment(directory, '10', '1', true)).toBeUndefined();
    expect(checkAssignment(directory, '11', '1', false)).toMatchObject({ reason: 'NOT_FOUND', field: 'userId' });
    expect(checkAssignment(directory, '10', '2', false)).toMatchObject({ reason: 'NOT_FOUND', field: 'roleId' });
    const withRole2 = { users, roles: [...roles, { ...roles[0]!, roleId: '2', name: 'User', builtIn: true }] };
    expect(checkAssignment(withRole2, '10', '2', false)).toBeUndefined();
    expect(checkAssignment(withRole2, '10', '2', true)).toMatchObject({ reason: 'NOT_FOUND', message: 'The role User is not assigned to Ada.Admin@demo.example.' });
  });

  it('find users by id', () => {
    expect(findUser(users, '10')).toBe(users[0]);
    expect(findUser(users, '1')).toMatchObject({ reason: 'NOT_FOUND' });
  });

  it('emails are free only when neither list has them', () => {
    expect(checkEmailFree('other@demo.example', users, externalUsers)).toBeUndefined();
  });
});

describe('external user invitations', () => {
  const invite = (over: Partial<Parameters<typeof checkExternalInvite>[1]>) =>
    checkExternalInvite(directory, { email: 'new@partner.example', accessExpiresOn: null, timeZone: 'UTC', ...over }, NOW);

  it('pass with no expiry, or a day still to come in a real time zone', () => {
    expect(invite({})).toBeUndefined();
    expect(invite({ accessExpiresOn: '2026-06-15', timeZone: 'Europe/Paris', apiGroupIds: ['ag-1'] })).toBeUndefined();
  });

  it('refuse Harmony users and existing external users', () => {
    expect(invite({ email: 'ADA.admin@demo.example' })).toMatchObject({ reason: 'EMAIL_IS_ORG_MEMBER' });
    expect(invite({ email: 'pat@partner.example' })).toMatchObject({ reason: 'EMAIL_IS_EXTERNAL_USER' });
  });

  it('refuse malformed emails, dates and time zones, ended days and unknown API groups', () => {
    expect(invite({ email: 'pat' })).toMatchObject({ reason: 'INVALID_REQUEST', field: 'email' });
    expect(invite({ accessExpiresOn: '2026-02-30' })).toMatchObject({ reason: 'INVALID_REQUEST', field: 'accessExpiresOn' });
    expect(invite({ accessExpiresOn: '15/06/2026' })).toMatchObject({ reason: 'INVALID_REQUEST', field: 'accessExpiresOn' });
    expect(invite({ timeZone: 'Mars/Base' })).toMatchObject({ reason: 'INVALID_REQUEST', field: 'timeZone' });
    expect(invite({ accessExpiresOn: '2026-06-14' })).toMatchObject({ reason: 'INVALID_REQUEST', field: 'accessExpiresOn' });
    expect(invite({ apiGroupIds: ['ag-1', 'ag-2'] })).toMatchObject({ reason: 'NOT_FOUND', message: 'There is no API group with id ag-2.' });
  });
});

describe('individual API grants', () => {
  it('pass when each names an API in the environment it is published in', () => {
    expect(checkApis(directory, undefined)).toBeUndefined();
    expect(checkApis(directory, [])).toBeUndefined();
    expect(checkApis(directory, [{ envId: '101', apiId: 'api-orders' }, { envId: '102', apiId: 'api-sandbox-devices' }])).toBeUndefined();
  });

  it('refuse unknown environments, unknown APIs and APIs of another environment, naming every one', () => {
    expect(checkApis(directory, [{ envId: '999', apiId: 'api-orders' }])).toEqual({
      reason: 'NOT_FOUND',
      message: 'There is no environment with id 999.',
      field: 'apis',
    });
    expect(checkApis(directory, [{ envId: '101', apiId: 'api-nope' }])).toMatchObject({ reason: 'NOT_FOUND', message: 'There is no API with id api-nope.' });
    expect(checkApis(directory, [{ envId: '102', apiId: 'api-orders' }, { envId: '101', apiId: 'api-nope' }])).toMatchObject({
      reason: 'NOT_FOUND',
      message: 'API api-orders is published in Production (101), not in environment 102; there is no API with id api-nope.',
    });
  });

  it('are checked with the invitation', () => {
    const invite = (over: Partial<Parameters<typeof checkExternalInvite>[1]>) =>
      checkExternalInvite(directory, { email: 'new@partner.example', accessExpiresOn: null, timeZone: 'UTC', ...over }, NOW);
    expect(invite({ apis: [{ envId: '101', apiId: 'api-orders' }] })).toBeUndefined();
    expect(invite({ apis: [{ envId: '101', apiId: 'api-sandbox-devices' }] })).toMatchObject({ reason: 'NOT_FOUND', field: 'apis' });
  });
});

describe('expiry days', () => {
  it('end at 23:59 in the user’s own time zone', () => {
    // 2026-06-15 23:59 in Pacific/Kiritimati (UTC+14) is 09:59Z the same day: already past at NOW.
    expect(checkExpiry('2026-06-15', 'Pacific/Kiritimati', NOW)).toMatchObject({ reason: 'INVALID_REQUEST' });
    expect(checkExpiry('2026-06-15', 'America/Los_Angeles', NOW)).toBeUndefined();
    expect(checkExpiry('2026-06-15', 'America/Los_Angeles', accessEndsAt('2026-06-15', 'America/Los_Angeles'))).toMatchObject({ reason: 'INVALID_REQUEST' });
    expect(checkExpiry(null, 'UTC', NOW)).toBeUndefined();
  });

  it('are real calendar days', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-13-01')).toBe(false);
    expect(checkTimeZone(undefined)).toBeUndefined();
    expect(checkTimeZone('Asia/Tokyo')).toBeUndefined();
  });

  it('check API group ids', () => {
    expect(checkApiGroups(apiGroups, undefined)).toBeUndefined();
    expect(checkApiGroups(apiGroups, [])).toBeUndefined();
  });
});

describe('external user status rules', () => {
  it('read EXPIRED once the expiry instant has passed, whatever was stored', () => {
    expect(currentStatus(ext('a@p.example', 'ACTIVE', '2026-06-14'), NOW)).toBe('EXPIRED');
    expect(currentStatus(ext('a@p.example', 'SUSPENDED', '2026-06-14'), NOW)).toBe('EXPIRED');
    expect(currentStatus(ext('a@p.example', 'SUSPENDED', '2026-06-16'), NOW)).toBe('SUSPENDED');
  });

  it('edit only while ACTIVE or SUSPENDED', () => {
    expect(checkEditable(ext('a@p.example', 'ACTIVE'), NOW)).toBeUndefined();
    expect(checkEditable(ext('a@p.example', 'SUSPENDED', '2026-07-01'), NOW)).toBeUndefined();
    expect(checkEditable(ext('a@p.example', 'REQUESTED'), NOW)).toMatchObject({ reason: 'INVALID_STATUS_TRANSITION' });
    expect(checkEditable(ext('a@p.example', 'EXPIRED'), NOW)).toMatchObject({ reason: 'INVALID_STATUS_TRANSITION' });
    expect(checkEditable(ext('a@p.example', 'ACTIVE', '2026-06-01'), NOW)).toMatchObject({ reason: 'INVALID_STATUS_TRANSITION' });
  });

  it('resend only while REQUESTED or EXPIRED, with a new expiry once the old one has passed', () => {
    expect(checkResendable(ext('a@p.example', 'REQUESTED'), NOW, undefined)).toBeUndefined();
    expect(checkResendable(ext('a@p.example', 'ACTIVE'), NOW, undefined)).toMatchObject({ reason: 'INVALID_STATUS_TRANSITION' });
    expect(checkResendable(ext('a@p.example', 'SUSPENDED'), NOW, undefined)).toMatchObject({ reason: 'INVALID_STATUS_TRANSITION' });
    const expired = ext('a@p.example', 'ACTIVE', '2026-06-01');
    expect(checkResendable(expired, NOW, undefined)).toMatchObject({ reason: 'INVALID_REQUEST', field: 'accessExpiresOn' });
    expect(checkResendable(expired, NOW, '2026-07-01')).toBeUndefined();
    expect(checkResendable(expired, NOW, null)).toBeUndefined();
    // Stored EXPIRED without a date (Harmony's own decision): a resend needs no new date.
    expect(checkResendable(ext('a@p.example', 'EXPIRED'), NOW, undefined)).toBeUndefined();
  });

  it('find external users by id', () => {
    expect(findExternalUser(externalUsers, 'x-pat@partner.example')).toBe(externalUsers[0]);
    expect(findExternalUser(externalUsers, 'nope')).toMatchObject({ reason: 'NOT_FOUND', field: 'externalUserId' });
  });
});
