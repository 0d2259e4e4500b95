/**
 * One choice of Node runtime flags (README, "Memory"): `npm start`, the container image and the
 * Kubernetes deployment give V8 the same young generation, each sets a heap ceiling (the memory
 * budget follows it; the image's is `npm start`'s, Kubernetes sets its own for PostgreSQL in 512 MiB),
 * and the image keeps its flags in NODE_OPTIONS so that a deployment's NODE_OPTIONS replaces them
 * (flags on the command line would win over it).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
const dockerfile = readFileSync('Dockerfile', 'utf8');
const deployment = readFileSync('deploy/k8s/deployment.yaml', 'utf8');

const dockerNodeOptions = /^ENV NODE_OPTIONS="([^"]*)"/m.exec(dockerfile)?.[1] ?? '';
const dockerCmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '';
const k8sNodeOptions = /- name: NODE_OPTIONS\s+value: "?([^"\n]*)"?/.exec(deployment)?.[1] ?? '';

const flag = (flags: string, name: string) => {
  const value = new RegExp(`--${name}=(\\d+)`).exec(flags)?.[1];
  return value === undefined ? undefined : Number(value);
};

describe('Node runtime flags', () => {
  it('give the young generation one size everywhere', () => {
    const sizes = [startScript, dockerNodeOptions, k8sNodeOptions].map((flags) => flag(flags, 'max-semi-space-size'));
    expect(sizes[0], startScript).toBeGreaterThan(0);
    expect(sizes, JSON.stringify({ startScript, dockerNodeOptions, k8sNodeOptions })).toEqual([sizes[0], sizes[0], sizes[0]]);
  });

  it('cap the heap everywhere', () => {
    for (const flags of [startScript, dockerNodeOptions, k8sNodeOptions]) expect(flag(flags, 'max-old-space-size'), flags).toBeGreaterThan(0);
  });

  it('run the image with the same ceiling as npm start, overridable by NODE_OPTIONS', () => {
    expect(flag(dockerNodeOptions, 'max-old-space-size')).toBe(flag(startScript, 'max-old-space-size'));
    expect(dockerCmd).toMatch(/dist\/main\.js/);
    expect(dockerCmd).not.toMatch(/--max-(old|semi)-space-size/);
  });
});
