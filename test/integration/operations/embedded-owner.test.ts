/**
 * One owner for the embedded database (issue 16). A gateway process serves PGlite in DATA_DIR; each
 * store CLI (`documents`, `keys`, `audit`) runs against the same directory while it serves, and its
 * effect shows through the gateway at once; after a restart it is still there. A second gateway on
 * the directory refuses to start with a clear error, and a CLI facing a holder that cannot run its
 * command refuses and changes nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../../../src/auth/jwt.js';
import { startSimulators, type Simulators } from '../../../src/simulators/index.js';
import { lockFileOf } from '../../../src/store/data-dir-lock.js';
import { seededDataDir } from '../../helpers/db-template.js';
import { cliEntry, tsEntry } from '../../helpers/node-process.js';
import { flatManifest, sha256 } from '../documents/helpers.js';
import { freePort, gatewayEnv, JWT_SECRET, startGatewayProcess, type GatewayProcess } from './instances.js';

const ADA = 'ada.admin@demo.example';
const RITA = 'rita.reader@demo.example';
const DOC_A = 'query LiveOwnerA { viewer { email } }';
const DOC_B = 'query LiveOwnerB { viewer { email kind } }';
const LONG = 600_000;
const START = { timeoutMs: 300_000 };

let sims: Simulators;
let dataDir: string;
let env: Record<string, string>;
let gateway: GatewayProcess | undefined;
let jwt: string;

/** `npm run <script> -- …` as a child process (asynchronously: the test keeps talking HTTP meanwhile). */
function cli(script: 'documents' | 'keys' | 'audit' | 'doctor', ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(...cliEntry(script, args), {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent', DATABASE_URL: '', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}
/** The pid in the data directory's lock. */
const lockPid = () => (JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8')) as { pid: number }).pid;
async function post(body: Record<string, unknown>, auth: Record<string, string>) {
  const res = await fetch(`${gateway!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: Record<string, unknown> }[] } };
}
const asAda = () => ({ authorization: `Bearer ${jwt}` });
const byDocument = (body: string) => post({ documentId: `sha256:${sha256(body)}` }, asAda());
const withKey = (key: string) => post({ query: '{ viewer { email } }' }, { authorization: `ApiKey ${key}` });

beforeAll(async () => {
  sims = await startSimulators({ sizes: { devices: 200, uemUsers: 80 } });
  dataDir = seededDataDir('owner-');
  env = gatewayEnv(sims, '', await freePort(), { DATA_DIR: dataDir });
  jwt = await signJwt(JWT_SECRET, ADA, 3600);
  gateway = await startGatewayProcess(env, START);
}, LONG);

afterAll(async () => {
  await gateway?.stop();
  await sims?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the store CLIs while the gateway serves the embedded database', () => {
  let key = '';
  let keyId = '';

  it('documents: push, list and remove take effect in the running gateway at once', async () => {
    expect((await byDocument(DOC_A)).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const manifest = join(dataDir, 'manifest.json');
    writeFileSync(manifest, JSON.stringify(flatManifest(DOC_A, DOC_B)));
    const pushed = await cli('documents', 'push', manifest, '--client', 'live-cli');
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout).toContain('created 2, unchanged 0, updated 0');
    expect((await byDocument(DOC_A)).body).toEqual({ data: { viewer: { email: ADA } } });
    expect((await cli('documents', 'list', '--client', 'live-cli')).stdout).toContain(`sha256:${sha256(DOC_B)}`);

    expect((await cli('documents', 'remove', `sha256:${sha256(DOC_A)}`)).stdout).toContain('removed');
    // Served a moment ago (and cached by the gateway): gone at once all the same.
    expect((await byDocument(DOC_A)).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const rejected = await cli('documents', 'push', manifest);
    expect(rejected.status).toBe(2);
  }, LONG);

  it('keys: a key created works at once, and a revoked one is refused at once', async () => {
    const created = await cli('keys', 'create', '--owner', RITA, '--kind', 'HARMONY_USER', '--label', 'live');
    expect(created.status).toBe(0);
    key = /key: (\S+)/.exec(created.stdout)?.[1] ?? '';
    keyId = /id:\s+(\S+)/.exec(created.stdout)?.[1] ?? '';
    expect((await withKey(key)).body).toEqual({ data: { viewer: { email: RITA } } });
    expect((await cli('keys', 'list', '--owner', RITA)).stdout).toMatch(new RegExp(`${keyId}.*active.*live`));
    expect((await cli('keys', 'revoke', keyId)).stdout).toContain(`revoked ${keyId}`);
    const refused = await withKey(key);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, LONG);

  it("audit: the export streams the gateway's own rows, up to the last mutation", async () => {
    await post({ query: 'mutation { revokeApiKey(id: "00000000-0000-0000-0000-000000000000") { revoked } }' }, asAda());
    const exported = await cli('audit', 'export', '--format', 'jsonl', '--field', 'revokeApiKey');
    expect(exported.status).toBe(0);
    const rows = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as { field: string; principalEmail: string; outcome: string });
    expect(rows.at(-1)).toMatchObject({ field: 'revokeApiKey', principalEmail: ADA, outcome: 'FAILURE' });
  }, LONG);

  it("the doctor checks the gateway's database through it instead of opening it", async () => {
    const doctor = await cli('doctor');
    expect(doctor.stdout).toMatch(/ok\s+database\s+reachable\s+PGlite in .*: owned by the running gateway \(pid \d+\)/);
  }, LONG);

  it('a second gateway on the same directory refuses to start, saying who holds it', async () => {
    const holderPid = lockPid();
    const second = spawn(...tsEntry('src/main.ts'), { env: { ...env, PORT: String(await freePort()) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    second.stdout.on('data', (d: Buffer) => (output += d.toString()));
    second.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('The gateway could not start: The embedded database in');
    expect(output).toContain(`is in use by process ${holderPid} (gateway, since`);
    expect(lockPid()).toBe(holderPid);
    expect(output).toContain('PGlite is opened by one process at a time');
    // The first one still serves.
    expect((await byDocument(DOC_B)).body).toEqual({ data: { viewer: { email: ADA, kind: 'HARMONY_USER' } } });
  }, LONG);

  it('after a restart every change is still there', async () => {
    expect(await gateway!.stop()).toBe(0);
    expect(existsSync(lockFileOf(dataDir))).toBe(false);
    // Nobody holds the directory now: the CLI opens it itself.
    expect((await cli('keys', 'list', '--all')).stdout).toMatch(new RegExp(`${keyId}.*revoked`));
    gateway = await startGatewayProcess(env, START);
    expect((await byDocument(DOC_B)).body).toEqual({ data: { viewer: { email: ADA, kind: 'HARMONY_USER' } } });
    expect((await byDocument(DOC_A)).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await withKey(key)).status).toBe(401);
  }, LONG);

  it('refuses, changing nothing, when the holder is not a gateway that can run the command', async () => {
    await gateway!.stop();
    gateway = undefined;
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lockFileOf(dataDir), JSON.stringify({ pid: holder.pid, hostname: hostname(), purpose: 'npm run keys', since: new Date().toISOString(), token: 'other' }));
      const manifest = join(dataDir, 'other.json');
      writeFileSync(manifest, JSON.stringify(flatManifest('query Refused { viewer { email } }')));
      const refused = await cli('documents', 'push', manifest, '--client', 'refused');
      expect(refused.status).toBe(3);
      expect(refused.stderr).toContain(`is in use by process ${holder.pid} (npm run keys, since`);
      expect(refused.stderr).toContain('Nothing was changed.');
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // The holder is gone: its lock is stale, and the command now runs (and finds nothing pushed before).
    expect((await cli('documents', 'list', '--client', 'refused')).stdout).toContain('no documents');
  }, LONG);
});
