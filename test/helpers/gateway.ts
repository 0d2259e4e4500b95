/**
 * Starts a whole gateway in-process for integration tests: demo mode (both simulators on loopback,
 * the demo organization), a fresh PGlite in a temp directory, copied from the migrated template
 * (no `initdb`: db-template.ts), a random port. Every test file gets its own, so no seeded state is shared.
 * A test that sets DATA_DIR or DATABASE_URL gets the configured database instead. `gql` prints the operation, the response and the request
 * id when asked to (see `expectData`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startApp, type AppOptions, type RunningApp } from '../../src/app.js';
import { signJwt } from '../../src/auth/jwt.js';
import { createLogger } from '../../src/logger.js';
import { scratchDir, seedDataDir } from './db-template.js';
import { LogCapture } from './log-leaks.js';

export const TEST_JWT_SECRET = 'test-secret-'.padEnd(48, 'x');

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
  requestId: string | null;
}

export interface TestGateway {
  app: RunningApp;
  /** Everything the gateway logged (debug level), checked for secrets when it closes. */
  logs: LogCapture;
  url: string;
  token(email: string, ttlSeconds?: number): Promise<string>;
  gql<T = Record<string, unknown>>(query: string, options?: { as?: string; variables?: Record<string, unknown>; headers?: Record<string, string> }): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

export async function startTestGateway(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestGateway> {
  const ownDataDir = env.DATA_DIR ? undefined : mkdtempSync(join(scratchDir(), 'gateway-test-'));
  // UEM snapshots off unless a test turns them on: their refreshes run in the background and would
  // add to the upstream counts tests assert (test/integration/tenant/ covers them).
  const config = loadConfig({ PORT: '0', DATA_DIR: ownDataDir ?? '', LOG_LEVEL: 'silent', AUTH_JWT_SECRET: TEST_JWT_SECRET, UEM_SNAPSHOTS: 'off', ...env });
  // Logs at debug level into memory; closing checks them for every secret the test used.
  const logs = new LogCapture();
  let app: RunningApp;
  try {
    if (ownDataDir && !env.DATABASE_URL) seedDataDir(ownDataDir);
    app = await startApp(config, { logger: createLogger('debug', logs.stream), ...options });
  } catch (err) {
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    throw err;
  }
  const send: Send = async ({ method, path, headers, body }) => {
    const res = await fetch(`${app.url}${path}`, { method, headers, body });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return testGateway(app, logs, send, async () => {
    const demoSecrets = demoCredentialValues(config.dataDir);
    await app.close();
    if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    expectNoLeaks(app, logs, demoSecrets);
  });
}

/** One HTTP exchange, over a socket or straight into the gateway's handler (in-process.ts). */
export type Send = (request: { method: string; path: string; headers: Record<string, string>; body?: string }) => Promise<{ status: number; headers: Headers; text: string }>;

/** A test's handle on a running gateway, whatever carries its requests. */
export function testGateway(app: RunningApp, logs: LogCapture, send: Send, close: () => Promise<void>): TestGateway {
  const token = async (email: string, ttlSeconds = 600) => {
    const jwt = await signJwt(TEST_JWT_SECRET, email, ttlSeconds);
    logs.used.add(jwt);
    return jwt;
  };
  return {
    app,
    logs,
    url: app.url,
    token,
    async gql(query, opts = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
      if (opts.as) headers.authorization = `Bearer ${await token(opts.as)}`;
      logs.noteHeaders(headers);
      const res = await send({ method: 'POST', path: '/graphql', headers, body: JSON.stringify({ query, variables: opts.variables }) });
      let body: GqlResult['body'];
      try {
        body = JSON.parse(res.text) as GqlResult['body'];
      } catch {
        throw new Error(`non-JSON response ${res.status} to ${query}: ${res.text.slice(0, 500)}`);
      }
      return { status: res.status, headers: res.headers, body: body as GqlResult<never>['body'], requestId: res.headers.get('x-request-id') };
    },
    close,
  };
}

/** Fails when the gateway's logs hold a secret it was given or a caller sent. */
export function expectNoLeaks(app: RunningApp, logs: LogCapture, extraSecrets: readonly string[] = []): void {
  const leaks = logs.leaks(app, extraSecrets);
  if (leaks.length > 0) throw new Error(`secrets found in the gateway's logs: ${leaks.join(', ')}`);
}

/** The tokens and API keys of the demo credentials file, if the gateway wrote one. */
export function demoCredentialValues(dataDir: string): string[] {
  const file = join(dataDir, 'demo-credentials.json');
  if (!existsSync(file)) return [];
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const values: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') values.push(v);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(json);
  return values.filter((v) => v.length >= 20);
}

/** The data of a response that must have no errors; otherwise an error naming everything needed to debug it. */
export function expectData<T>(result: GqlResult<T>, query = ''): T {
  if (result.status !== 200 || result.body.errors?.length || !result.body.data) {
    throw new Error(
      `expected data without errors\noperation: ${query}\nstatus: ${result.status}\nrequest id: ${result.requestId}\nresponse: ${JSON.stringify(result.body, null, 2).slice(0, 3000)}`,
    );
  }
  return result.body.data;
}

/** The codes of a response's errors. */
export const errorCodes = (result: GqlResult<unknown>) => (result.body.errors ?? []).map((e) => e.extensions?.code);
