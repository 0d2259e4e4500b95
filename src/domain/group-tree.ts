/**
 * UEM's organization group tree. UEM's group filters (`lgid`, `locationgroupId`) and its rolled-up
 * counts take a group with every group below it.
 */

/** The little of an organization group the tree needs. */
interface TreeGroup {
  id: number;
  parentId: number | null;
}

/** A group's id and its descendants' ids. */
export function subtreeOf(rootId: number, groups: readonly TreeGroup[]): number[] {
  const found = [rootId];
  for (let i = 0; i < found.length; i++) {
    for (const g of groups) if (g.parentId === found[i] && !found.includes(g.id)) found.push(g.id);
  }
  return found;
}

/**
 * The fewest groups whose subtrees hold every group of `ids`: those of `ids` whose parent is not in
 * `ids`, ascending. A one-group read of each (UEM's filters take the descendants) covers them all,
 * plus any descendants not in `ids`, which the reader filters out.
 */
export function coverRoots(ids: Iterable<number>, groups: readonly TreeGroup[]): number[] {
  const set = new Set(ids);
  const parentOf = new Map(groups.map((g) => [g.id, g.parentId]));
  return [...set].filter((id) => !set.has(parentOf.get(id) ?? Number.NaN)).sort((a, b) => a - b);
}
