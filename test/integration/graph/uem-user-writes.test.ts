/**
 * createUemUser, updateUemUser and setUemUserStatus over real HTTP against the UEM simulator:
 * only what differs is sent, refusals (taken names, missing passwords, unknown groups, other
 * environments) come before any write, partners are kept out at the root, every call is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { withKey, createKey } from '../../helpers/matrix.kit.js';
import { OPERATOR, PRODUCTION, SANDBOX, uemWriteKit } from './uem-writes.helpers.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const { state, writes, ok, refused, audits } = uemWriteKit(() => gw);

const USER = 'user { id userName email firstName lastName status }';
const CREATE = `mutation Create($input: CreateUemUserInput!) { createUemUser(input: $input) { ${USER} changedFields } }`;
const UPDATE = `mutation Update($id: ID!, $input: UpdateUemUserInput!) { updateUemUser(id: $id, input: $input) { ${USER} changedFields } }`;
const STATUS = `mutation Status($id: ID!, $status: UemUserStatus!) { setUemUserStatus(id: $id, status: $status) { ${USER} changedFields } }`;
interface UserPayload {
  user: { id: string; userName: string; email: string | null; firstName: string | null; lastName: string | null; status: boolean | null };
  changedFields: string[];
}

describe('createUemUser', () => {
  it('creates a user and answers it as UEM holds it', async () => {
    const input = { userName: 'new.basic', organizationGroupId: String(SANDBOX), password: 'Secret-123', firstName: 'New', lastName: 'Basic', email: 'new.basic@demo.example', mobileNumber: '+1 555 0100' };
    const data = await ok<{ createUemUser: UserPayload }>(CREATE, { input });
    const created = state().userByName('new.basic')!;
    expect(data.createUemUser.user).toEqual({ id: String(created.id), userName: 'new.basic', email: 'new.basic@demo.example', firstName: 'New', lastName: 'Basic', status: true });
    expect(created).toMatchObject({ locationGroupId: SANDBOX, securityType: 'Basic', password: 'Secret-123', mobileNumber: '+1 555 0100' });
    const read = await ok<{ uemUsers: { totalCount: number } }>(`{ uemUsers(filter: { userName: "new.basic" }) { totalCount } }`);
    expect(read.uemUsers.totalCount).toBe(1);
  });

  it('refuses a taken name (any case), a BASIC user without password and an unknown group, before writing', async () => {
    await refused(CREATE, { input: { userName: 'NEW.BASIC', organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY' } }, 'BAD_USER_INPUT', undefined, 'USER_NAME_TAKEN');
    await refused(CREATE, { input: { userName: 'no.password', organizationGroupId: String(SANDBOX) } }, 'BAD_USER_INPUT', undefined, 'PASSWORD_REQUIRED');
    await refused(CREATE, { input: { userName: 'no.group', organizationGroupId: '4242', securityType: 'DIRECTORY' } }, 'BAD_USER_INPUT', undefined, 'UNKNOWN_ORGANIZATION_GROUP');
    await refused(CREATE, { input: { userName: 'has space', organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY' } }, 'BAD_USER_INPUT');
  });

  it('needs provisionUemUsers in the environment of the group: omar in Sandbox yes, in Production no', async () => {
    const sandbox = await ok<{ createUemUser: UserPayload }>(CREATE, { input: { userName: 'omar.sandbox', organizationGroupId: String(SANDBOX), securityType: 'DIRECTORY' } }, OPERATOR);
    expect(sandbox.createUemUser.user.userName).toBe('omar.sandbox');
    const error = await refused(CREATE, { input: { userName: 'omar.production', organizationGroupId: String(PRODUCTION), securityType: 'DIRECTORY' } }, 'FORBIDDEN', OPERATOR);
    expect(error.extensions?.capability).toBe('provisionUemUsers');
    expect(error.message).toMatch(/Production/);
    expect(state().userByName('omar.production')).toBeUndefined();
  });

  it('keeps partners out at the root', async () => {
    const key = await createKey(gw, 'pat.partner@partner.example');
    const before = writes();
    const result = await withKey(gw, key, CREATE, { input: { userName: 'pat.made', organizationGroupId: String(PRODUCTION), securityType: 'DIRECTORY' } });
    expect(['FORBIDDEN', 'PERSISTED_QUERY_REQUIRED']).toContain(result.body.errors?.[0]?.extensions?.code);
    expect(writes()).toBe(before);
  });
});

describe('updateUemUser and setUemUserStatus', () => {
  const sandboxUser = () => state().userByName('omar.sandbox')!;

  it('sends only the fields that differ, and nothing when nothing does', async () => {
    const id = String(sandboxUser().id);
    const changed = await ok<{ updateUemUser: UserPayload }>(UPDATE, { id, input: { firstName: 'Omar', lastName: sandboxUser().lastName, email: 'Made@Demo.example' } });
    expect(changed.updateUemUser.changedFields.sort()).toEqual(['email', 'firstName']);
    expect(changed.updateUemUser.user).toMatchObject({ firstName: 'Omar', email: 'Made@Demo.example' });
    const before = writes();
    const same = await ok<{ updateUemUser: UserPayload }>(UPDATE, { id, input: { firstName: 'Omar', email: 'made@demo.example' } });
    expect(same.updateUemUser.changedFields).toEqual([]);
    expect(writes()).toBe(before);
  });

  it('moves a user only with the capability on both sides', async () => {
    const id = String(sandboxUser().id);
    await refused(UPDATE, { id, input: { organizationGroupId: String(PRODUCTION) } }, 'FORBIDDEN', OPERATOR);
    const moved = await ok<{ updateUemUser: UserPayload }>(UPDATE, { id, input: { organizationGroupId: String(PRODUCTION) } });
    expect(moved.updateUemUser.changedFields).toEqual(['organizationGroupId']);
    expect(sandboxUser().locationGroupId).toBe(PRODUCTION);
    await refused(UPDATE, { id, input: { lastName: 'Nope' } }, 'FORBIDDEN', OPERATOR);
    await refused(UPDATE, { id: '987654321', input: { lastName: 'Nobody' } }, 'NOT_FOUND');
  });

  it('deactivates and activates, answering no change when the status is already set', async () => {
    const id = String(sandboxUser().id);
    const off = await ok<{ setUemUserStatus: UserPayload }>(STATUS, { id, status: 'INACTIVE' });
    expect(off.setUemUserStatus).toMatchObject({ changedFields: ['status'], user: { status: false } });
    expect(sandboxUser().status).toBe(false);
    const before = writes();
    const again = await ok<{ setUemUserStatus: UserPayload }>(STATUS, { id, status: 'INACTIVE' });
    expect(again.setUemUserStatus.changedFields).toEqual([]);
    expect(writes()).toBe(before);
    await ok(STATUS, { id, status: 'ACTIVE' });
    expect(sandboxUser().status).toBe(true);
    await refused(STATUS, { id, status: 'INACTIVE' }, 'FORBIDDEN', OPERATOR);
  });

  it('audits each call with its outcome, without the password or contact details', async () => {
    const creates = await audits('createUemUser');
    expect(new Set(creates.map((e) => e.outcome))).toEqual(new Set(['SUCCESS', 'FAILURE', 'DENIED']));
    const first = creates.find((e) => e.targets[0]?.id === 'new.basic' && e.outcome === 'SUCCESS')!;
    for (const secret of ['Secret-123', '+1 555 0100', 'new.basic@demo.example']) expect(JSON.stringify(first.variables)).not.toContain(secret);
    const updates = await audits('updateUemUser');
    expect(updates.map((e) => e.outcome)).toEqual(expect.arrayContaining(['SUCCESS', 'DENIED', 'FAILURE']));
    expect(updates.find((e) => e.outcome === 'SUCCESS')?.details).toMatchObject({ changedFields: expect.any(Array) });
    const statuses = await audits('setUemUserStatus');
    expect(statuses[0]).toMatchObject({ outcome: 'DENIED', principalEmail: OPERATOR, targets: [{ type: 'UemUser', id: String(sandboxUser().id) }] });
  });
});
