/**
 * provisionUemUsers over real HTTP against the UEM simulator: the guide's provisioning job as one
 * call. Dry runs write nothing, a real run creates, updates and adds to groups, a rerun is all
 * UNCHANGED / ALREADY_MEMBER, partial failures get their own results, permissions are per user's
 * environment, a large call is refused up front, and every call is in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { LAB, OPERATOR, PRODUCTION, READER, SANDBOX, uemWriteKit } from './uem-writes.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const { state, writes, calls, run, ok, audits } = uemWriteKit(() => gw);

const PROVISION = `mutation Provision($input: [ProvisionUemUserInput!]!, $dryRun: Boolean) {
  provisionUemUsers(input: $input, dryRun: $dryRun) {
    dryRun
    results { userName userId status changedFields errorCode message groups { groupName groupId status errorCode } }
  }
}`;
interface Result {
  userName: string;
  userId: string | null;
  status: string;
  changedFields: string[];
  errorCode: string | null;
  message: string | null;
  groups: { groupName: string; groupId: string | null; status: string; errorCode: string | null }[];
}
type Payload = { provisionUemUsers: { dryRun: boolean; results: Result[] } };

const groupNamed = (name: string) => [...state().userGroups.values()].find((g) => g.name === name)!;
/** An existing user of the Lab group who is in none of the named groups. */
const labUserOutside = (group: string, skip = 0) =>
  [...state().users.values()].filter((u) => u.locationGroupId === LAB && !groupNamed(group).members.has(u.id))[skip]!;
const statuses = (results: Result[]) => results.map((r) => [r.status, r.errorCode]);
const groupStatuses = (r: Result) => r.groups.map((g) => [g.groupName, g.status, g.errorCode]);

describe('provisionUemUsers', () => {
  const existing = () => labUserOutside('Engineering');
  const input = () => [
    { userName: 'prov.casey', organizationGroupId: String(SANDBOX), firstName: 'Casey', lastName: 'Prov', email: 'casey.prov@demo.example', password: 'Secret-123', department: 'IT', userGroups: ['Contractors', 'All Staff'] },
    { userName: 'prov.drew', organizationGroupId: String(PRODUCTION), firstName: 'Drew', lastName: 'Prov', securityType: 'DIRECTORY', userGroups: ['Sales', 'No Such Group'] },
    { userName: existing().userName.toUpperCase(), firstName: 'Renamed', lastName: existing().lastName, userGroups: ['engineering'] },
  ];

  it('dry-runs: says what would happen and writes nothing', async () => {
    const before = writes();
    const data = await ok<Payload>(PROVISION, { input: input(), dryRun: true });
    const [casey, drew, lab] = data.provisionUemUsers.results as [Result, Result, Result];
    expect(data.provisionUemUsers.dryRun).toBe(true);
    expect(statuses(data.provisionUemUsers.results)).toEqual([['WOULD_CREATE', null], ['WOULD_CREATE', null], ['WOULD_UPDATE', null]]);
    expect(casey.userId).toBeNull();
    expect(groupStatuses(casey)).toEqual([['Contractors', 'WOULD_ADD', null], ['All Staff', 'WOULD_ADD', null]]);
    expect(groupStatuses(drew)).toEqual([['Sales', 'WOULD_ADD', null], ['No Such Group', 'FAILED', 'NOT_FOUND']]);
    expect(lab).toMatchObject({ userId: String(existing().id), changedFields: ['firstName'] });
    expect(groupStatuses(lab)).toEqual([['engineering', 'WOULD_ADD', null]]);
    expect(writes(), 'a dry run writes nothing').toBe(before);
    expect(state().userByName('prov.casey')).toBeUndefined();
  });

  it('creates, updates and adds to groups, with a result per user and group', async () => {
    const lab = existing();
    const data = await ok<Payload>(PROVISION, { input: input() });
    const [casey, drew, updated] = data.provisionUemUsers.results as [Result, Result, Result];
    expect(statuses(data.provisionUemUsers.results)).toEqual([['CREATED', null], ['CREATED', null], ['UPDATED', null]]);
    const created = state().userByName('prov.casey')!;
    expect(created).toMatchObject({ firstName: 'Casey', email: 'casey.prov@demo.example', department: 'IT', locationGroupId: SANDBOX, securityType: 'Basic', status: true });
    expect(casey.userId).toBe(String(created.id));
    expect(groupStatuses(casey)).toEqual([['Contractors', 'ADDED', null], ['All Staff', 'ADDED', null]]);
    expect(casey.groups[0]?.groupId).toBe(String(groupNamed('Contractors').id));
    expect(groupNamed('Contractors').members.has(created.id)).toBe(true);
    expect(state().userByName('prov.drew')).toMatchObject({ securityType: 'Directory', locationGroupId: PRODUCTION });
    expect(groupStatuses(drew)).toEqual([['Sales', 'ADDED', null], ['No Such Group', 'FAILED', 'NOT_FOUND']]);
    expect(updated).toMatchObject({ userId: String(lab.id), changedFields: ['firstName'] });
    expect(state().users.get(lab.id)?.firstName).toBe('Renamed');
    expect(groupNamed('Engineering').members.has(lab.id)).toBe(true);
  });

  it('is idempotent: a rerun is UNCHANGED and ALREADY_MEMBER and writes nothing', async () => {
    const before = writes();
    const data = await ok<Payload>(PROVISION, { input: input().slice(0, 2) });
    expect(statuses(data.provisionUemUsers.results)).toEqual([['UNCHANGED', null], ['UNCHANGED', null]]);
    expect(groupStatuses(data.provisionUemUsers.results[0]!)).toEqual([['Contractors', 'ALREADY_MEMBER', null], ['All Staff', 'ALREADY_MEMBER', null]]);
    expect(groupStatuses(data.provisionUemUsers.results[1]!)).toEqual([['Sales', 'ALREADY_MEMBER', null], ['No Such Group', 'FAILED', 'NOT_FOUND']]);
    expect(writes(), 'nothing differs: nothing is sent').toBe(before);
  });

  it('fails users one by one: duplicates, missing password or group, bad email, unknown group id', async () => {
    const data = await ok<Payload>(PROVISION, {
      input: [
        { userName: 'prov.ok', organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY', userGroups: ['Contractors'] },
        { userName: 'PROV.OK', organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY' },
        { userName: 'prov.nopass', organizationGroupId: String(SANDBOX) },
        { userName: 'prov.nogroup', securityType: 'DIRECTORY' },
        { userName: 'prov.bademail', organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY', email: 'not-an-email' },
        { userName: 'prov.unknownog', organizationGroupId: '999', securityType: 'DIRECTORY', userGroups: ['All Staff'] },
      ],
    });
    const results = data.provisionUemUsers.results;
    expect(statuses(results)).toEqual([
      ['CREATED', null],
      ['FAILED', 'BAD_USER_INPUT'],
      ['FAILED', 'BAD_USER_INPUT'],
      ['FAILED', 'BAD_USER_INPUT'],
      ['FAILED', 'BAD_USER_INPUT'],
      ['FAILED', 'BAD_USER_INPUT'],
    ]);
    expect(results[2]?.message).toMatch(/password/);
    expect(results[3]?.message).toMatch(/organizationGroupId/);
    expect(results[4]?.message).toMatch(/email/);
    expect(groupStatuses(results[5]!)).toEqual([['All Staff', 'SKIPPED', null]]);
    for (const name of ['prov.nopass', 'prov.nogroup', 'prov.bademail', 'prov.unknownog']) expect(state().userByName(name)).toBeUndefined();
  });

  it('checks provisionUemUsers per user: omar writes in Sandbox only, rita nowhere', async () => {
    const prodUser = [...state().users.values()].find((u) => u.locationGroupId === PRODUCTION)!;
    const data = await ok<Payload>(
      PROVISION,
      {
        input: [
          { userName: 'omar.made', organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY', userGroups: ['Contractors'] },
          { userName: 'omar.prod', organizationGroupId: String(PRODUCTION), securityType: 'DIRECTORY', userGroups: ['Sales'] },
          { userName: prodUser.userName, organizationGroupId: String(SANDBOX) },
        ],
      },
      OPERATOR,
    );
    const results = data.provisionUemUsers.results;
    expect(statuses(results)).toEqual([['CREATED', null], ['FAILED', 'FORBIDDEN'], ['FAILED', 'FORBIDDEN']]);
    expect(results[1]?.message).toMatch(/provisionUemUsers.*Production/);
    expect(groupStatuses(results[1]!)).toEqual([['Sales', 'SKIPPED', null]]);
    expect(state().userByName('omar.prod')).toBeUndefined();
    expect(state().users.get(prodUser.id)?.locationGroupId).toBe(PRODUCTION);

    const rita = await ok<Payload>(PROVISION, { input: [{ userName: 'rita.made', organizationGroupId: String(PRODUCTION), securityType: 'DIRECTORY', userGroups: ['Sales'] }] }, READER);
    expect(statuses(rita.provisionUemUsers.results)).toEqual([['FAILED', 'FORBIDDEN']]);
  });

  it('reads the user directory once for a large input instead of one search per user, and reruns quietly', async () => {
    const many = Array.from({ length: 24 }, (_, i) => ({ userName: `bulk.user${i}`, organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY', lastName: `Bulk ${i}` }));
    const first = await ok<Payload>(PROVISION, { input: many });
    expect(new Set(first.provisionUemUsers.results.map((r) => r.status))).toEqual(new Set(['CREATED']));
    const searches = calls('GET /API/system/users/search');
    const before = writes();
    const rerun = await ok<Payload>(PROVISION, { input: many });
    expect(new Set(rerun.provisionUemUsers.results.map((r) => r.status))).toEqual(new Set(['UNCHANGED']));
    expect(calls('GET /API/system/users/search') - searches).toBeLessThanOrEqual(3);
    expect(writes()).toBe(before);
  });

  it('refuses a call over the upstream budget up front, with the estimate', async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ userName: `too.many${i}`, organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY', userGroups: ['Contractors'] }));
    const before = writes();
    const result = await run(PROVISION, { input: many });
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'upstreamRequests' });
    expect(writes()).toBe(before);
    const dry = await ok<Payload>(PROVISION, { input: many, dryRun: true });
    expect(new Set(dry.provisionUemUsers.results.map((r) => r.status))).toEqual(new Set(['WOULD_CREATE']));
    expect(dry.provisionUemUsers.results).toHaveLength(60);
  });

  it('records every call in the audit trail: dry runs marked, outcomes per results', async () => {
    const events = await audits('provisionUemUsers');
    expect(events.some((e) => (e.variables as { dryRun?: boolean }).dryRun === true && e.outcome === 'PARTIAL')).toBe(true);
    expect(new Set(events.map((e) => e.outcome))).toEqual(new Set(['SUCCESS', 'PARTIAL', 'DENIED']));
    const denied = events.find((e) => e.outcome === 'DENIED')!;
    expect(denied).toMatchObject({ principalEmail: READER, errorCodes: ['FORBIDDEN'], targets: [{ type: 'UemUserName', id: 'rita.made' }] });
    const real = events.find((e) => e.targets.length === 3 && e.targets.some((t) => t.id === 'prov.casey') && (e.variables as { dryRun?: boolean }).dryRun === false)!;
    expect(real.details?.results).toEqual(expect.arrayContaining([expect.objectContaining({ userName: 'prov.casey', status: 'CREATED' })]));
    expect(real.variables).toMatchObject({ userCount: 3, userGroups: expect.arrayContaining(['Contractors', 'Sales']) });
  });
});
