/**
 * App deployment (issue 11): the resolvers only hand the arguments to the services.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { changeAppAssignments } from './app-assignment.service.js';
import { retryFailedInstalls } from './retry-installs.service.js';
import { smartGroupsResolvers } from './smart-groups.resolvers.js';

export const appDeploymentResolvers: Resolvers = {
  Query: smartGroupsResolvers.Query,
  Mutation: {
    assignAppToSmartGroups: (_root, { appId, smartGroupIds, pushMode }, ctx) =>
      changeAppAssignments(ctx, { appId, smartGroupIds, assign: true, pushMode: pushMode ?? 'AUTO' }),
    unassignAppFromSmartGroups: (_root, { appId, smartGroupIds }, ctx) =>
      changeAppAssignments(ctx, { appId, smartGroupIds, assign: false, pushMode: 'AUTO' }),
    retryFailedInstalls: (_root, { appId, dryRun }, ctx) => retryFailedInstalls(ctx, appId, dryRun ?? false),
  },
};
