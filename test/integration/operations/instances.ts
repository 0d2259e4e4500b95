/**
 * Gateway processes for the multi-instance tests: each one `src/main.ts` (node-process.ts) with its own port,
 * pointed at shared standalone simulators and one Postgres schema.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Simulators } from '../../../src/simulators/index.js';
import { tsEntry } from '../../helpers/node-process.js';

export const postgresUrl = process.env.TEST_DATABASE_URL || undefined;
export const JWT_SECRET = 'multi-instance-secret-'.padEnd(48, 'x');
export const START_TIMEOUT_MS = 180_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh schema on the test Postgres, and a DATABASE_URL that works in it. */
export async function freshSchema(url: string): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  const schema = `mi_${randomBytes(5).toString('hex')}`;
  const admin = async (q: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(q);
    } finally {
      await client.end();
    }
  };
  await admin(`create schema ${schema}`);
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { databaseUrl: u.toString(), drop: () => admin(`drop schema ${schema} cascade`) };
}

export function gatewayEnv(sims: Simulators, databaseUrl: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    AUTH_JWT_SECRET: JWT_SECRET,
    UEM_BASE_URL: sims.uem.url,
    UEM_TENANT_CODE: sims.uem.credentials.tenantCode,
    UEM_USERNAME: sims.uem.credentials.username,
    UEM_PASSWORD: sims.uem.credentials.password,
    HARMONY_BASE_URL: sims.harmony.url,
    HARMONY_EMAIL: sims.harmony.credentials.email,
    HARMONY_PASSWORD: sims.harmony.credentials.password,
    HARMONY_ORG_ID: sims.harmony.credentials.orgId,
    ...extra,
  };
}

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts `src/main.ts` (or another entry, e.g. a test build with fault hooks) and resolves once
 * `/healthz` answers. A new embedded database takes a while to create on a busy machine.
 */
export async function startGatewayProcess(env: Record<string, string>, options: { entry?: string; timeoutMs?: number } = {}): Promise<GatewayProcess> {
  const timeoutMs = options.timeoutMs ?? START_TIMEOUT_MS;
  // A process group of its own: cluster mode adds workers; a
  // kill that gives up on a start must reach them all.
  const child = spawn(...tsEntry(options.entry ?? 'src/main.ts'), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${env.PORT}`;
  // Generous: the process compiles the app on start, which takes long on a busy machine.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`gateway did not start within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
