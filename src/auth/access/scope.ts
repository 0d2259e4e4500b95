/**
 * Row scope (issue 6), the pure part of the access service (access.ts): which UEM objects a
 * principal may read. The environment of a UEM object is the environment of its organization group
 * (ENV_MAP, docs/design.md §3-4); a non-admin reads the environments where `readInventory` holds
 * (READ, EXECUTE or WRITE access), an admin reads everything. Groups that map to no environment (no
 * ENV_MAP entry and no `*` default) are read by admins only. Pure: the caller passes the
 * organization's groups and environments.
 */
import { subtreeOf } from '../../domain/group-tree.js';
import { holds } from '../capabilities.js';
import type { EnvironmentRef, Principal } from '../principal.js';
import type { EnvironmentMap } from './environment-map.js';

/** The little of an organization group scoping needs. */
export interface ScopeGroup {
  id: number;
  name: string | null;
  parentId: number | null;
}

export interface DeviceScope {
  /** ADMIN: nothing is filtered. */
  all: boolean;
  /** Environment ids the principal reads (every environment for `all`). */
  envIds: ReadonlySet<string>;
  /** Ids of the known organization groups in those environments. */
  groupIds: ReadonlySet<number>;
  /** Unmapped groups fall to a readable environment (`*` in ENV_MAP): group ids cannot be trusted alone. */
  fallbackReadable: boolean;
  /** Whether an object of the group with this name is in scope. */
  allowsGroup(groupName: string | null | undefined): boolean;
}

export function deviceScopeOf(
  principal: Principal,
  map: EnvironmentMap,
  groups: readonly ScopeGroup[],
  environments: readonly EnvironmentRef[],
): DeviceScope {
  const all = principal.kind === 'HARMONY_USER' && principal.isAdmin;
  const envIds = new Set(environments.filter((e) => all || holds(principal, 'readInventory', e.id)).map((e) => e.id));
  const allowsGroup = (name: string | null | undefined): boolean => {
    if (all) return true;
    const env = map.environmentOf(name, environments);
    return env !== null && envIds.has(env.id);
  };
  return {
    all,
    envIds,
    groupIds: new Set(groups.filter((g) => allowsGroup(g.name)).map((g) => g.id)),
    fallbackReadable: !all && environments.some((e) => envIds.has(e.id) && map.isFallback(e.name)),
    allowsGroup,
  };
}

/**
 * How a scope meets UEM's one-group search filter (`lgid`, which includes the group's descendants):
 *
 * - `none`: everything UEM returns is in scope (admin, or the region is wholly readable);
 * - `empty`: nothing can be in scope, no upstream request is needed;
 * - `push`: the visible part of the region is exactly one group with its descendants: search that group;
 * - `filter`: the gateway has to check each device's group (several groups, or a `*` default).
 *
 * `region`: the group the caller filtered on (with its descendants), or every group.
 */
export type ScopePlan = { kind: 'none' } | { kind: 'empty' } | { kind: 'push'; groupId: number } | { kind: 'filter' };

export function planScope(scope: DeviceScope, groups: readonly ScopeGroup[], regionGroupId?: number): ScopePlan {
  if (scope.all) return { kind: 'none' };
  if (scope.fallbackReadable) return { kind: 'filter' };
  const known = regionGroupId === undefined || groups.some((g) => g.id === regionGroupId);
  if (!known) return { kind: 'filter' };
  const region = regionGroupId === undefined ? groups.map((g) => g.id) : subtreeOf(regionGroupId, groups);
  const visible = region.filter((id) => scope.groupIds.has(id));
  if (visible.length === 0) return { kind: 'empty' };
  if (visible.length === region.length) return { kind: 'none' };
  const visibleSet = new Set(visible);
  const parentOf = new Map(groups.map((g) => [g.id, g.parentId]));
  const roots = visible.filter((id) => !visibleSet.has(parentOf.get(id) ?? -1));
  if (roots.length === 1) {
    const root = roots[0] as number;
    const subtree = subtreeOf(root, groups);
    if (subtree.length === visible.length && subtree.every((id) => visibleSet.has(id))) return { kind: 'push', groupId: root };
  }
  return { kind: 'filter' };
}

/**
 * A count UEM rolls up the group tree (a group counts its own objects and its descendants'), cut to
 * the scope (issue 18 cell 12): the sum, over the groups of the subtree the scope allows, of each
 * group's own share (its count minus its children's). Exactly what the caller could list when the
 * objects' environment is their group's, with no request of its own; null when UEM gave no count.
 */
export function scopedRollUp(
  scope: DeviceScope,
  groups: readonly ScopeGroup[],
  rootId: number,
  countOf: (groupId: number) => number | null,
): number | null {
  const total = countOf(rootId);
  if (scope.all || total === null) return total;
  let sum = 0;
  for (const id of subtreeOf(rootId, groups)) {
    if (!scope.groupIds.has(id)) continue;
    const own = countOf(id);
    if (own === null) return null;
    const below = groups.filter((g) => g.parentId === id).reduce((n, g) => n + (countOf(g.id) ?? 0), 0);
    sum += Math.max(0, own - below);
  }
  return sum;
}
