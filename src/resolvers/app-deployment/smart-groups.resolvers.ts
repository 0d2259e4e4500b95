/**
 * `smartGroups`: the cached smart group list, filtered and paged in memory (the SmartGroup type
 * itself is resolved in uem-groups/groups.resolvers.ts).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { checkFirst } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import { idArgument } from './app-assignment.service.js';

export const smartGroupsResolvers: Resolvers = {
  Query: {
    smartGroups: async (_root, args, ctx) => {
      const size = checkFirst(args.first, ctx.services.config.maxPageSize);
      const offset = ctx.services.cursors.startAfter(args.after, args.filter);
      const name = args.filter?.name?.toLowerCase();
      const managedBy = args.filter?.organizationGroupId ? idArgument(args.filter.organizationGroupId, 'filter.organizationGroupId') : undefined;
      const groups = (await ctx.loaders.uem.smartGroups())
        .filter((g) => (name === undefined || (g.name ?? '').toLowerCase().includes(name)) && (managedBy === undefined || g.managedByOrganizationGroupId === managedBy))
        .sort((a, b) => a.id - b.id);
      return sliceConnection(groups, size, offset, args.filter, ctx.services.cursors);
    },
  },
};
