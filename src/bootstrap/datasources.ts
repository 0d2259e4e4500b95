/**
 * The two long-lived datasources, configured from the gateway's configuration.
 */
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import { HarmonyDatasource } from '../datasources/harmony/harmony.datasource.js';
import type { HttpClientOptionsInput } from '../datasources/upstream-http/options.js';
import { UemDatasource } from '../datasources/uem/uem.datasource.js';
import type { UpstreamEndpoints } from './upstreams.js';

export function httpOptions(config: Config): HttpClientOptionsInput {
  const u = config.upstream;
  return {
    connectTimeoutMs: u.connectTimeoutMs,
    requestTimeoutMs: u.requestTimeoutMs,
    // undici checks these on a coarse timer; the request deadline is the precise bound.
    headersTimeoutMs: Math.min(10_000, u.requestTimeoutMs),
    bodyTimeoutMs: Math.min(10_000, u.requestTimeoutMs),
    maxConnections: u.maxConnections,
    maxConcurrency: u.maxConcurrency,
    retry: { maxRetries: u.maxRetries },
    breaker: { failureThreshold: u.breakerFailureThreshold, coolDownMs: u.breakerCoolDownMs },
    // The benchmark's comparison mode (GATEWAY_BATCHING=off) sends every identical GET too.
    coalesceGets: config.batching,
  };
}

/**
 * `overrides` (tests) replace single options of the configuration's, nested ones field by field;
 * `onUemCall` is told of every UEM request sent (the daily quota is counted there).
 */
export function createDatasources(config: Config, endpoints: UpstreamEndpoints, registry: Registry, overrides: HttpClientOptionsInput = {}, onUemCall?: () => void) {
  const base = httpOptions(config);
  const http: HttpClientOptionsInput = {
    ...base,
    ...overrides,
    retry: { ...base.retry, ...overrides.retry },
    breaker: { ...base.breaker, ...overrides.breaker },
  };
  const uem = UemDatasource.create({ ...endpoints.uem, http, registry, ...(onUemCall ? { onUpstreamCall: () => onUemCall() } : {}) });
  const harmony = HarmonyDatasource.create({ ...endpoints.harmony, http, registry });
  return { uem, harmony };
}
