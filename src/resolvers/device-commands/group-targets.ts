/**
 * Authorization of a write aimed at an organization group rather than at devices (creating a tag
 * there): the capability must hold in the environment the group maps to (ENV_MAP); a group that
 * maps to no environment is ADMIN's alone. A group the caller may not read is named like one UEM
 * does not have (`seenGroup`). The group list and environments are cached reference data.
 */
import { capabilities, holds, type CapabilityName } from '../../auth/capabilities.js';
import type { GraphQLContext } from '../../context.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, forbidden } from '../../errors.js';
import { deviceScope, seenGroup } from '../devices/device-scope.service.js';
import { environmentOfGroup } from '../uem-groups/group-environment.js';

/** The organization group an argument names, or the top of the tree when it names none. */
export async function targetGroup(ctx: GraphQLContext, id: string | null | undefined, argument: string): Promise<UemOrganizationGroup> {
  const groups = await ctx.loaders.uem.organizationGroups();
  if (id === null || id === undefined) {
    const tops = groups.filter((g) => g.parentId === null || !groups.some((p) => p.id === g.parentId));
    if (tops.length === 1) return tops[0] as UemOrganizationGroup;
    throw badInput(`Name the organization group: UEM has ${tops.length} groups at the top.`, { argument });
  }
  const named = /^\d{1,12}$/.test(id.trim()) ? groups.find((g) => g.id === Number(id)) : undefined;
  const group = seenGroup(await deviceScope(ctx), named);
  if (!group) throw badInput(`"${id.slice(0, 40)}" is not a UEM organization group.`, { argument, reason: 'UNKNOWN_ORGANIZATION_GROUP' });
  return group;
}

/** Throws FORBIDDEN unless the caller holds the capability in the group's environment. */
export async function requireInGroup(ctx: GraphQLContext, group: UemOrganizationGroup, capability: CapabilityName): Promise<void> {
  const env = await environmentOfGroup(ctx, group.name);
  if (holds(ctx.principal, capability, env?.id)) return;
  const where = env ? 'the environment of this organization group' : 'this organization group, which maps to no environment (ADMIN only)';
  throw forbidden(`Needs "${capability}" in ${where}: ${capabilities[capability].who}.`, { capability });
}
