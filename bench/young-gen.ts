/**
 * `npx tsx bench/young-gen.ts [--requests 3000] [--sizes default,16,32,64]`: what V8's young
 * generation size (`--max-semi-space-size`, MB) does to the gateway. For each size, a demo gateway
 * (`node <flag> dist/main.js`, simulators in-process, no upstream latency so the gateway's own work
 * dominates) serves the same warm-up and then `--requests` requests of a 100-device page with each
 * device's user, 20 at a time. Reported per size: CPU time per request (user + system, from /proc,
 * which holds up on a busy machine better than throughput), scavenges (minor GCs) and their time,
 * mark-compacts (major GCs; both from the gateway's own /metrics), requests per second, and
 * resident memory after the run. GC times are wall-clock: on a busy machine only the counts hold.
 * Linux only (reads /proc). Run `node scripts/generate.mjs compile` first if `src/` changed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort, ROOT } from './processes.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, sizes: { type: 'string', default: 'default,16,32,64' } } });
const REQUESTS = Number(values.requests);
const QUERY = '{ devices(first: 100) { nodes { id friendlyName platform complianceStatus user { userName email firstName lastName } } } }';
const TICK = 100; // clock ticks per second of /proc/<pid>/stat

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

interface GcFigures {
  minor: number;
  minorSeconds: number;
  major: number;
}

/** Garbage collections so far, from the gateway's own metrics (prom-client's `nodejs_gc_duration_seconds`). */
async function gc(url: string): Promise<GcFigures> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (suffix: string, kind: string) =>
    Number(new RegExp(`^gateway_process_nodejs_gc_duration_seconds_${suffix}\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { minor: read('count', 'minor'), minorSeconds: read('sum', 'minor'), major: read('count', 'major') };
}

async function load(url: string, token: string, amount: number) {
  return autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections: 20,
    amount,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: QUERY }),
  });
}

async function measure(size: string) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'young-gen-'));
  const flags = size === 'default' ? [] : [`--max-semi-space-size=${size}`];
  const child = spawn(process.execPath, [...flags, 'dist/main.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LIMIT_HARMONY_USER_BURST: '1000000', RATE_LIMIT_HARMONY_USER_PER_SECOND: '1000000' },
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  while (!out.includes('listening on')) {
    if (child.exitCode !== null) throw new Error(`gateway exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://127.0.0.1:${port}`;
  const token = (JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens['ada.admin@demo.example']!;
  await load(url, token, 500); // warm-up: caches, JIT
  const [cpu0, gc0] = [cpuSeconds(child.pid!), await gc(url)];
  const result = await load(url, token, REQUESTS);
  const [cpu1, gc1] = [cpuSeconds(child.pid!), await gc(url)];
  const rss = rssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  const ok = result.requests.total - result.non2xx - result.errors;
  return {
    size,
    cpuMsPerRequest: ((cpu1 - cpu0) * 1000) / REQUESTS,
    scavenges: gc1.minor - gc0.minor,
    scavengeMs: (gc1.minorSeconds - gc0.minorSeconds) * 1000,
    markCompacts: gc1.major - gc0.major,
    reqPerSec: result.requests.average,
    ok,
    rss,
  };
}

const rows = [];
const load0 = loadavg()[0]!.toFixed(1);
for (const size of values.sizes!.split(',')) {
  const row = await measure(size.trim());
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
process.stdout.write(`\n${REQUESTS} requests per size, load average ${load0} before the first\n\n`);
process.stdout.write('| `--max-semi-space-size` | CPU ms / request | scavenges | scavenge ms | mark-compacts | req/s | RSS MB after |\n|--:|--:|--:|--:|--:|--:|--:|\n');
for (const r of rows) {
  process.stdout.write(`| ${r.size} | ${r.cpuMsPerRequest.toFixed(2)} | ${r.scavenges} | ${r.scavengeMs.toFixed(0)} | ${r.markCompacts} | ${r.reqPerSec.toFixed(0)} | ${r.rss.toFixed(0)} |\n`);
}
