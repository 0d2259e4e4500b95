/**
 * The access part of a UEM list's filter: the caller's row scope and an `environment` filter, as
 * what UEM's own search can apply (its one-group filter, which includes the group's descendants)
 * and what the gateway has to check on each object's group after it.
 *
 * - `environment`: pushed into UEM as the group when exactly one organization group maps to the
 *   environment and every group below it maps there too; an environment no group maps to matches
 *   nothing without asking UEM; otherwise (several groups, or the default of unmapped groups) it is
 *   checked on each object's group. An environment the caller may not read matches nothing.
 * - row scope: pushed into UEM when it is one group with its descendants (rita: Production Devices:
 *   one search, UEM's `Total` is the right count), checked on each object's group when it spans
 *   several groups (omar: Production and Sandbox).
 */
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import type { EnvironmentRef } from '../principal.js';
import { AccessReads } from './reads.js';

interface RowFilter {
  /** Nothing can match: no upstream request is needed. */
  empty: boolean;
  /** The group (with its descendants) UEM's search should be limited to. */
  groupId?: number;
  /** What the gateway checks on each object's group after UEM's search. */
  accept?: (groupName: string | null) => boolean;
  /** `accept` passes groups the group list does not name (the `*` default environment): group ids alone cannot tell what passes. */
  acceptsUnlisted?: boolean;
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class AccessFilters extends AccessReads {
  /**
   * The environment a filter names (id or name, any case), and whether the caller reads it (one
   * they read first, should an id and a name collide); undefined when Harmony has none.
   */
  async namedEnvironment(wanted: string): Promise<{ environment: EnvironmentRef; readable: boolean } | undefined> {
    const [envs, scope] = await Promise.all([this.environments(), this.scope()]);
    const readable = (e: EnvironmentRef) => scope.all || scope.envIds.has(e.id);
    const matches = envs.filter((e) => sameText(e.id, wanted) || sameText(e.name, wanted));
    const environment = matches.find(readable) ?? matches[0];
    return environment && { environment, readable: readable(environment) };
  }

  /** The groups of a list that map to an environment. */
  async groupsInEnvironment<G extends { name: string | null }>(environment: EnvironmentRef, groups: readonly G[]): Promise<G[]> {
    const environmentOf = await this.environmentLookup();
    return groups.filter((g) => environmentOf(g.name)?.id === environment.id);
  }

  /**
   * The rows of a UEM list the caller may see, optionally in one environment (a readable one: see
   * `namedEnvironment`), within the region UEM's search is already limited to (`regionGroupId`).
   */
  async rowFilter(environment: EnvironmentRef | undefined, regionGroupId: number | undefined): Promise<RowFilter> {
    return environment ? this.environmentRows(environment, regionGroupId) : this.scopeRows(regionGroupId);
  }

  private async scopeRows(regionGroupId: number | undefined): Promise<RowFilter> {
    if (await this.seesNothing()) return { empty: true }; // reads no environment (lena.logs): no request at all
    const decision = await this.rowPlan(regionGroupId);
    switch (decision.kind) {
      case 'none':
        return { empty: false };
      case 'empty':
        return { empty: true };
      case 'push':
        return { empty: false, groupId: decision.groupId };
      case 'filter': {
        const scope = await this.scope();
        return { empty: false, accept: (name) => scope.allowsGroup(name), acceptsUnlisted: scope.fallbackReadable };
      }
      default: {
        const never: never = decision;
        throw new Error(`unhandled scope plan ${JSON.stringify(never)}`);
      }
    }
  }

  private async environmentRows(env: EnvironmentRef, regionGroupId: number | undefined): Promise<RowFilter> {
    const { readable } = (await this.namedEnvironment(env.id)) ?? { readable: false };
    if (!readable) return { empty: true };
    const fallback = this.map.isFallback(env.name);
    const groupNames = this.map.groupsOf(env.name);
    if (fallback || groupNames.length !== 1) {
      if (groupNames.length === 0 && !fallback) return { empty: true };
      return { empty: false, accept: await this.inEnvironment(env), acceptsUnlisted: fallback };
    }
    const groups = await this.loaders.uem.organizationGroups();
    const group = groups.find((g) => g.name !== null && sameText(g.name, groupNames[0] as string));
    const pushable =
      group !== undefined &&
      (regionGroupId === undefined || regionGroupId === group.id) &&
      descendantsOf(group, groups).every((g) => this.map.environmentNameOf(g.name) === env.name.toLowerCase());
    return pushable ? { empty: false, groupId: group.id } : { empty: false, accept: await this.inEnvironment(env), acceptsUnlisted: group === undefined };
  }

  private async inEnvironment(env: EnvironmentRef): Promise<(groupName: string | null) => boolean> {
    const environmentOf = await this.environmentLookup();
    return (name) => environmentOf(name)?.id === env.id;
  }
}

function descendantsOf(root: UemOrganizationGroup, groups: readonly UemOrganizationGroup[]): UemOrganizationGroup[] {
  const found: UemOrganizationGroup[] = [];
  let frontier = [root.id];
  while (frontier.length > 0) {
    const children = groups.filter((g) => g.parentId !== null && frontier.includes(g.parentId) && !found.includes(g));
    found.push(...children);
    frontier = children.map((g) => g.id);
  }
  return found;
}
