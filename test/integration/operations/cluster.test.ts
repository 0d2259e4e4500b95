/**
 * Cluster mode: one primary, WORKERS workers on one port, all drained on SIGTERM. Registered only
 * with TEST_DATABASE_URL (cluster mode needs Postgres); `instances-config.test.ts` guards CI.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import { waitFor } from '../../helpers/wait.js';
import { freePort, freshSchema, gatewayEnv, postgresUrl, START_TIMEOUT_MS, startGatewayProcess } from './instances.js';

/** Node processes whose parent is `pid` (the primary's workers). */
function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const all: number[] = [];
  const walk = (id: number) => {
    for (const c of children.get(id) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

describe.runIf(postgresUrl)('cluster mode', () => {
  let sims: Simulators;
  let schema: { databaseUrl: string; drop(): Promise<void> };
  beforeAll(async () => {
    sims = await startSimulators({ sizes: { devices: 100, uemUsers: 50 } });
    schema = await freshSchema(postgresUrl!);
  });
  afterAll(async () => {
    await sims?.close();
    await schema?.drop();
  });

  it('serves one port from several workers and drains them all on SIGTERM', { timeout: 400_000 }, async () => {
    const gw = await startGatewayProcess(gatewayEnv(sims, schema.databaseUrl, await freePort(), { WORKERS: '2' }));
    // Wait until both workers listen (the first one answering is not enough).
    await waitFor('both workers to listen', () => (gw.output().match(/listening on/g) ?? []).length >= 2, { timeoutMs: START_TIMEOUT_MS });
    expect((gw.output().match(/listening on/g) ?? []).length).toBe(2);
    const before = descendants(gw.child.pid!).length;
    expect(before).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 10; i++) expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect(await gw.stop()).toBe(0);
  });
});
