/**
 * Enrollment user provisioning (issue 11): the resolvers only hand the arguments to the services.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { provisionUemUsers } from './provision.service.js';
import { changeUserGroupMembers } from './user-group-members.service.js';
import { createUemUser, setUemUserStatus, updateUemUser } from './user-write.service.js';

export const provisioningResolvers: Resolvers = {
  Mutation: {
    createUemUser: (_root, { input }, ctx) => createUemUser(ctx, input),
    updateUemUser: (_root, { id, input }, ctx) => updateUemUser(ctx, id, input),
    setUemUserStatus: (_root, { id, status }, ctx) => setUemUserStatus(ctx, id, status),
    provisionUemUsers: (_root, { input, dryRun }, ctx) => provisionUemUsers(ctx, input, dryRun ?? false),
    addUsersToUserGroup: (_root, { groupId, userIds }, ctx) => changeUserGroupMembers(ctx, groupId, userIds, true),
    removeUsersFromUserGroup: (_root, { groupId, userIds }, ctx) => changeUserGroupMembers(ctx, groupId, userIds, false),
  },
};
