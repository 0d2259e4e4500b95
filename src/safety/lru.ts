/**
 * A small LRU map with an optional time to live and an optional weight budget, the in-memory cache
 * in front of the document store (and of validation results). Map iteration order is insertion
 * order, so re-inserting on a hit makes it most recent. With a weight budget, the least recently
 * used entries go until the total weight fits; an entry heavier than the whole budget is not kept.
 */
export interface LruWeight<V> {
  /** Total weight kept at most (e.g. bytes). */
  max: number;
  weigh(value: V): number;
}

export class Lru<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number; weight: number }>();
  private totalWeight = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
    private readonly weight?: LruWeight<V>,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.totalWeight -= entry.weight;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    const weight = this.weight?.weigh(value) ?? 0;
    if (this.weight && weight > this.weight.max) return;
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs, weight });
    this.totalWeight += weight;
    while (this.entries.size > this.maxEntries || (this.weight && this.totalWeight > this.weight.max)) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalWeight -= entry.weight;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The total weight of the entries kept (0 without a weight budget). */
  get weightKept(): number {
    return this.totalWeight;
  }
}
