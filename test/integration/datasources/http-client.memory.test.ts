import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandle } from '../../../src/simulators/common/sim-server.js';
import type { HttpClient } from '../../../src/datasources/upstream-http/http-client.js';
import { startTestUpstream, testClient } from './test-upstream.js';

const MB = 1024 * 1024;

/** A real collection even without `--expose-gc` (the flag can be set at run time). */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

async function heapUsed(): Promise<number> {
  const gc = collector();
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** `total` failing calls, `parallel` at a time; returns how many failed with a coded error. */
async function failMany(client: HttpClient, total: number, parallel: number): Promise<number> {
  let coded = 0;
  for (let done = 0; done < total; done += parallel) {
    const batch = Array.from({ length: Math.min(parallel, total - done) }, () =>
      client.request({ method: 'GET', path: '/fail', operation: 'fail' }).then(
        () => undefined,
        (err: { code?: string }) => {
          if (err.code === 'UPSTREAM_UNAVAILABLE') coded++;
        },
      ),
    );
    await Promise.all(batch);
  }
  return coded;
}

describe('HTTP client: 10,000 failed calls', () => {
  let sim: SimHandle;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    sim = await startTestUpstream((r) => r.get('/fail', () => ({ status: 500, body: { errorCode: 1, message: 'boom' } })));
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sim.close();
  });

  it('fast 500s: every call is a coded error and the heap does not grow', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 0 }, maxConcurrency: 32 });
    await failMany(client, 1_000, 50);
    const before = await heapUsed();
    expect(await failMany(client, 10_000, 50)).toBe(10_000);
    const growth = (await heapUsed()) - before;
    expect(growth).toBeLessThan(16 * MB);
    expect(client.health()).toMatchObject({ inFlight: 0, queued: 0 });
    await client.close();
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('an open breaker: 10,000 refusals without a call and without heap growth', async () => {
    const client = testClient(sim.url, { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, coolDownMs: 60_000 } });
    await failMany(client, 1_000, 100);
    expect(client.health().breaker).toBe('open');
    sim.resetStats();
    const before = await heapUsed();
    expect(await failMany(client, 10_000, 100)).toBe(10_000);
    const growth = (await heapUsed()) - before;
    expect(growth).toBeLessThan(16 * MB);
    expect(sim.stats().total).toBe(0);
    await client.close();
    expect(unhandled).toEqual([]);
  }, 60_000);
});
