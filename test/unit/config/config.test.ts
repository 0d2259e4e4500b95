import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('defaults to demo mode on loopback with the demo mapping', () => {
    const config = loadConfig({});
    expect(config.demo).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4000);
    expect(config.dataDir).toBe('.data');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.envMap).toEqual({
      'Production Devices': 'Production',
      'Sandbox Devices': 'Sandbox',
      'Lab Devices': 'Development',
    });
    expect(config.introspection).toBe(true);
  });

  it('reports every problem at once, in plain words', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      UEM_BASE_URL: 'not a url',
      UEM_AUTH: 'kerberos',
      HARMONY_BASE_URL: 'https://na-east.jitterbit.com',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://x',
      ENV_MAP: 'no equals sign',
    });
    const text = problems.join('\n');
    expect(text).toMatch(/^PORT /m);
    expect(text).toMatch(/^UEM_BASE_URL must be a URL/m);
    expect(text).toMatch(/^UEM_AUTH must be basic or oauth/m);
    expect(text).toMatch(/^HARMONY_EMAIL is required when HARMONY_BASE_URL is set/m);
    expect(text).toMatch(/^HARMONY_ORG_ID is required/m);
    expect(text).toMatch(/^LOG_LEVEL must be one of/m);
    expect(text).toMatch(/^DATABASE_URL must start with postgres:\/\//m);
    expect(text).toMatch(/^ENV_MAP has an entry without/m);
    expect(problems.length).toBeGreaterThanOrEqual(8);
  });

  it('requires the credentials of the chosen UEM auth and a caller-token secret outside demo mode', () => {
    const problems = problemsOf({ UEM_BASE_URL: 'https://as1.awmdm.com', UEM_AUTH: 'oauth' });
    expect(problems.join('\n')).toContain('UEM_TENANT_CODE is required');
    expect(problems.join('\n')).toContain('UEM_OAUTH_CLIENT_SECRET is required with UEM_AUTH=oauth');
    expect(problems.join('\n')).toContain('AUTH_JWT_SECRET or AUTH_JWKS_URL is required');
  });

  it('never echoes a secret value in a problem', () => {
    const problems = problemsOf({ AUTH_JWT_SECRET: 'short-secret-value', UEM_PASSWORD: 'hunter2', PORT: '-1' });
    expect(problems.join('\n')).not.toContain('short-secret-value');
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('builds real upstream settings', () => {
    const config = loadConfig({
      UEM_BASE_URL: 'https://as1.awmdm.com/',
      UEM_TENANT_CODE: 'code',
      UEM_USERNAME: 'api',
      UEM_PASSWORD: 'pw',
      HARMONY_BASE_URL: 'https://na-east.jitterbit.com',
      HARMONY_EMAIL: 'svc@example.com',
      HARMONY_PASSWORD: 'pw',
      HARMONY_ORG_ID: '123',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      ENV_MAP: '{"Corp":"Production","*":"Sandbox"}',
      NODE_ENV: 'production',
    });
    expect(config.demo).toBe(false);
    expect(config.uem).toEqual({
      baseUrl: 'https://as1.awmdm.com',
      tenantCode: 'code',
      auth: { kind: 'basic', username: 'api', password: 'pw' },
    });
    expect(config.envMap).toEqual({ Corp: 'Production', '*': 'Sandbox' });
    expect(config.introspection).toBe(false);
  });
});
