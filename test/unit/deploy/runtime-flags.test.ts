/**
 * One choice of Node runtime flags (README, "Memory"): `npm start`, the container image and the
 * Kubernetes deployment give V8 the same young generation and the same number of background
 * threads, each sets a heap ceiling (the memory budget follows it; the image's is `npm start`'s,
 * Kubernetes sets its own for PostgreSQL in 512 MiB), and the image keeps its flags in NODE_OPTIONS
 * so that a deployment's NODE_OPTIONS replaces them (flags on the command line would win over it).
 * The C library's allocator is read from the environment before Node starts, so the start script
 * sets it with `env`, the image with ENV and the deployment in its env list, all to the same values.
 * Allocation-site pretenuring is off in `npm start` and in the image's command (V8 refuses that flag
 * in NODE_OPTIONS); the deployment runs the image's command.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const startScript = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
const dockerfile = readFileSync('Dockerfile', 'utf8');
const deployment = readFileSync('deploy/k8s/deployment.yaml', 'utf8');

const dockerNodeOptions = /^ENV NODE_OPTIONS="([^"]*)"/m.exec(dockerfile)?.[1] ?? '';
const dockerCmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '';
const k8sNodeOptions = /- name: NODE_OPTIONS\s+value: "?([^"\n]*)"?/.exec(deployment)?.[1] ?? '';

/** The allocator's settings (glibc reads them at process start), by where they are set. */
const ALLOCATOR = ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_'] as const;
const startEnv = (name: string) => new RegExp(`^exec env (?:[A-Z_]+=\\S+ )*${name}=(\\d+) `).exec(startScript)?.[1];
const dockerEnv = (name: string) => new RegExp(`^ENV (?:[A-Z_]+=\\S+ )*${name}=(\\d+)\\b`, 'm').exec(dockerfile)?.[1];
const k8sEnv = (name: string) => new RegExp(`- name: ${name}\\s+value: "?(\\d+)"?`).exec(deployment)?.[1];

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

  it("give V8 one background thread everywhere (the scavenger's and the WebAssembly compiler's helpers)", () => {
    const pools = [startScript, dockerNodeOptions, k8sNodeOptions].map((flags) => flag(flags, 'v8-pool-size'));
    expect(pools, JSON.stringify({ startScript, dockerNodeOptions, k8sNodeOptions })).toEqual([1, 1, 1]);
  });

  it('set the C allocator the same way before Node starts, everywhere', () => {
    for (const name of ALLOCATOR) {
      const values = [startEnv(name), dockerEnv(name), k8sEnv(name)];
      expect(values[0], `${name} in ${startScript}`).toMatch(/^\d+$/);
      expect(values, name).toEqual([values[0], values[0], values[0]]);
    }
    // `env` runs node in its own place (no shell or env process left between npm and the gateway).
    expect(startScript).toMatch(/^exec env (?:[A-Z_]+=\S+ )+node /);
  });

  it('turn allocation-site pretenuring off everywhere, on the command line (NODE_OPTIONS may not hold it)', () => {
    expect(startScript).toMatch(/ node (?:--\S+ )*--no-allocation-site-pretenuring (?:--\S+ )*dist\/main\.js/);
    expect(JSON.parse(dockerCmd) as string[]).toContain('--no-allocation-site-pretenuring');
    expect(dockerNodeOptions).not.toMatch(/pretenuring/);
    // The deployment runs the image's command: it must not replace it.
    expect(deployment).not.toMatch(/^\s+(command|args):/m);
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
