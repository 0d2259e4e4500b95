import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, SECRET_KEYS, loadConfig } from '../../../src/config.js';

/** `KEY: "value"` entries under a top-level `data:` or `stringData:` block. */
function dataBlock(file: string, block: 'data' | 'stringData'): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l === `${block}:`);
  expect(start, `${file} has a ${block} block`).toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const m = /^ {2}([A-Z][A-Z0-9_]*): "(.*)"$/.exec(line);
    if (!m) break;
    out[m[1]!] = m[2]!;
  }
  return out;
}

describe('deployment manifests', () => {
  const config = dataBlock('deploy/k8s/configmap.yaml', 'data');
  const secrets = dataBlock('deploy/k8s/secret.example.yaml', 'stringData');

  it('name only variables the configuration knows', () => {
    for (const key of [...Object.keys(config), ...Object.keys(secrets)]) expect(CONFIG_KEYS, key).toContain(key);
    const dockerEnv = [...readFileSync('Dockerfile', 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    for (const key of dockerEnv) expect(CONFIG_KEYS, key).toContain(key);
  });

  it('keep secrets in the Secret, never in the ConfigMap', () => {
    for (const key of SECRET_KEYS) expect(Object.keys(config), key).not.toContain(key);
  });

  it('together form a valid production configuration', () => {
    const parsed = loadConfig({ ...config, ...secrets });
    expect(parsed.demo).toBe(false);
    expect(parsed.databaseUrl).toMatch(/^postgres:/);
    expect(parsed.env).toBe('production');
  });

  it('probe liveness without the upstreams and readiness with them', () => {
    const deployment = readFileSync('deploy/k8s/deployment.yaml', 'utf8');
    expect(deployment).toMatch(/livenessProbe:\s+httpGet: \{ path: \/healthz/);
    expect(deployment).toMatch(/readinessProbe:\s+httpGet: \{ path: \/readyz/);
    const grace = Number(/terminationGracePeriodSeconds: (\d+)/.exec(deployment)?.[1]);
    expect(grace * 1000).toBeGreaterThan(Number(config.SHUTDOWN_GRACE_MS));
  });
});
