/**
 * `tags` and `tag`: the cached tag list, searched and paged in memory (the Tag type itself is
 * resolved in groups.resolvers.ts, its device count and devices row-scoped).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { badInput } from '../../errors.js';
import { checkFirst } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import { tagById } from './tag-lookup.js';

export const tagsResolvers: Resolvers = {
  Query: {
    tags: async (_root, args, ctx) => {
      const size = checkFirst(args.first, ctx.services.config.maxPageSize);
      const search = args.search?.trim().toLowerCase() ?? '';
      if (search.length > 200) throw badInput('"search" is at most 200 characters.', { argument: 'search' });
      const offset = ctx.services.cursors.startAfter(args.after, { tags: search });
      const tags = (await ctx.loaders.uem.tags()).filter((t) => (t.name ?? '').toLowerCase().includes(search)).sort((a, b) => a.id - b.id);
      return sliceConnection(tags, size, offset, { tags: search }, ctx.services.cursors);
    },
    tag: (_root, { id }, ctx) => tagById(ctx, id),
  },
};
