/**
 * `npm start` as a supervisor or a script runs it: the gateway is the process npm's signal reaches
 * (the start script `exec`s it), so stopping `npm start` by its process id stops the gateway and
 * leaves nothing listening; if npm itself is killed outright, the gateway notices and stops too.
 * Each run waits on conditions (the port answering, the process group gone), never on fixed sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { seededDataDir } from '../../helpers/db-template.js';

const dirs: string[] = [];
const started: ChildProcess[] = [];
afterAll(() => {
  // Whatever a failed test left behind: its whole process group.
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether any process of the group is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `npm start` in a process group of its own, ready to answer /healthz (or as far as `readyWhen` says). */
async function npmStart(options: { logLevel?: string; readyWhen?: (output: string) => boolean } = {}) {
  const port = await freePort();
  // A copy of the migrated template: what is tested is starting and stopping, not initdb.
  const dataDir = seededDataDir('npm-start-');
  dirs.push(dataDir);
  const child = spawn('npm', ['start'], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: options.logLevel ?? 'warn' },
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await until(
    `npm start to answer on port ${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited early (${child.exitCode}):\n${output}`);
      if (options.readyWhen) return options.readyWhen(output);
      // The banner is printed once the server listens.
      return output.includes('UEM–Harmony Gateway listening on') && fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    },
    240_000,
  );
  return { child, port, exited, output: () => output };
}

describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stopped by its process id (${signal}) stops the gateway and leaves nothing listening`, { timeout: 300_000 }, async () => {
      const run = await npmStart();
      process.kill(run.child.pid!, signal);
      const exit = await run.exited;
      expect(exit.code, run.output()).toBe(0);
      await until('the process group to end', () => !groupAlive(run.child.pid!), 30_000);
      expect(await listening(run.port)).toBe(false);
      expect(run.output()).not.toMatch(/Lifecycle script `start` failed/);
    });
  }

  it('stopped while it is still starting, stops cleanly once it is up', { timeout: 300_000 }, async () => {
    // The embedded database is open, the server not yet listening: a signal must not kill it half-way.
    const run = await npmStart({ logLevel: 'info', readyWhen: (output) => output.includes('database: pglite opened') });
    process.kill(run.child.pid!, 'SIGTERM');
    const exit = await run.exited;
    expect(exit.code, run.output()).toBe(0);
    expect(run.output()).toMatch(/"msg":"shutting down( once start-up ends|: draining in-flight requests)"/);
    expect(run.output()).toContain('"msg":"stopped"');
    await until('the process group to end', () => !groupAlive(run.child.pid!), 30_000);
    expect(await listening(run.port)).toBe(false);
  });

  it('stops the gateway when npm itself is killed outright', { timeout: 300_000 }, async () => {
    const run = await npmStart();
    process.kill(run.child.pid!, 'SIGKILL');
    await run.exited;
    // The gateway, re-parented, notices within a second and drains like on SIGTERM.
    await until('the gateway to stop', () => !groupAlive(run.child.pid!), 60_000);
    expect(await listening(run.port)).toBe(false);
  });
});
