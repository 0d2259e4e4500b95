import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('capacity configuration', () => {
  it('defaults: Node timeouts, body deadline, per-address cap, automatic memory budget, breakers, readiness', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, sendTimeoutMs: 60_000, maxConnectionsPerAddress: 256 });
    expect(config.memoryBudgetMb).toBeUndefined();
    expect(config.exports.maxConcurrent).toBe(4);
    expect(config.upstream).toMatchObject({ breakerFailureThreshold: 5, breakerCoolDownMs: 10_000 });
    expect(config.readiness).toEqual({ probeIntervalMs: 5_000, probeTimeoutMs: 2_000 });
  });

  it('reads every setting', () => {
    const config = loadConfig({ HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0', MEMORY_BUDGET_MB: '96', HTTP_BODY_TIMEOUT_MS: '5000', READINESS_PROBE_INTERVAL_MS: '1000' });
    expect(config.http).toMatchObject({ maxConnectionsPerAddress: 0, bodyTimeoutMs: 5_000 });
    expect(config.memoryBudgetMb).toBe(96);
    expect(config.readiness.probeIntervalMs).toBe(1_000);
  });

  it('refuses a request timeout shorter than the header and body timeouts together', () => {
    expect(problemsOf({ HTTP_BODY_TIMEOUT_MS: '25000' })).toEqual([
      'HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS + HTTP_BODY_TIMEOUT_MS (a slow body is answered 408 before Node closes the request)',
    ]);
    expect(problemsOf({ HTTP_BODY_TIMEOUT_MS: '25000', HTTP_REQUEST_TIMEOUT_MS: '35000' })).toEqual([]);
    expect(problemsOf({ MEMORY_BUDGET_MB: '0' })).toEqual(['MEMORY_BUDGET_MB must be a whole number from 1 to 1000000']);
  });
});
