/**
 * Device and enrollment-user totals per organization group, as the plans read them (issue 17).
 * They are UEM's rolled-up counts (a group with every group below it, as UEM's `lgid` and
 * `locationgroupId` filters read): taken from the organization-group list each time it is read
 * (reference data, no request of its own), corrected by every unfiltered one-group user search
 * (its `Total`), and probed with `users/search?locationgroupId=…&pagesize=1` for a group the list
 * gives no user count.
 */

/** One organization group's totals; null when UEM gave none. */
export interface GroupSize {
  parentId: number | null;
  devices: number | null;
  users: number | null;
}

/** The little of a group from UEM's list that the totals need. */
export interface ListedGroup {
  id: number;
  parentId: number | null;
  deviceCount: number | null;
  userCount: number | null;
}

/** A probed or observed user total holds this long when the list gives none. */
export const GROUP_PROBE_TTL_MS = 15 * 60_000;
/** A group is not probed again sooner than this after a probe was asked (one that failed included). */
export const GROUP_PROBE_RETRY_MS = 60_000;

export class GroupSizes {
  private groups = new Map<number, GroupSize>();
  /** User totals learned from searches and probes, with when. */
  private readonly learned = new Map<number, { users: number; at: number }>();
  /** When each group was last handed out to probe. */
  private readonly asked = new Map<number, number>();

  constructor(private readonly now: () => number) {}

  /** The organization-group list as just read: its counts replace what was known. */
  observeList(list: readonly ListedGroup[]): void {
    this.groups = new Map(list.map((g) => [g.id, { parentId: g.parentId, devices: g.deviceCount, users: g.userCount }]));
    for (const g of list) if (g.userCount !== null) this.learned.delete(g.id);
  }

  /** A group's user total as an unfiltered search of it (or a probe) just counted it. */
  observeUsers(groupId: number, users: number): void {
    const known = this.groups.get(groupId);
    // A count the list gave is corrected until the next list; one it did not give expires.
    if (known && known.users !== null) this.groups.set(groupId, { ...known, users });
    else this.learned.set(groupId, { users, at: this.now() });
  }

  /** Every known group's totals (what the plans read). */
  snapshot(): ReadonlyMap<number, GroupSize> {
    const now = this.now();
    const out = new Map(this.groups);
    for (const [id, l] of this.learned) {
      if (now - l.at >= GROUP_PROBE_TTL_MS) continue;
      const known = out.get(id);
      if (!known) out.set(id, { parentId: null, devices: null, users: l.users });
      else if (known.users === null) out.set(id, { ...known, users: l.users });
    }
    return out;
  }

  /** Of these groups, those whose user total is not known (nor learned within the TTL): what a probe asks. */
  unknownUsers(ids: readonly number[]): number[] {
    const sizes = this.snapshot();
    return [...new Set(ids)].filter((id) => (sizes.get(id)?.users ?? null) === null);
  }

  /** The groups of `unknownUsers` not asked within the retry delay, marked as asked now (a failing UEM is not asked on every request). */
  toProbe(ids: readonly number[]): number[] {
    const now = this.now();
    const due = this.unknownUsers(ids).filter((id) => now - (this.asked.get(id) ?? Number.NEGATIVE_INFINITY) >= GROUP_PROBE_RETRY_MS);
    for (const id of due) this.asked.set(id, now);
    return due;
  }
}
