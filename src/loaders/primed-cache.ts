/**
 * A DataLoader cache that lists prime in one step: `add(values)` keeps the list as it is, and its
 * values become cache entries (a key string and a resolved promise each) only when a lookup first
 * misses. A page of 500 devices used to prime 500 entries per request, and a whole-tenant scan tens
 * of thousands, though most list queries never look a listed device up again.
 *
 * Semantics are DataLoader's `prime`: a value added never replaces an entry already cached (a load
 * in flight, or an earlier value), and the earlier of two added values for one key wins.
 */
import type { CacheMap } from 'dataloader';

export class PrimedCache<V> implements CacheMap<string, Promise<V>> {
  private readonly map = new Map<string, Promise<V>>();
  private pending: (readonly NonNullable<V>[])[] = [];

  constructor(private readonly keyOf: (value: NonNullable<V>) => string) {}

  /** Primes every value of `values` (not copied: the list must not change afterwards). */
  add(values: readonly NonNullable<V>[]): void {
    if (values.length > 0) this.pending.push(values);
  }

  get(key: string): Promise<V> | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined || this.pending.length === 0) return hit;
    this.settle();
    return this.map.get(key);
  }

  set(key: string, value: Promise<V>): this {
    this.settle();
    this.map.set(key, value);
    return this;
  }

  delete(key: string): boolean {
    this.settle();
    return this.map.delete(key);
  }

  clear(): void {
    this.pending = [];
    this.map.clear();
  }

  /** Turns the added lists into entries, in the order they were added. */
  private settle(): void {
    const lists = this.pending;
    this.pending = [];
    for (const list of lists) {
      for (const value of list) {
        const key = this.keyOf(value);
        if (!this.map.has(key)) this.map.set(key, Promise.resolve(value));
      }
    }
  }
}
