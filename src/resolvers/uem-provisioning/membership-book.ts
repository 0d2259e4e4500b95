/**
 * Group memberships for one provisioning call: user group names resolved in the user's
 * organization group and the groups above it (the cached group list), and each group's members
 * read fresh from UEM once per call (a write decides on them), then kept up to date as users are
 * added. Adding a member is never sent for a user who is one already.
 */
import type { MembershipStatus } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemUserGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { failureOf } from '../uem-write.js';
import { userGroupsOpenTo } from '../uem-user-groups/user-groups.service.js';

export interface MembershipResult {
  groupName: string;
  groupId: string | null;
  status: MembershipStatus;
  errorCode: string | null;
  message: string | null;
}

export class MembershipBook {
  private readonly members = new Map<number, Promise<Set<number>>>();
  private readonly open = new Map<number, Promise<UemUserGroup[]>>();
  /** Groups a member was added to. */
  readonly changed = new Set<number>();

  constructor(
    private readonly ctx: GraphQLContext,
    private readonly dryRun: boolean,
  ) {}

  private groupsOpenTo(organizationGroupId: number): Promise<UemUserGroup[]> {
    let groups = this.open.get(organizationGroupId);
    if (!groups) {
      groups = userGroupsOpenTo(this.ctx, organizationGroupId);
      this.open.set(organizationGroupId, groups);
    }
    return groups;
  }

  private membersOf(groupId: number): Promise<Set<number>> {
    let members = this.members.get(groupId);
    if (!members) {
      members = this.ctx.uem.userGroupMembers(groupId).then((users) => new Set(users.map((u) => u.id)));
      this.members.set(groupId, members);
    }
    return members;
  }

  /**
   * Puts the user into each named group. `userId` null: a user a dry run would create (a member of
   * nothing yet); `justCreated`: no need to read whether it is a member.
   */
  async join(names: readonly string[], organizationGroupId: number, userId: number | null, justCreated: boolean): Promise<MembershipResult[]> {
    const results: MembershipResult[] = [];
    for (const groupName of names) results.push(await this.joinOne(groupName, organizationGroupId, userId, justCreated));
    return results;
  }

  private async joinOne(groupName: string, organizationGroupId: number, userId: number | null, justCreated: boolean): Promise<MembershipResult> {
    const wanted = groupName.trim().toLowerCase();
    const result = (status: MembershipStatus, group: UemUserGroup | null, errorCode: string | null = null, message: string | null = null) => ({
      groupName,
      groupId: group ? String(group.id) : null,
      status,
      errorCode,
      message,
    });
    let group: UemUserGroup | undefined;
    try {
      group = (await this.groupsOpenTo(organizationGroupId)).find((g) => (g.name ?? '').toLowerCase() === wanted);
      if (!group) return result('FAILED', null, 'NOT_FOUND', `No user group named "${groupName}" in the user's organization group or above it.`);
      if (userId === null) return result('WOULD_ADD', group);
      const members = justCreated ? undefined : await this.membersOf(group.id);
      if (members?.has(userId)) return result('ALREADY_MEMBER', group);
      if (this.dryRun) return result('WOULD_ADD', group);
      await this.ctx.uem.addUserToGroup(group.id, userId);
      this.changed.add(group.id);
      const known = this.members.get(group.id);
      if (known) (await known).add(userId);
      return result('ADDED', group);
    } catch (err) {
      const failure = failureOf(err);
      return result('FAILED', group ?? null, failure.errorCode, failure.message);
    }
  }
}
