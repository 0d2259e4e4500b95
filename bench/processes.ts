/**
 * The benchmark's child processes: the simulators (`src/simulators/cli.ts`, as `npm run sim` runs
 * them) and a gateway (as its checkout's `npm start` runs it: start-command.ts), each its own node
 * process on loopback. They run as node itself rather than through npm or the tsx CLI, so the pid
 * is the process doing the work and its memory is what `/proc/<pid>/status` reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gatewayCommand } from './start-command.js';

export const ROOT = join(import.meta.dirname, '..');
const HOST = '127.0.0.1';

/** A port the OS says is free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Child {
  pid: number;
  /** The last lines the process wrote, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** `node <argv>` in `cwd`; `argv` holds the flags, the entry and its arguments. */
function startChild(argv: string[], env: Record<string, string>, onOutput?: (chunk: string) => void, cwd = ROOT): Child {
  const entry = argv.find((a) => !a.startsWith('-') && /\.[jt]s$/.test(a)) ?? argv.join(' ');
  const child: ChildProcess = spawn(process.execPath, argv, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-4000);
    onOutput?.(text);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not start ${entry}`);
  return {
    pid: child.pid,
    output: () => tail,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, the process dies, or `timeoutMs` passes. */
async function waitFor(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    if (!isAlive(child.pid)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await child.stop();
  throw new Error(`${url} did not become ready (${last.slice(0, 300)})\n${child.output()}`);
}

/** The children of one run: each reported to `track` (an interrupt stops them), all stopped in reverse order at the end. */
export function childGroup(track?: (child: Child) => void) {
  const children: Child[] = [];
  return {
    keep<T extends Child>(child: T): T {
      children.push(child);
      track?.(child);
      return child;
    },
    async stopAll(): Promise<void> {
      for (const child of children.reverse()) await child.stop();
    },
  };
}

export interface SimulatorProcess extends Child {
  uemUrl: string;
  harmonyUrl: string;
}

/**
 * `npm run sim` on two free ports, with `latencyMs` on every upstream request and no jitter;
 * `env` sets the dataset (`SIM_DEVICES`, …).
 */
export async function startSimulatorProcess(latencyMs: number, env: Record<string, string> = {}): Promise<SimulatorProcess> {
  const [uemPort, harmonyPort] = [await freePort(), await freePort()];
  const child = startChild(['--import', 'tsx', 'src/simulators/cli.ts'], { ...env, SIM_UEM_PORT: String(uemPort), SIM_HARMONY_PORT: String(harmonyPort) });
  const uemUrl = `http://${HOST}:${uemPort}`;
  const harmonyUrl = `http://${HOST}:${harmonyPort}`;
  await waitFor(`${uemUrl}/__sim/stats`, child, 60_000);
  await waitFor(`${harmonyUrl}/__sim/stats`, child, 60_000);
  for (const url of [uemUrl, harmonyUrl]) {
    const res = await fetch(`${url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs, jitterMs: 0 }),
    });
    if (!res.ok) throw new Error(`PUT ${url}/__sim/faults answered ${res.status}`);
  }
  return { ...child, uemUrl, harmonyUrl };
}

/** The simulator credentials of docs/interfaces.md (`npm run sim` prints the same). */
export const SIM_CREDENTIALS = {
  UEM_TENANT_CODE: 'demo-tenant-code',
  UEM_USERNAME: 'api_admin',
  UEM_PASSWORD: 'demo-password',
  HARMONY_EMAIL: 'integration@demo.example',
  HARMONY_PASSWORD: 'demo-password',
  HARMONY_ORG_ID: 'demo-org',
} as const;

const RATE_LIMIT_FOR_BENCH = 1_000_000;

export interface GatewayProcess extends Child {
  url: string;
}

export interface GatewayProcessOptions {
  sims: SimulatorProcess;
  dataDir: string;
  /** Postgres instead of the embedded PGlite (`--database-url`). */
  databaseUrl?: string;
  jwtSecret: string;
  batching: boolean;
  /** Extra node flags, e.g. `--cpu-prof --cpu-prof-dir=…` (`--cpu-prof`, `--node-args`). */
  nodeArgs?: string[];
  /** Another checkout to run the gateway from (`--baseline-root`: before and after in one run). */
  root?: string;
  /** More gateway settings (they win over the defaults here; e.g. `UEM_DAILY_QUOTA` in tenant mode). */
  env?: Record<string, string>;
  /** Everything the gateway writes (stdout and stderr), e.g. `--trace-gc` lines. */
  onOutput?(chunk: string): void;
  /** The shipped per-principal rate limits instead of raised ones (`--abuse`: each caller is one caller). */
  defaultRateLimits?: boolean;
}

/** `npm start` with production settings, pointed at the simulator process. */
export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const port = await freePort();
  const root = options.root ?? ROOT;
  const start = gatewayCommand(root);
  const child = startChild(
    // The benchmark's flags after the start script's: the later of two V8 flags wins.
    [...start.nodeArgs, ...(options.nodeArgs ?? []), start.entry, ...start.args],
    {
      ...start.env,
      NODE_ENV: 'production',
      HOST,
      PORT: String(port),
      DATA_DIR: options.dataDir,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      UEM_BASE_URL: options.sims.uemUrl,
      HARMONY_BASE_URL: options.sims.harmonyUrl,
      ...SIM_CREDENTIALS,
      AUTH_JWT_SECRET: options.jwtSecret,
      GATEWAY_BATCHING: options.batching ? 'on' : 'off',
      // One caller stands for a whole population here: the per-principal rate limits would refuse
      // most of the load. The buckets are still taken on every request, so their cost is measured.
      ...(options.defaultRateLimits
        ? {}
        : Object.fromEntries(
            ['HARMONY_USER', 'EXTERNAL_USER', 'API_KEY'].flatMap((who) => [
              [`RATE_LIMIT_${who}_BURST`, String(RATE_LIMIT_FOR_BENCH)],
              [`RATE_LIMIT_${who}_PER_SECOND`, String(RATE_LIMIT_FOR_BENCH)],
            ]),
          )),
      ...options.env,
    },
    options.onOutput,
    root,
  );
  const url = `http://${HOST}:${port}`;
  await waitFor(`${url}/readyz`, child, 90_000);
  return { ...child, url };
}

/** Whether a process still runs. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Peak resident memory of a process between `reset()` and `peakMb()`: the kernel's high-water mark
 * (VmHWM, reset through `clear_refs`), or where that cannot be reset, the largest VmRSS sampled
 * every 100 ms.
 */
export class RssMeter {
  private sampled = 0;
  private timer: NodeJS.Timeout | undefined;
  private hwmResettable = false;

  constructor(private readonly pid: number) {}

  start(): void {
    this.sampled = 0;
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmResettable = true;
    } catch {
      this.hwmResettable = false;
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  /** Resident memory now, in MB. */
  current(): number {
    return Math.round((readStatusKb(this.pid, 'VmRSS') / 1024) * 10) / 10;
  }

  /** Stops sampling; the peak in MB since `start()`. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    const hwm = this.hwmResettable ? readStatusKb(this.pid, 'VmHWM') : 0;
    return Math.round((Math.max(hwm, this.sampled) / 1024) * 10) / 10;
  }

  private sample(): void {
    this.sampled = Math.max(this.sampled, readStatusKb(this.pid, 'VmRSS'));
  }
}

function readStatusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
