/**
 * Enrollment users read from the snapshot by id, kept in memory for the snapshot's generation. A
 * page of devices with their users asks the store for the same hundred users request after request
 * (on the embedded database, a fifth of such a request's CPU was that query and its rows); a
 * generation's rows never change, so what was read stays right until the store has a newer one.
 *
 * Bounded (`maxEntries`, least recently used out: about 0.5 KB a user) and dropped whole when the
 * generation moves. A read that began before the generation moved is not kept (it may hold the old
 * rows). Ids the snapshot does not hold are remembered as such, so they are not asked again either;
 * the loader reads those live.
 */
import type { UemUser } from '../datasources/uem/uem.schemas.js';

/** About 2.5 MB at most; a 100-device page needs at most 100, the bench's 8 pages 800. */
const USER_CACHE_ENTRIES = 5_000;

export class SnapshotUserCache {
  private generation: number | null = null;
  /** Insertion order is recency: a hit is moved to the end, the first entries go first. */
  private byId = new Map<number, UemUser | null>();

  constructor(private readonly maxEntries = USER_CACHE_ENTRIES) {}

  /**
   * The users of `ids` at `generation` (null: no snapshot generation known, nothing kept), in id
   * order; `read` is asked only for the ids not kept, and `current` tells after it answers whether
   * the generation is still the one the read began under.
   */
  async users(ids: readonly number[], generation: number | null, read: (ids: readonly number[]) => Promise<UemUser[]>, current: () => number | null): Promise<UemUser[]> {
    if (generation === null) return read(ids);
    if (this.generation !== generation) {
      this.generation = generation;
      this.byId = new Map();
    }
    const found: UemUser[] = [];
    const missing: number[] = [];
    for (const id of new Set(ids)) {
      const kept = this.byId.get(id);
      if (kept === undefined) {
        missing.push(id);
        continue;
      }
      this.byId.delete(id);
      this.byId.set(id, kept);
      if (kept) found.push(kept);
    }
    if (missing.length === 0) return found.sort(byId);
    const fresh = await read(missing);
    if (current() === generation && this.generation === generation) {
      const byKey = new Map(fresh.map((u) => [u.id, u]));
      for (const id of missing) this.byId.set(id, byKey.get(id) ?? null);
      for (const oldest of this.byId.keys()) {
        if (this.byId.size <= this.maxEntries) break;
        this.byId.delete(oldest);
      }
    }
    return found.concat(fresh).sort(byId);
  }

  /**
   * The user of `id` when it is kept for `generation`, without waiting (a record, or undefined:
   * not kept, or kept as absent from the snapshot, which the loader then reads live).
   */
  peek(id: number, generation: number | null): UemUser | undefined {
    if (generation === null || this.generation !== generation) return undefined;
    return this.byId.get(id) ?? undefined;
  }

  get size(): number {
    return this.byId.size;
  }
}

const byId = (a: UemUser, b: UemUser) => a.id - b.id;
