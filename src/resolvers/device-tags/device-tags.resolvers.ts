/**
 * Tags (schema/device-tags.graphql): `tags` and `tag`, the cached tag list searched and paged in
 * memory (the Tag type itself is resolved in groups.resolvers.ts, its device count and devices
 * row-scoped), and the tag mutations, each handed to its service.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { badInput } from '../../errors.js';
import { checkFirst } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import { createTag } from './create-tag.service.js';
import { changeTagMembers } from './tag-devices.service.js';
import { updateDeviceTags } from './update-device-tags.service.js';
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
  Mutation: {
    addDevicesToTag: (_root, { tagId, tag, deviceIds, idempotencyKey }, ctx) => changeTagMembers(ctx, { tagId, tag }, deviceIds, true, idempotencyKey),
    removeDevicesFromTag: (_root, { tagId, tag, deviceIds, idempotencyKey }, ctx) => changeTagMembers(ctx, { tagId, tag }, deviceIds, false, idempotencyKey),
    updateDeviceTags: (_root, args, ctx) => updateDeviceTags(ctx, args),
    createTag: (_root, args, ctx) => createTag(ctx, args),
  },
};
