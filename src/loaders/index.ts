/**
 * The one factory of per-request loaders. Loaders are created for each request and never shared
 * between callers; only organization-wide reference data passes through the cross-request cache.
 */
import type { HarmonyDatasource } from '../datasources/harmony/harmony.datasource.js';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import { createHarmonyLoaders, type HarmonyCacheSettings, type HarmonyLoaders } from './harmony.loaders.js';
import type { UemSnapshots } from '../tenant/snapshots.js';
import { RequestReference } from './reference.js';
import type { StaleLog } from './stale.js';
import { RequestTenant } from './request-tenant.js';
import type { TtlCache } from './ttl-cache.js';
import { createUemLoaders, type UemLoaders, type UemLoaderSettings } from './uem.loaders.js';

export interface LoaderSettings {
  harmony: HarmonyCacheSettings;
  uem: UemLoaderSettings;
}

/** The upstreams whose loaders a write renews. */
export type LoaderUpstream = 'uem' | 'harmony';

export interface Loaders {
  uem: UemLoaders;
  harmony: HarmonyLoaders;
  /**
   * Starts this request's loaders of one upstream afresh: new DataLoaders and a new memo of the
   * reference lists, the request's tenant view (snapshots it answered from) kept. A write calls it
   * after forgetting the cached lists it changed, so that what the request reads next (its payload,
   * a later mutation of the same document) reads the new state. The object is renewed in place:
   * Apollo's per-operation copies of the context share it.
   */
  renew(upstream: LoaderUpstream): void;
}

export function createLoaders(
  upstreams: { uem: UemDatasource; harmony: HarmonyDatasource },
  cache: TtlCache,
  settings: LoaderSettings,
  snapshots: UemSnapshots,
  staleLog?: StaleLog,
): Loaders {
  const tenant = new RequestTenant(snapshots, cache);
  const ref = new RequestReference(cache, staleLog);
  return {
    uem: createUemLoaders(upstreams.uem, ref, tenant, settings.uem),
    harmony: createHarmonyLoaders(upstreams.harmony, ref, settings.harmony),
    renew(upstream) {
      const fresh = new RequestReference(cache, staleLog);
      if (upstream === 'uem') this.uem = createUemLoaders(upstreams.uem, fresh, tenant, settings.uem);
      else this.harmony = createHarmonyLoaders(upstreams.harmony, fresh, settings.harmony);
    },
  };
}

export { TtlCache } from './ttl-cache.js';
export { StaleLog } from './stale.js';
export { HARMONY_KEYS } from './harmony.loaders.js';
