/**
 * Custom user groups over real HTTP against the UEM simulator: the list and members (row-scoped),
 * and addUsersToUserGroup / removeUsersFromUserGroup with a result per user, idempotent reruns,
 * unknown users and groups, per-user environment checks and the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { LAB, OPERATOR, PRODUCTION, READER, SANDBOX, TOP, uemWriteKit } from './uem-writes.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const { state, writes, ok, refused, audits } = uemWriteKit(() => gw);

const groupNamed = (name: string) => [...state().userGroups.values()].find((g) => g.name === name)!;
const usersOf = (group: number) => [...state().users.values()].filter((u) => u.locationGroupId === group);

const GROUPS = `query Groups($filter: UserGroupFilter) {
  userGroups(filter: $filter, first: 50) { totalCount nodes { id name userCount organizationGroup { id name } } }
}`;
const MEMBERS = `query Members($id: ID!) { userGroup(id: $id) { name userCount members(first: 500) { totalCount nodes { id userName } } } }`;
const ADD = `mutation Add($groupId: ID!, $userIds: [ID!]!) {
  addUsersToUserGroup(groupId: $groupId, userIds: $userIds) { group { id userCount } results { userId status errorCode message } }
}`;
const REMOVE = `mutation Remove($groupId: ID!, $userIds: [ID!]!) {
  removeUsersFromUserGroup(groupId: $groupId, userIds: $userIds) { group { id userCount } results { userId status errorCode message } }
}`;
type Results = { group: { id: string; userCount: number }; results: { userId: string; status: string; errorCode: string | null; message: string | null }[] };
const statuses = (r: Results) => r.results.map((x) => [x.userId, x.status, x.errorCode]);

describe('user group reads', () => {
  it('lists the groups, by name and by the organization group whose users may join', async () => {
    const all = await ok<{ userGroups: { totalCount: number; nodes: { name: string; userCount: number; organizationGroup: { id: string } }[] } }>(GROUPS);
    expect(all.userGroups.totalCount).toBe(state().userGroups.size);
    const staff = all.userGroups.nodes.find((g) => g.name === 'All Staff')!;
    expect(staff).toMatchObject({ userCount: groupNamed('All Staff').members.size, organizationGroup: { id: String(TOP) } });
    const byName = await ok<{ userGroups: { nodes: { name: string }[] } }>(GROUPS, { filter: { name: 'SAL' } });
    expect(byName.userGroups.nodes.map((g) => g.name)).toEqual(['Sales']);
    const sandbox = await ok<{ userGroups: { nodes: { name: string }[] } }>(GROUPS, { filter: { organizationGroupId: String(SANDBOX) } });
    expect(sandbox.userGroups.nodes.map((g) => g.name).sort()).toEqual(['All Staff', 'Contractors', 'Engineering', 'Executives']);
  });

  it('lists and counts members in the caller’s row scope only', async () => {
    const staff = groupNamed('All Staff');
    const ada = await ok<{ userGroup: { members: { totalCount: number } } }>(MEMBERS, { id: String(staff.id) });
    expect(ada.userGroup.members.totalCount).toBe(staff.members.size);
    const rita = await ok<{ userGroup: { userCount: number; members: { totalCount: number; nodes: { id: string }[] } } }>(MEMBERS, { id: String(staff.id) }, READER);
    const production = [...staff.members].filter((id) => state().users.get(id)?.locationGroupId === PRODUCTION);
    // Issue 18 cell 12: the count is rita's too (UEM's count, every environment, is ada's).
    expect(rita.userGroup.userCount).toBe(production.length);
    expect(production.length).toBeLessThan(staff.members.size);
    expect(rita.userGroup.members.totalCount).toBe(production.length);
    expect(rita.userGroup.members.nodes.map((u) => Number(u.id)).sort((a, b) => a - b)).toEqual(production.sort((a, b) => a - b));
    expect((await ok<{ userGroup: null }>(MEMBERS, { id: '424242' })).userGroup).toBeNull();
  });
});

describe('addUsersToUserGroup and removeUsersFromUserGroup', () => {
  const contractors = () => groupNamed('Contractors');
  const outsider = (group: number, skip = 0) => usersOf(group).filter((u) => !contractors().members.has(u.id))[skip]!;

  it('adds with a result per user: added, already a member, unknown; a rerun changes nothing', async () => {
    const newcomer = outsider(SANDBOX);
    const member = [...contractors().members][0]!;
    const before = contractors().members.size;
    const data = await ok<{ addUsersToUserGroup: Results }>(ADD, { groupId: String(contractors().id), userIds: [String(newcomer.id), String(member), '99999999'] });
    expect(statuses(data.addUsersToUserGroup)).toEqual([
      [String(newcomer.id), 'ADDED', null],
      [String(member), 'ALREADY_MEMBER', null],
      ['99999999', 'FAILED', 'NOT_FOUND'],
    ]);
    expect(contractors().members.has(newcomer.id)).toBe(true);
    expect(data.addUsersToUserGroup.group.userCount).toBe(before + 1);
    const writesBefore = writes();
    const rerun = await ok<{ addUsersToUserGroup: Results }>(ADD, { groupId: String(contractors().id), userIds: [String(newcomer.id), String(member)] });
    expect(rerun.addUsersToUserGroup.results.map((r) => r.status)).toEqual(['ALREADY_MEMBER', 'ALREADY_MEMBER']);
    expect(writes()).toBe(writesBefore);
  });

  it('checks provisionUemUsers per user: omar changes Sandbox users, not Production ones, and a Lab user he may not read is not there', async () => {
    const [sandbox, production, lab] = [outsider(SANDBOX, 1), outsider(PRODUCTION), outsider(LAB)];
    const data = await ok<{ addUsersToUserGroup: Results }>(
      ADD,
      { groupId: String(contractors().id), userIds: [sandbox, production, lab].map((u) => String(u.id)) },
      OPERATOR,
    );
    expect(statuses(data.addUsersToUserGroup)).toEqual([
      [String(sandbox.id), 'ADDED', null],
      [String(production.id), 'SKIPPED', 'FORBIDDEN'],
      [String(lab.id), 'FAILED', 'NOT_FOUND'],
    ]);
    expect(data.addUsersToUserGroup.results[1]?.message).toMatch(/Production/);
    // Issue 18 cell 11: exactly the answer for a user UEM does not have, naming no environment.
    expect(data.addUsersToUserGroup.results[2]?.message).toBe('No enrollment user with this id.');
    expect(contractors().members.has(production.id)).toBe(false);
  });

  it('removes, answering NOT_MEMBER for users not in the group', async () => {
    const added = [...contractors().members].find((id) => state().users.get(id)?.locationGroupId === SANDBOX)!;
    const stranger = outsider(SANDBOX, 5);
    const data = await ok<{ removeUsersFromUserGroup: Results }>(REMOVE, { groupId: String(contractors().id), userIds: [String(added), String(stranger.id)] });
    expect(statuses(data.removeUsersFromUserGroup)).toEqual([
      [String(added), 'REMOVED', null],
      [String(stranger.id), 'NOT_MEMBER', null],
    ]);
    expect(contractors().members.has(added)).toBe(false);
  });

  it('refuses an unknown group or bad ids before writing', async () => {
    await refused(ADD, { groupId: '424242', userIds: ['1'] }, 'NOT_FOUND');
    await refused(ADD, { groupId: String(contractors().id), userIds: [] }, 'BAD_USER_INPUT');
    await refused(REMOVE, { groupId: String(contractors().id), userIds: ['abc'] }, 'BAD_USER_INPUT');
  });

  it('audits every call with per-user details', async () => {
    const adds = await audits('addUsersToUserGroup');
    expect(new Set(adds.map((e) => e.outcome))).toEqual(new Set(['PARTIAL', 'SUCCESS', 'FAILURE']));
    const omar = adds.find((e) => e.principalEmail === OPERATOR)!;
    expect(omar).toMatchObject({ outcome: 'PARTIAL' });
    expect([...omar.errorCodes].sort()).toEqual(['FORBIDDEN', 'NOT_FOUND']);
    expect(omar.targets[0]).toEqual({ type: 'UserGroup', id: String(contractors().id) });
    expect(omar.details?.results).toHaveLength(3);
    expect((await audits('removeUsersFromUserGroup')).map((e) => e.outcome)).toContain('SUCCESS');
  });
});
