/**
 * Organization groups, smart groups and tags. All three lists (and the member lists) are
 * organization-wide reference data cached briefly, so these fields cost no request per parent.
 * Their counts are the caller's (`ctx.access`, src/auth/access/counts.ts).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import { devicesOfIds } from '../devices/device-window.js';
import type { OrganizationGroup } from '../uem.mappers.js';
import { asParent } from './organization-groups.resolvers.js';

async function record(g: OrganizationGroup, ctx: GraphQLContext) {
  return g.record ?? (await ctx.loaders.uem.organizationGroupById(g.id));
}

const groupRef = (id: number | null): OrganizationGroup | null => (id === null ? null : { id, name: null, uuid: null });

export const groupsResolvers: Resolvers = {
  OrganizationGroup: {
    // `id` (a number, which ID serializes as its digits) has no resolver: read in place, no call per device.
    // What the parent already knows is answered synchronously (no promise per device in a list).
    uuid: (g, _args, ctx) => g.uuid ?? record(g, ctx).then((r) => r?.uuid ?? null),
    name: (g, _args, ctx) => g.name ?? record(g, ctx).then((r) => r?.name ?? null),
    groupId: async (g, _args, ctx) => (await record(g, ctx))?.groupId ?? null,
    type: async (g, _args, ctx) => (await record(g, ctx))?.type ?? null,
    // A parent the caller may not read is not there for them (as in the organizationGroups list).
    parent: async (g, _args, ctx) => {
      const parentId = (await record(g, ctx))?.parentId ?? null;
      if (parentId === null) return null;
      const parent = await ctx.access.readableGroup(await ctx.loaders.uem.organizationGroupById(parentId));
      return parent && asParent(parent);
    },
    deviceCount: async (g, _args, ctx) => {
      const group = await record(g, ctx);
      return group && ctx.access.groupCount(group, 'deviceCount');
    },
    userCount: async (g, _args, ctx) => {
      const group = await record(g, ctx);
      return group && ctx.access.groupCount(group, 'userCount');
    },
    environment: async (g, _args, ctx) => ctx.access.readableEnvironmentOfGroup(g.name ?? (await record(g, ctx))?.name),
  },
  SmartGroup: {
    id: (s) => String(s.id),
    uuid: (s) => s.uuid,
    name: (s) => s.name,
    deviceCount: (s, _args, ctx) => ctx.access.deviceCount(() => ctx.loaders.uem.smartGroupMembers(s.id), s.deviceCount),
    assignmentCount: (s) => s.assignmentCount,
    managedBy: (s) => groupRef(s.managedByOrganizationGroupId),
    devices: async (s, args, ctx) => devicesOfIds(ctx, await ctx.loaders.uem.smartGroupMembers(s.id), args, { smartGroup: s.id }),
  },
  Tag: {
    id: (t) => String(t.id),
    uuid: (t) => t.uuid,
    name: (t) => t.name,
    type: (t) => t.tagType,
    organizationGroup: (t) => groupRef(t.organizationGroupId),
    deviceCount: (t, _args, ctx) => ctx.access.deviceCount(() => ctx.loaders.uem.tagMembers(t.id)),
    devices: async (t, args, ctx) => devicesOfIds(ctx, await ctx.loaders.uem.tagMembers(t.id), args, { tag: t.id }),
  },
};
