import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { seededDataDir } from '../../helpers/db-template.js';
import { startTestGateway } from '../../helpers/gateway.js';
import { tsEntry } from '../../helpers/node-process.js';
import { waitFor } from '../../helpers/wait.js';


function runMain(env: Record<string, string>) {
  return spawnSync(...tsEntry('src/main.ts'), {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: seededDataDir('gw-main-'), LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    // Generous: a child compiles the app on start, which takes long on a busy machine.
    timeout: 180_000,
  });
}

describe('process lifecycle', () => {
  it('reports every configuration problem at once and exits 1 without a stack trace', { timeout: 240_000 }, () => {
    const run = runMain({ PORT: 'x', UEM_BASE_URL: 'nope', LOG_LEVEL: 'chatty' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toMatch(/PORT must be a whole number/);
    expect(run.stderr).toMatch(/UEM_BASE_URL must be a URL/);
    expect(run.stderr).toMatch(/LOG_LEVEL must be one of/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says clearly when the port is in use', { timeout: 240_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = runMain({ PORT: String(port) });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('finishes in-flight requests when it shuts down', { timeout: 90_000 }, async () => {
    const gw = await startTestGateway();
    gw.app.simulators.uem!.setFaults({ latencyMs: 400 });
    const uem = gw.app.simulators.uem!;
    uem.resetStats();
    const inFlight = gw.gql('{ devices(first: 2) { nodes { id } } }', { as: 'ada.admin@demo.example' });
    await waitFor('the request to reach UEM', () => uem.stats().total > 0);
    const closing = gw.close();
    const result = await inFlight;
    await closing;
    expect(result.status).toBe(200);
    expect((result.body.data as { devices: { nodes: unknown[] } }).devices.nodes).toHaveLength(2);
    await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
  });

  it('exits 0 on SIGTERM after draining, as a real process', { timeout: 240_000 }, async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const p = (probe.address() as { port: number }).port;
        probe.close(() => resolve(p));
      });
    });
    const child = spawn(...tsEntry('src/main.ts'), {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: seededDataDir('gw-main-'), LOG_LEVEL: 'silent', PORT: String(port) },
      stdio: 'ignore',
      // A process group of its own: a kill that gives up on it reaches everything it started.
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 720; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    child.kill('SIGTERM');
    // Apollo must not race main.ts for the signal (it once hung shutdown until the force-exit timer).
    const outcome = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 45_000))]);
    if (outcome === 'hung') process.kill(-child.pid!, 'SIGKILL');
    expect(outcome).toBe(0);
  });
});
