/**
 * The upstream-request estimate of the UEM writes of issue 11 and the user group reads, on the
 * real schema and without a server: what the arguments tell is counted (users, groups named,
 * smart groups), a dry run counts no writes, and other mutations keep their own estimate.
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { estimateUpstream } from '../../../src/safety/upstream-budget.js';
import { walkContext } from '../../../src/safety/walk.js';
import { knowledgeOf } from '../../helpers/tenant.js';

const schema = buildSchema();

function uem(query: string, variables?: Record<string, unknown>): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  return estimateUpstream(schema, walkContext(document, operation, variables), operation, 500, { knowledge: knowledgeOf() }).uem;
}

const PROVISION = 'mutation ($input: [ProvisionUemUserInput!]!, $dryRun: Boolean) { provisionUemUsers(input: $input, dryRun: $dryRun) { dryRun } }';
const users = (n: number, groups: string[]) => Array.from({ length: n }, (_, i) => ({ userName: `u${i}`, userGroups: groups }));

describe('UEM write estimates', () => {
  it('provisioning: a lookup, a write and a membership per user, each named group read once; dry runs write nothing', () => {
    // 3 lookups + 2 lists + 2 groups read + 3 users written + 6 memberships.
    expect(uem(PROVISION, { input: users(3, ['A', 'B']) })).toBe(3 + 2 + 2 + 3 + 6);
    expect(uem(PROVISION, { input: users(3, ['A', 'B']), dryRun: true })).toBe(3 + 2 + 2);
    // From 20 users on, the directory (2 requests) replaces the lookups.
    expect(uem(PROVISION, { input: users(30, []) })).toBe(2 + 2 + 30);
    expect(uem(PROVISION, { input: users(60, ['A']) })).toBeGreaterThan(100);
  });

  it('user writes, memberships, assignments and retries', () => {
    expect(uem('mutation { createUemUser(input: { userName: "a", organizationGroupId: "1" }) { changedFields } }')).toBe(4);
    expect(uem('mutation { setUemUserStatus(id: "1", status: ACTIVE) { changedFields } }')).toBe(5);
    expect(uem('mutation { addUsersToUserGroup(groupId: "1", userIds: ["1", "2", "3"]) { results { status } } }')).toBe(3 + 6);
    expect(uem('mutation { assignAppToSmartGroups(appId: "1", smartGroupIds: ["1", "2"]) { results { status } } }')).toBe(3 + 4);
    expect(uem('mutation { retryFailedInstalls(appId: "1") { failedInstalls } }')).toBe(4);
  });

  it('user group reads: the list once, members per group', () => {
    expect(uem('{ userGroups(first: 10) { nodes { name } } }')).toBe(1);
    expect(uem('{ userGroups(first: 10) { nodes { name members(first: 5) { nodes { userName } } } } }')).toBe(1 + 10);
  });

  it('leaves the estimate of other mutations as it was', () => {
    expect(uem('mutation { sendDeviceCommand(input: { deviceIds: ["1", "2"], command: SYNC }) { dryRun } }')).toBe(2);
  });
});
