import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('export budget configuration', () => {
  it('defaults to 250000 cost and 1000 upstream requests per export, the same for analysts', () => {
    expect(loadConfig({}).exports).toEqual({ maxCost: 250_000, maxUpstreamRequests: 1_000, analystMaxCost: 250_000, analystMaxUpstreamRequests: 1_000, maxConcurrent: 4 });
  });

  it('raises the budget for analysts when configured', () => {
    const config = loadConfig({ EXPORT_MAX_UPSTREAM_REQUESTS: '200', EXPORT_ANALYST_MAX_UPSTREAM_REQUESTS: '5000', EXPORT_ANALYST_MAX_COST: '1000000' });
    expect(config.exports).toEqual({ maxCost: 250_000, maxUpstreamRequests: 200, analystMaxCost: 1_000_000, analystMaxUpstreamRequests: 5_000, maxConcurrent: 4 });
  });

  it('refuses an analyst budget below the general one, and non-numbers, with the others', () => {
    let problems: string[] = [];
    try {
      loadConfig({ EXPORT_MAX_UPSTREAM_REQUESTS: '200', EXPORT_ANALYST_MAX_UPSTREAM_REQUESTS: '50', EXPORT_ANALYST_MAX_COST: '1000', EXPORT_MAX_COST: 'lots' });
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    const text = problems.join('\n');
    expect(text).toMatch(/^EXPORT_MAX_COST must be a whole number/m);
    expect(text).toMatch(/^EXPORT_ANALYST_MAX_UPSTREAM_REQUESTS raises EXPORT_MAX_UPSTREAM_REQUESTS for analysts: it must not be lower$/m);
    expect(text).not.toMatch(/EXPORT_ANALYST_MAX_COST raises/);
  });
});
