import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../../../src/config.js';

describe('.env.example', () => {
  const text = readFileSync('.env.example', 'utf8');

  it('lists every variable the configuration reads, each after a comment', () => {
    const lines = text.split('\n');
    for (const key of CONFIG_KEYS) {
      const at = lines.findIndex((l) => new RegExp(`^#? ?${key}=`).test(l));
      expect(at, `${key} in .env.example`).toBeGreaterThan(0);
      expect(lines.slice(Math.max(0, at - 4), at).some((l) => l.startsWith('#')), `${key} has a comment above it`).toBe(true);
    }
  });

  it('names no variable the configuration does not know', () => {
    const named = [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    for (const key of named) expect(CONFIG_KEYS, key).toContain(key);
  });
});

describe('tracing configuration', () => {
  it('is off without an OTLP endpoint', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
  });

  it('appends /v1/traces to the collector base URL, or takes the traces URL as is', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'uem-harmony-gateway',
      sampleRatio: 1,
    });
    const config = loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom', OTEL_TRACES_SAMPLER_ARG: '0.25', OTEL_SERVICE_NAME: 'gw-eu' });
    expect(config.tracing).toEqual({ tracesUrl: 'http://c:4318/custom', serviceName: 'gw-eu', sampleRatio: 0.25 });
  });

  it('refuses a sampling ratio outside 0..1 with a plain message', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG.*ratio from 0 to 1/);
  });
});
