/**
 * The one factory of per-request loaders. Loaders are created for each request and never shared
 * between callers; only organization-wide reference data passes through the cross-request cache.
 */
import type { HarmonyDatasource } from '../datasources/harmony/harmony.datasource.js';
import type { UemDatasource } from '../datasources/uem/uem.datasource.js';
import { createHarmonyLoaders, type HarmonyCacheSettings } from './harmony.loaders.js';
import type { UemSnapshots } from '../tenant/snapshots.js';
import { RequestReference } from './reference.js';
import type { StaleLog } from './stale.js';
import { RequestTenant } from './request-tenant.js';
import type { TtlCache } from './ttl-cache.js';
import { createUemLoaders, type UemLoaderSettings } from './uem.loaders.js';

export interface LoaderSettings {
  harmony: HarmonyCacheSettings;
  uem: UemLoaderSettings;
}

export function createLoaders(
  upstreams: { uem: UemDatasource; harmony: HarmonyDatasource },
  cache: TtlCache,
  settings: LoaderSettings,
  snapshots: UemSnapshots,
  staleLog?: StaleLog,
) {
  const ref = new RequestReference(cache, staleLog);
  return {
    uem: createUemLoaders(upstreams.uem, ref, new RequestTenant(snapshots, cache), settings.uem),
    harmony: createHarmonyLoaders(upstreams.harmony, ref, settings.harmony),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
export { TtlCache } from './ttl-cache.js';
export { StaleLog, type StaleNotice } from './stale.js';
export { HARMONY_KEYS } from './harmony.loaders.js';
export { UEM_KEYS } from './uem.loaders.js';
