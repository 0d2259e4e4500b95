/**
 * The Harmony environment of a UEM organization group (ENV_MAP over Harmony's environment list,
 * which is cached reference data: no upstream request per device).
 */
import type { EnvironmentRef } from '../../auth/principal.js';
import type { GraphQLContext } from '../../context.js';

export async function environmentRefs(ctx: GraphQLContext): Promise<EnvironmentRef[]> {
  return (await ctx.loaders.harmony.environments()).map((e) => ({ id: e.envId, name: e.envName }));
}

export async function environmentOfGroup(ctx: GraphQLContext, groupName: string | null | undefined): Promise<EnvironmentRef | null> {
  return ctx.services.environmentMap.environmentOf(groupName, await environmentRefs(ctx));
}
