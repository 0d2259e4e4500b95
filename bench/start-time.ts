/**
 * `npx tsx bench/start-time.ts [--runs 5] [--fresh-data]`: time from `npm start` to a gateway that
 * answers, on a warm checkout (dependencies installed, generated files current, which the first
 * run makes sure of). Each run starts `npm start` in its own process group on a free port, waits
 * for the start-up banner and `/healthz`, records the time, and stops it by npm's process id.
 * `--fresh-data` gives each run an empty DATA_DIR (a new embedded database); by default the runs
 * share one, as repeated starts of one checkout do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, ROOT } from './processes.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'fresh-data': { type: 'boolean', default: false } } });
const runs = Number(values.runs);

async function oneStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  let banner = false;
  child.stdout!.on('data', (chunk: Buffer) => (banner ||= chunk.toString().includes('listening on')));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    if (banner && (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - started;
  process.kill(child.pid!, 'SIGTERM');
  await exited;
  return ms;
}

// The first `npm start` of a checkout may regenerate files; make sure that is done before timing.
const prepared = spawnSync(process.execPath, ['scripts/generate.mjs', 'codegen', 'ide', 'compile'], { cwd: ROOT, stdio: 'inherit' });
if (prepared.status !== 0) process.exit(1);

const shared = mkdtempSync(join(tmpdir(), 'start-time-'));
const times: number[] = [];
const load = loadavg()[0]!.toFixed(1);
if (!values['fresh-data']) await oneStart(shared); // creates the shared embedded database
for (let i = 0; i < runs; i++) {
  const dir = values['fresh-data'] ? mkdtempSync(join(tmpdir(), 'start-time-')) : shared;
  const ms = await oneStart(dir);
  times.push(ms);
  if (dir !== shared) rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`run ${i + 1}: ${(ms / 1000).toFixed(2)} s\n`);
}
rmSync(shared, { recursive: true, force: true });
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
process.stdout.write(
  `\nnpm start → ready (${values['fresh-data'] ? 'fresh' : 'existing'} data dir, ${runs} runs, load average ${load} before): ` +
    `median ${(median / 1000).toFixed(2)} s, min ${(sorted[0]! / 1000).toFixed(2)} s, max ${(sorted.at(-1)! / 1000).toFixed(2)} s\n`,
);
