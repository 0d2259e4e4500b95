/**
 * `organizationGroups` and `OrganizationGroup.children`: the cached group list, cut to the groups
 * the caller may read, searched and paged in memory. Which groups those are, and each group's
 * environment, the access service decides (`ctx.access`, src/auth/access/).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput } from '../../errors.js';
import { checkFirst } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import type { OrganizationGroup } from '../uem.mappers.js';

export const asParent = (g: UemOrganizationGroup): OrganizationGroup => ({ id: g.id, name: g.name, uuid: g.uuid, record: g });
const byId = (a: UemOrganizationGroup, b: UemOrganizationGroup) => a.id - b.id;

function textArgument(value: string | null | undefined, argument: string): string | undefined {
  const text = value?.trim();
  if (text !== undefined && text.length > 200) throw badInput(`"${argument}" is at most 200 characters.`, { argument });
  return text === '' ? undefined : text;
}

/**
 * The groups mapping to the environment named (name or id). An environment the caller may not read
 * answers like one that does not exist (BAD_USER_INPUT), so the filter tells nobody which exist.
 */
async function inEnvironment(ctx: GraphQLContext, groups: UemOrganizationGroup[], named: string): Promise<UemOrganizationGroup[]> {
  const found = await ctx.access.namedEnvironment(named);
  if (!found?.readable) throw badInput(`No Harmony environment you may read is named or numbered "${named.slice(0, 60)}".`, { argument: 'environment' });
  return ctx.access.groupsInEnvironment(found.environment, groups);
}

export const organizationGroupsResolvers: Resolvers = {
  Query: {
    organizationGroups: async (_root, args, ctx) => {
      const size = checkFirst(args.first, ctx.services.config.maxPageSize);
      const search = textArgument(args.search, 'search')?.toLowerCase();
      const environment = textArgument(args.environment, 'environment');
      const scope = { organizationGroups: search ?? null, environment: environment?.toLowerCase() ?? null };
      const offset = ctx.services.cursors.startAfter(args.after, scope);
      let groups = (await ctx.access.readableGroups()).sort(byId);
      if (search !== undefined) groups = groups.filter((g) => [g.name, g.groupId].some((t) => (t ?? '').toLowerCase().includes(search)));
      if (environment !== undefined) groups = await inEnvironment(ctx, groups, environment);
      return sliceConnection(groups.map(asParent), size, offset, scope, ctx.services.cursors);
    },
  },
  OrganizationGroup: {
    children: async (g, _args, ctx) => (await ctx.access.readableGroups()).filter((c) => c.parentId === g.id).sort(byId).map(asParent),
  },
};
