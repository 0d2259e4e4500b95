/**
 * Scoped counts (issue 18 cell 12): every count a non-admin sees counts only what they could list;
 * ADMIN gets UEM's own counts. Costs, for a non-admin, beyond the admin's:
 *
 * - organization groups: none (the cached group list's rolled-up counts, cut to the scope's groups);
 * - a user group's members: its member list (cached briefly), one request per group cold;
 * - a device id list (tag, smart group, app devices): the member list (cached briefly) plus the
 *   members' groups: none with a fresh cached device scan, otherwise ceil(n / 500) batch reads
 *   shared by every list of the request (`visibleDeviceIds`).
 */
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import type { UemUser } from '../../datasources/uem/uem.schemas.js';
import { AccessFilters } from './filters.js';
import { scopedRollUp } from './scope.js';

interface InstallCounts {
  assigned: number | null;
  installed: number | null;
  notInstalled: number | null;
}

export class AccessCounts extends AccessFilters {
  /**
   * How many devices of a member list the caller could list. ADMIN gets UEM's own count when the
   * object carries one (`uemCount`: no member read), otherwise the list's length.
   */
  async deviceCount(ids: () => Promise<readonly number[]>, uemCount?: number | null): Promise<number | null> {
    if (uemCount !== undefined && (await this.scope()).all) return uemCount;
    return (await this.visibleDeviceIds(await ids())).length;
  }

  /** How many enrollment users of a member list the caller could list; UEM's own count for ADMIN (no member read). */
  async userCount(members: () => Promise<readonly UemUser[]>, uemCount: number | null): Promise<number | null> {
    if ((await this.scope()).all) return uemCount;
    const [list, inScope] = await Promise.all([members(), this.userPredicate()]);
    return list.filter(inScope).length;
  }

  /** An organization group's device or enrollment-user count, cut to the groups the caller reads. */
  async groupCount(group: UemOrganizationGroup, what: 'deviceCount' | 'userCount'): Promise<number | null> {
    const scope = await this.scope();
    if (scope.all) return group[what];
    const groups = await this.loaders.uem.organizationGroups();
    const byId = new Map(groups.map((g) => [g.id, g]));
    return scopedRollUp(scope, groups, group.id, (id) => (id === group.id ? group : byId.get(id))?.[what] ?? null);
  }

  /** An app's install counts over the devices the caller could list (two member reads per app for a non-admin). */
  async installCounts(uem: InstallCounts, ids: (status: 'ASSIGNED' | 'INSTALLED') => Promise<readonly number[]>): Promise<InstallCounts> {
    const scope = await this.scope();
    if (scope.all) return uem;
    if (scope.envIds.size === 0) return { assigned: 0, installed: 0, notInstalled: 0 };
    const [assigned, installed] = await Promise.all([ids('ASSIGNED'), ids('INSTALLED')]);
    const visible = new Set(await this.visibleDeviceIds([...new Set([...assigned, ...installed])]));
    const installedSet = new Set(installed);
    const seen = (list: readonly number[]) => list.filter((id) => visible.has(id));
    return {
      assigned: seen(assigned).length,
      installed: seen(installed).length,
      notInstalled: seen(assigned).filter((id) => !installedSet.has(id)).length,
    };
  }
}
