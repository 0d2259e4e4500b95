/**
 * What the capacity benchmarks share (`bench/memory.ts`): the simulators
 * and one gateway as child processes (production settings, as `npm run bench` runs them), closed
 * loops of clients that count statuses and latencies, a liveness watch, and the result file.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, ROOT, startGatewayProcess, startSimulatorProcess, type Child, type GatewayProcess, type SimulatorProcess } from './processes.js';
import { prepareDataDir, type Credentials } from './setup.js';

export interface Stack {
  sims: SimulatorProcess;
  creds: Credentials;
  dataDir: string;
  children: Child[];
  /** A gateway on the stack's simulators and data directory (stopped with the stack). */
  gateway(options: { env?: Record<string, string>; nodeArgs?: string[]; onOutput?(chunk: string): void }): Promise<GatewayProcess>;
  stop(): Promise<void>;
}

export async function startStack(options: { latencyMs: number; simEnv: Record<string, string>; databaseUrl?: string }): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gateway-capacity-'));
  const children: Child[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const sims = await startSimulatorProcess(options.latencyMs, options.simEnv);
    children.push(sims);
    const creds = await prepareDataDir(dataDir, options.databaseUrl);
    return {
      sims,
      creds,
      dataDir,
      children,
      async gateway({ env = {}, nodeArgs = [], onOutput }) {
        const gateway = await startGatewayProcess({
          sims,
          dataDir,
          databaseUrl: options.databaseUrl,
          jwtSecret: creds.jwtSecret,
          batching: true,
          nodeArgs,
          env: { LOG_LEVEL: 'warn', ...env },
          onOutput,
        });
        children.push(gateway);
        return gateway;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface LoopResult {
  /** Responses by HTTP status (`error` for a connection that failed). */
  statuses: Record<string, number>;
  /** Latencies of the 200 answers, ascending, in ms. */
  okMs: number[];
}

/** `connections` clients, each sending `send()` again as soon as it is answered, until `signal` aborts. */
export async function closedLoop(connections: number, send: () => Promise<number>, signal: AbortSignal): Promise<LoopResult> {
  const statuses: Record<string, number> = {};
  const okMs: number[] = [];
  const worker = async () => {
    while (!signal.aborted) {
      const started = performance.now();
      let status: string;
      try {
        status = String(await send());
      } catch {
        if (signal.aborted) break;
        status = 'error';
        await new Promise((r) => setTimeout(r, 50));
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === '200') okMs.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  okMs.sort((a, b) => a - b);
  return { statuses, okMs };
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

/** Polls `/healthz` until stopped: how many polls failed, and whether the process is still alive. */
export function watchHealth(gateway: GatewayProcess, everyMs = 250) {
  const started = Date.now();
  let polls = 0;
  let failures = 0;
  let firstFailureSec: number | null = null;
  const failed = () => {
    failures++;
    firstFailureSec ??= Math.round((Date.now() - started) / 100) / 10;
  };
  const timer = setInterval(() => {
    polls++;
    fetch(`${gateway.url}/healthz`, { signal: AbortSignal.timeout(5_000) }).then(
      (res) => void (res.ok || failed()),
      () => failed(),
    );
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { polls, failures, firstFailureSec, alive: isAlive(gateway.pid) };
    },
  };
}

/** A number read off the gateway's `/metrics` (the first sample of `name`), or null. */
export async function metric(gateway: GatewayProcess, name: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${gateway.url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function machine() {
  const cpu = cpus();
  return { cpu: cpu[0]?.model.trim() ?? 'unknown', cores: cpu.length, node: process.version, loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100 };
}

/** Writes `bench/results/<name>-<timestamp>.json`; returns its path. */
export function writeResult(name: string, result: unknown): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
