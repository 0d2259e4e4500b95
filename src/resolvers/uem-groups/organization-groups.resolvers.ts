/**
 * `organizationGroups` and `OrganizationGroup.children`: the cached group list, cut to the groups
 * the caller may read (device-scope.service.ts), searched and paged in memory. Each group's
 * environment comes from ENV_MAP over Harmony's cached environment list (group-environment.ts).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput } from '../../errors.js';
import { checkFirst } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import { deviceScope, visibleGroups } from '../devices/device-scope.service.js';
import type { OrganizationGroup } from '../uem.mappers.js';
import { environmentRefs } from './group-environment.js';

const asParent = (g: UemOrganizationGroup): OrganizationGroup => ({ id: g.id, name: g.name, uuid: g.uuid, record: g });
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
  const [envs, scope] = await Promise.all([environmentRefs(ctx), deviceScope(ctx)]);
  const wanted = named.toLowerCase();
  const env = envs.find((e) => (scope.all || scope.envIds.has(e.id)) && (e.id.toLowerCase() === wanted || e.name.toLowerCase() === wanted));
  if (!env) throw badInput(`No Harmony environment you may read is named or numbered "${named.slice(0, 60)}".`, { argument: 'environment' });
  return groups.filter((g) => ctx.services.environmentMap.environmentOf(g.name, envs)?.id === env.id);
}

export const organizationGroupsResolvers: Resolvers = {
  Query: {
    organizationGroups: async (_root, args, ctx) => {
      const size = checkFirst(args.first, ctx.services.config.maxPageSize);
      const search = textArgument(args.search, 'search')?.toLowerCase();
      const environment = textArgument(args.environment, 'environment');
      const scope = { organizationGroups: search ?? null, environment: environment?.toLowerCase() ?? null };
      const offset = ctx.services.cursors.startAfter(args.after, scope);
      let groups = (await visibleGroups(ctx)).sort(byId);
      if (search !== undefined) groups = groups.filter((g) => [g.name, g.groupId].some((t) => (t ?? '').toLowerCase().includes(search)));
      if (environment !== undefined) groups = await inEnvironment(ctx, groups, environment);
      return sliceConnection(groups.map(asParent), size, offset, scope, ctx.services.cursors);
    },
  },
  OrganizationGroup: {
    children: async (g, _args, ctx) => (await visibleGroups(ctx)).filter((c) => c.parentId === g.id).sort(byId).map(asParent),
  },
};
