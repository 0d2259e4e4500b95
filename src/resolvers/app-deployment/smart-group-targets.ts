/**
 * Who may change an app's assignment to a smart group: ADMIN, or WRITE access in the environment
 * of every device of the group (`deployApps`), since an assignment reaches them all; a group
 * without devices is judged by the organization group that manages it. Member lists are cached
 * reference data; a non-admin's check reads the members' devices in batches of 500.
 */
import { capabilities, holds } from '../../auth/capabilities.js';
import type { GraphQLContext } from '../../context.js';
import type { UemSmartGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { environmentRefs } from '../uem-groups/group-environment.js';

export interface SmartGroupCheck {
  /** Null when UEM has no smart group with the id. */
  group: UemSmartGroup | null;
  /** Why the caller may not change its assignments, or null when they may. */
  refusal: string | null;
}

export async function authorizeSmartGroups(ctx: GraphQLContext, ids: readonly number[]): Promise<Map<number, SmartGroupCheck>> {
  const groups = await ctx.loaders.uem.smartGroups();
  const checks = new Map<number, SmartGroupCheck>();
  const admin = ctx.principal.isAdmin && holds(ctx.principal, 'deployApps');
  const envs = admin ? [] : await environmentRefs(ctx);
  const map = ctx.services.environmentMap;
  await Promise.all(
    ids.map(async (id) => {
      const group = groups.find((g) => g.id === id) ?? null;
      if (!group || admin) {
        checks.set(id, { group, refusal: null });
        return;
      }
      const members = await ctx.loaders.uem.smartGroupMembersLive(id);
      const devices = await ctx.loaders.uem.deviceById.loadMany(members.map(String));
      const groupNames = new Set<string | null>();
      for (const d of devices) {
        if (d instanceof Error) throw d;
        if (d) groupNames.add(d.organizationGroupName);
      }
      if (groupNames.size === 0) {
        const managedBy = group.managedByOrganizationGroupId === null ? null : await ctx.loaders.uem.organizationGroupById(group.managedByOrganizationGroupId);
        groupNames.add(managedBy?.name ?? null);
      }
      const blocked = new Set<string>();
      for (const name of groupNames) {
        const env = map.environmentOf(name, envs);
        if (!holds(ctx.principal, 'deployApps', env?.id)) blocked.add(env?.name ?? 'unmapped organization groups');
      }
      const refusal =
        blocked.size === 0
          ? null
          : `Needs "deployApps" in every environment of the smart group's devices; missing in ${[...blocked].sort().join(', ')}: ${capabilities.deployApps.who}.`;
      checks.set(id, { group, refusal });
    }),
  );
  return checks;
}
