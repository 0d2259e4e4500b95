import { describe, expect, it } from 'vitest';
import { ConfigError, LOOPBACK_ORIGINS, loadConfig } from '../../../src/config.js';

const REAL_UPSTREAMS = {
  UEM_BASE_URL: 'https://as1234.awmdm.com',
  UEM_TENANT_CODE: 'code',
  UEM_USERNAME: 'api',
  UEM_PASSWORD: 'secret',
  HARMONY_BASE_URL: 'https://na-east.jitterbit.com',
  HARMONY_EMAIL: 'integration@example.com',
  HARMONY_PASSWORD: 'secret',
  HARMONY_ORG_ID: 'org',
  AUTH_JWT_SECRET: 'x'.repeat(40),
};

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('CORS configuration', () => {
  it('allows loopback pages on any port outside production and in the demo, nothing in production', () => {
    expect(loadConfig({}).cors).toEqual({ origins: LOOPBACK_ORIGINS, credentials: false, extraHeaders: [], maxAgeSeconds: 600 });
    expect(loadConfig({ ...REAL_UPSTREAMS }).cors.origins).toEqual(LOOPBACK_ORIGINS);
    expect(loadConfig({ ...REAL_UPSTREAMS, NODE_ENV: 'production' }).cors.origins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production' }).cors.origins).toEqual(LOOPBACK_ORIGINS);
  });

  it('reads a list of origins and patterns, `*`, or none', () => {
    const config = loadConfig({
      ...REAL_UPSTREAMS,
      NODE_ENV: 'production',
      CORS_ORIGINS: ' https://App.Example.com/ , https://*.example.org,http://localhost:*,http://[::1]:8080',
      CORS_ALLOW_CREDENTIALS: 'true',
      CORS_ALLOW_HEADERS: 'Sentry-Trace, baggage',
      CORS_MAX_AGE_SECONDS: '60',
    });
    expect(config.cors).toEqual({
      origins: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*', 'http://[::1]:8080'],
      credentials: true,
      extraHeaders: ['sentry-trace', 'baggage'],
      maxAgeSeconds: 60,
    });
    expect(loadConfig({ CORS_ORIGINS: '*' }).cors.origins).toEqual(['*']);
    expect(loadConfig({ CORS_ORIGINS: 'none' }).cors.origins).toEqual([]);
  });

  it('refuses what a browser would not accept, every problem at once', () => {
    const text = problemsOf({ CORS_ORIGINS: 'app.example.com, https://ok.example.com, ftp://x.example.com, https://a.*.example.com', CORS_ALLOW_HEADERS: 'ok, bad header' });
    expect(text).toMatch(/CORS_ORIGINS must be \*, none, or a comma-separated list of origins/);
    expect(text).toContain('"app.example.com"');
    expect(text).toContain('"ftp://x.example.com"');
    expect(text).toContain('"https://a.*.example.com"');
    expect(text).not.toContain('"https://ok.example.com"');
    expect(text).toMatch(/CORS_ALLOW_HEADERS must be a comma-separated list of header names \(not bad header\)/);
    expect(problemsOf({ CORS_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'true' })).toMatch(/CORS_ALLOW_CREDENTIALS=true needs a list of origins/);
  });
});
