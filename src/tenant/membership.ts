/**
 * Tag or smart-group membership indexed both ways: what "tags of every device" is answered from,
 * without a call per device. Built from the live lists (loaders) or from the snapshot.
 */
export interface MembershipIndex<G extends { id: number }> {
  groups: readonly G[];
  byId: ReadonlyMap<string, G>;
  /** Group id → member device ids, ascending. */
  members: ReadonlyMap<string, readonly number[]>;
  /** Device id → the groups it belongs to, in list order. */
  ofDevice: ReadonlyMap<string, readonly G[]>;
}

/** Indexes groups with their member lists (`memberLists[i]` belongs to `groups[i]`). */
export function indexMembership<G extends { id: number }>(groups: readonly G[], memberLists: readonly (readonly number[])[]): MembershipIndex<G> {
  const byId = new Map<string, G>();
  const members = new Map<string, readonly number[]>();
  const ofDevice = new Map<string, G[]>();
  groups.forEach((g, i) => {
    const ids = memberLists[i] ?? [];
    byId.set(String(g.id), g);
    members.set(String(g.id), ids);
    for (const id of ids) {
      const key = String(id);
      const of = ofDevice.get(key);
      if (of) of.push(g);
      else ofDevice.set(key, [g]);
    }
  });
  return { groups, byId, members, ofDevice };
}

/** Distinct ids, ascending. */
export function sortedIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}
