/**
 * A cross-request cache for organization-wide reference data (docs/design.md §2): a value per key kept
 * for a short TTL, loaded once when several requests ask at the same moment (single flight), and
 * invalidated by our own mutations. It holds upstream data fetched with the integration accounts,
 * never anything computed for one caller. A TTL of 0 turns caching off (the benchmark's "caches
 * off" mode); identical loads in flight still share one upstream request.
 */
export interface CacheStats {
  hits: number;
  misses: number;
  staleServed: number;
}

export interface CacheGetOptions {
  /** Overrides the cache's TTL for this key. */
  ttlMs?: number;
  /** When a refresh fails, a value this much older than its TTL is still served. */
  staleIfErrorMs?: number;
  /** Told the age of the value when one is served because a refresh failed. */
  onStale?: (ageMs: number) => void;
}

export class TtlCache {
  private readonly values = new Map<string, { value: unknown; at: number; ttl: number }>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  readonly stats: CacheStats = { hits: 0, misses: 0, staleServed: 0 };

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get<T>(key: string, load: () => Promise<T>, options: CacheGetOptions = {}): Promise<T> {
    const ttl = options.ttlMs ?? this.ttlMs;
    const cached = this.values.get(key);
    if (cached && this.now() - cached.at < ttl) {
      this.stats.hits++;
      return cached.value as T;
    }
    let pending = this.inflight.get(key) as Promise<T> | undefined;
    if (pending) {
      this.stats.hits++;
    } else {
      this.stats.misses++;
      pending = load()
        .then((value) => {
          if (ttl > 0) this.values.set(key, { value, at: this.now(), ttl });
          return value;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    try {
      return await pending;
    } catch (err) {
      const ageMs = cached ? this.now() - cached.at : Infinity;
      if (cached && options.staleIfErrorMs && ageMs < ttl + options.staleIfErrorMs) {
        this.stats.staleServed++;
        options.onStale?.(ageMs);
        return cached.value as T;
      }
      throw err;
    }
  }

  /** Stores a value read elsewhere (e.g. at start-up) as if it had just been loaded. */
  prime(key: string, value: unknown): void {
    if (this.ttlMs > 0) this.values.set(key, { value, at: this.now(), ttl: this.ttlMs });
  }

  /** Whether a value younger than the TTL (by default the one it was stored with) is held for the key; no load is started. */
  fresh(key: string, ttlMs?: number): boolean {
    const cached = this.values.get(key);
    return cached !== undefined && this.now() - cached.at < (ttlMs ?? cached.ttl);
  }

  /** The value held for the key while fresh, without loading (what a plan may count on). */
  peek<T>(key: string): T | undefined {
    return this.fresh(key) ? (this.values.get(key)?.value as T) : undefined;
  }

  /** Forgets one key, every key starting with `prefix*`, or everything. */
  invalidate(key?: string): void {
    if (key === undefined) {
      this.values.clear();
    } else if (key.endsWith('*')) {
      const prefix = key.slice(0, -1);
      for (const k of [...this.values.keys()]) if (k.startsWith(prefix)) this.values.delete(k);
    } else {
      this.values.delete(key);
    }
  }
}
