/**
 * Reference data for one request: every list is read at most once per request (memoised
 * promise), through the cross-request TTL cache. A request sees one consistent copy even if the
 * cache refreshes while it runs.
 */
import type { CacheGetOptions, TtlCache } from './ttl-cache.js';

export class RequestReference {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly cache: TtlCache) {}

  get<T>(key: string, load: () => Promise<T>, options?: CacheGetOptions): Promise<T> {
    let promise = this.memo.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = this.cache.get(key, load, options);
      this.memo.set(key, promise);
    }
    return promise;
  }
}
