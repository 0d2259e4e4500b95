/**
 * Reference data for one request: every list is read at most once per request (memoised
 * promise), through the cross-request TTL cache. A request sees one consistent copy even if the
 * cache refreshes while it runs. Lists that name a `stale` source are logged for the response's
 * stale notice when the copy served is one kept past a failed refresh (stale-if-error).
 */
import type { StaleLog, StaleSource } from './stale.js';
import type { CacheGetOptions, TtlCache } from './ttl-cache.js';
import { copyWith } from '../object-copy.js';

export interface ReferenceGetOptions extends Omit<CacheGetOptions, 'onStale'> {
  /** The graph field this list answers, reported when a stale copy of it is served. */
  stale?: StaleSource;
}

export class RequestReference {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: TtlCache,
    private readonly staleLog?: StaleLog,
  ) {}

  get<T>(key: string, load: () => Promise<T>, options?: ReferenceGetOptions): Promise<T> {
    const { staleLog } = this;
    const source = options?.stale;
    if (staleLog && source) staleLog.read(key, source);
    let promise = this.memo.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = this.cache.get(key, load, staleLog && source ? copyWith(options ?? {}, { onStale: (ageMs: number) => staleLog.served(key, ageMs) }) : options);
      this.memo.set(key, promise);
    }
    return promise;
  }
}
