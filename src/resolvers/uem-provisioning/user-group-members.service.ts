/**
 * addUsersToUserGroup / removeUsersFromUserGroup: the group must exist (NOT_FOUND otherwise), each
 * user is read fresh and checked for `provisionUemUsers` in its environment, the group's members
 * are read once, and only real changes are sent (8 at a time; UEM has no bulk membership call).
 */
import type { MembershipStatus } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import { mapConcurrent } from '../../concurrency.js';
import type { UemUserGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, notFound } from '../../errors.js';
import { UEM_USER_GROUP_KEYS } from '../../loaders/uem-user-groups.loaders.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { errorCodesOf, failureOf, forgetUem, itemsOutcome } from '../uem-write.js';
import { groupIdArgument } from '../uem-user-groups/user-groups.service.js';

export const MAX_MEMBER_CHANGES = 500;
const CONCURRENCY = 8;

export interface MemberResult {
  userId: string;
  status: MembershipStatus;
  errorCode: string | null;
  message: string | null;
}

function distinctUserIds(userIds: readonly string[]): string[] {
  const ids = [...new Set(userIds.map((id) => id.trim()))];
  if (ids.length === 0) throw badInput('"userIds" must name at least one user.', { argument: 'userIds' });
  if (ids.length > MAX_MEMBER_CHANGES) throw badInput(`At most ${MAX_MEMBER_CHANGES} users per call.`, { argument: 'userIds', max: MAX_MEMBER_CHANGES });
  const bad = ids.find((id) => !/^\d{1,12}$/.test(id));
  if (bad !== undefined) throw badInput(`"${bad.slice(0, 40)}" is not a UEM user id.`, { argument: 'userIds' });
  return ids;
}

/** The group from the cached list, read again once when the list does not have it (it may be new). */
async function findUserGroup(ctx: GraphQLContext, id: number): Promise<UemUserGroup> {
  let group = await ctx.loaders.uem.userGroupById(id);
  if (!group) {
    forgetUem(ctx, [UEM_USER_GROUP_KEYS.userGroups]);
    group = await ctx.loaders.uem.userGroupById(id);
  }
  if (!group) throw notFound(`No user group with id ${id}.`, { argument: 'groupId' });
  return group;
}

export function changeUserGroupMembers(
  ctx: GraphQLContext,
  groupId: string,
  userIds: readonly string[],
  add: boolean,
): Promise<{ group: UemUserGroup; results: MemberResult[] }> {
  const field = add ? 'addUsersToUserGroup' : 'removeUsersFromUserGroup';
  const targets = [
    { type: 'UserGroup', id: groupId.slice(0, 40) },
    ...[...new Set(userIds)].slice(0, MAX_MEMBER_CHANGES).map((id) => ({ type: 'UemUser', id: id.slice(0, 40) })),
  ];
  return withAudit(ctx, { field, targets, variables: { groupId, userCount: userIds.length } }, async () => {
    const gid = groupIdArgument(groupId, 'groupId');
    const ids = distinctUserIds(userIds);
    const group = await findUserGroup(ctx, gid);
    const [places, members] = await Promise.all([ctx.access.provisioning(), ctx.uem.userGroupMembers(gid)]);
    const memberIds = new Set(members.map((u) => u.id));
    let changed = false;
    const results = await mapConcurrent(ids, CONCURRENCY, async (userId): Promise<MemberResult> => {
      const result = (status: MembershipStatus, errorCode: string | null = null, message: string | null = null) => ({ userId, status, errorCode, message });
      try {
        const user = await ctx.access.user(await ctx.uem.getUser(userId)); // out of scope: not there
        if (!user) return result('FAILED', 'NOT_FOUND', 'No enrollment user with this id.');
        const refusal = places.refusal([user.organizationGroupId]);
        if (refusal) return result('SKIPPED', 'FORBIDDEN', refusal);
        if (memberIds.has(user.id) === add) return result(add ? 'ALREADY_MEMBER' : 'NOT_MEMBER');
        if (add) await ctx.uem.addUserToGroup(gid, user.id);
        else await ctx.uem.removeUserFromGroup(gid, user.id);
        changed = true;
        return result(add ? 'ADDED' : 'REMOVED');
      } catch (err) {
        const failure = failureOf(err);
        return result('FAILED', failure.errorCode, failure.message);
      }
    });
    if (changed) forgetUem(ctx, [UEM_USER_GROUP_KEYS.userGroups, UEM_USER_GROUP_KEYS.members(gid)]);
    const after = changed ? ((await ctx.loaders.uem.userGroupById(gid)) ?? group) : group;
    const ok = new Set<MembershipStatus>(['ADDED', 'REMOVED', 'ALREADY_MEMBER', 'NOT_MEMBER']);
    const items = results.map((r) => ({ ok: ok.has(r.status), errorCode: r.errorCode }));
    return {
      result: { group: after, results },
      outcome: itemsOutcome(items),
      errorCodes: errorCodesOf(results),
      details: { results: results as unknown as JsonValue },
    };
  });
}
