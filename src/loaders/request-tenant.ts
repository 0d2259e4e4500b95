/**
 * The tenant as one request sees it: the process-wide snapshots, what the plans know (sizes,
 * usable snapshots, fresh cache entries, read at the moment a plan is made), and the snapshots
 * this request answered from with their age (reported in `extensions.snapshots`).
 */
import type { SnapshotName, UemSnapshots } from '../tenant/snapshots.js';
import type { TenantKnowledge } from './plans.js';
import type { TtlCache } from './ttl-cache.js';

export interface SnapshotUse {
  name: SnapshotName;
  ageSeconds: number;
}

export class RequestTenant {
  private readonly used = new Map<SnapshotName, number>();

  constructor(
    readonly snapshots: UemSnapshots,
    private readonly cache: TtlCache,
  ) {}

  knowledge(): TenantKnowledge {
    return {
      sizes: this.snapshots.sizes(),
      snapshot: (name) => this.snapshots.usable(name),
      cached: (key) => this.cache.fresh(key),
    };
  }

  /** Records that this request answered from a snapshot (its age as of now). */
  note(name: SnapshotName): void {
    const age = this.snapshots.status(name).ageMs;
    if (age !== null && !this.used.has(name)) this.used.set(name, age);
  }

  /** The snapshots this request answered from, oldest first. */
  snapshotsUsed(): SnapshotUse[] {
    return [...this.used]
      .map(([name, ms]) => ({ name, ageSeconds: Math.round(ms / 1000) }))
      .sort((a, b) => b.ageSeconds - a.ageSeconds || a.name.localeCompare(b.name));
  }
}
