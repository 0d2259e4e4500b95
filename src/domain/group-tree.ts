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
