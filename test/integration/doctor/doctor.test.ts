import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../../src/cli/doctor.command.js';
import { runDoctor } from '../../../src/doctor/run.js';
import { startHarmonySimulator, startUemSimulator, type UemSimulator } from '../../../src/simulators/index.js';
import type { CheckResult } from '../../../src/doctor/check.js';
import { seededDataDir } from '../../helpers/db-template.js';
import { runInProcess } from '../../helpers/cli.js';
import { cliEntry } from '../../helpers/node-process.js';

/** A DATA_DIR holding a copy of the migrated template (no initdb per doctor run). */
const dataDir = () => seededDataDir('doctor-');
const failed = (results: CheckResult[]) => results.filter((r) => !r.ok).map((r) => r.name);
const SECRET = 'doctor-test-secret-'.padEnd(40, 'x');

let uem: UemSimulator;
beforeAll(async () => {
  uem = await startUemSimulator({ sizes: { devices: 50, uemUsers: 30 } });
});
afterAll(async () => {
  await uem?.close();
});

/** A configuration pointing at the standalone UEM simulator (Harmony stays in-process). */
const realUem = (extra: Record<string, string> = {}) => ({
  DATA_DIR: dataDir(),
  AUTH_JWT_SECRET: SECRET,
  UEM_BASE_URL: uem.url,
  UEM_TENANT_CODE: uem.credentials.tenantCode,
  UEM_USERNAME: uem.credentials.username,
  UEM_PASSWORD: uem.credentials.password,
  ...extra,
});

describe('npm run doctor', () => {
  it('passes everything on the demo configuration', async () => {
    const results = await runDoctor({ DATA_DIR: dataDir() });
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.area)).toEqual(expect.arrayContaining(['configuration', 'database', 'uem', 'quota', 'harmony', 'mapping']));
  });

  it("reports the tenant's size, the snapshot plan, today's quota and the stored snapshots", async () => {
    const results = await runDoctor(realUem());
    const quota = (name: string) => results.find((r) => r.area === 'quota' && r.name === name);
    expect(quota('tenant size')).toMatchObject({ ok: true, detail: `${uem.state.devices.size} devices, ${uem.state.users.size} enrollment users` });
    // 5000 a day, half for this gateway, half of that for snapshots.
    expect(quota('snapshot plan')).toMatchObject({ ok: true, detail: expect.stringContaining('of the 1250 set aside for snapshots') });
    expect(quota('spent today')?.detail).toMatch(/^UEM reports \d+ of 5000 left today/);
    expect(quota('snapshots')?.detail).toBe('none yet: the first start builds them');
    expect(failed(results)).toEqual([]);
  });

  it('fails a snapshot plan the quota cannot keep, and says what to change', async () => {
    const starved = await runDoctor(realUem({ UEM_DAILY_QUOTA: '100', UEM_QUOTA_SHARE: '0.01' }));
    expect(failed(starved)).toContain('snapshot plan');
    expect(starved.find((r) => r.name === 'snapshot plan')?.fix).toContain('UEM_QUOTA_SHARE');
    const live = await runDoctor(realUem({ UEM_DAILY_QUOTA: '100', UEM_QUOTA_SHARE: '0.01', UEM_SNAPSHOTS: 'off' }));
    expect(live.find((r) => r.name === 'snapshot plan')).toMatchObject({ ok: true, detail: expect.stringContaining('off') });
  });

  it('reports every configuration problem and stops there', async () => {
    const results = await runDoctor({ PORT: 'x', UEM_BASE_URL: 'https://as1.example' });
    expect(results.every((r) => r.area === 'configuration' && !r.ok)).toBe(true);
    expect(results.length).toBeGreaterThanOrEqual(3);
  });

  it('names a wrong tenant code, wrong Basic and OAuth credentials, and an unreachable host', async () => {
    expect(failed(await runDoctor(realUem({ UEM_TENANT_CODE: 'wrong' })))).toEqual(['tenant code']);
    expect(failed(await runDoctor(realUem({ UEM_PASSWORD: 'wrong' })))).toEqual(['credentials: Basic (UEM_USERNAME, UEM_PASSWORD)']);
    const oauth = await runDoctor(
      realUem({ UEM_AUTH: 'oauth', UEM_OAUTH_TOKEN_URL: uem.credentials.tokenUrl, UEM_OAUTH_CLIENT_ID: 'demo-client', UEM_OAUTH_CLIENT_SECRET: 'wrong' }),
    );
    expect(failed(oauth)).toEqual(['credentials: OAuth client credentials']);
    const down = await runDoctor(realUem({ UEM_BASE_URL: 'http://127.0.0.1:9', UPSTREAM_REQUEST_TIMEOUT_MS: '2000', UPSTREAM_MAX_RETRIES: '0' }));
    expect(failed(down)).toEqual(['reachable']);
    expect(down.find((r) => r.name === 'reachable' && !r.ok)?.fix).toContain('UEM_BASE_URL');
  });

  it('names each permission the API-only role lacks, by console path', async () => {
    const results = await runDoctor({ DATA_DIR: dataDir() }, { uem: { missingPermissions: ['tags', 'compliance'] } });
    expect(failed(results)).toEqual(['permission: Device Management > Compliance', 'permission: Settings > Tags > Tags']);
    expect(results.find((r) => r.name === 'permission: Settings > Tags > Tags')?.fix).toContain('Settings > Tags > Tags to Edit');
  });

  it('names Harmony problems: two-factor login, a non-admin integration account', async () => {
    const tfa = await runDoctor({ DATA_DIR: dataDir() }, { harmony: { tfaRequired: true } });
    expect(failed(tfa)).toEqual(['login']);
    expect(tfa.find((r) => r.name === 'login')?.fix).toContain('two-factor');
    const harmony = await startHarmonySimulator({ sizes: { harmonyUsers: 20, externalUsers: 5 } });
    try {
      const notAdmin = await runDoctor({
        DATA_DIR: dataDir(),
        AUTH_JWT_SECRET: SECRET,
        HARMONY_BASE_URL: harmony.url,
        HARMONY_EMAIL: 'rita.reader@demo.example',
        HARMONY_PASSWORD: harmony.credentials.password,
        HARMONY_ORG_ID: harmony.credentials.orgId,
      });
      expect(failed(notAdmin)).toEqual(['integration account is an organization admin']);
    } finally {
      await harmony.close();
    }
  });

  it('names unmapped organization groups and unknown environments', async () => {
    const unmapped = await runDoctor({ DATA_DIR: dataDir(), ENV_MAP: 'Production Devices=Production;Sandbox Devices=Sandbox' });
    expect(failed(unmapped)).toEqual(['every organization group maps to an environment']);
    expect(unmapped.find((r) => !r.ok)?.detail).toContain('Lab Devices');
    const unknown = await runDoctor({ DATA_DIR: dataDir(), ENV_MAP: 'Production Devices=Production;Sandbox Devices=Sandbox;Lab Devices=Staging' });
    expect(failed(unknown)).toEqual(['ENV_MAP names existing environments']);
  });

  it('exits 0 only when everything passes', async () => {
    // In-process: the command the entry runs, on the demo configuration.
    const ok = await runInProcess(doctorCommand, [], { DATA_DIR: dataDir() });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Everything the gateway needs is in place.');
    // As a process (`npm run doctor`): the exit code and the report on stdout.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const bad = spawnSync(...cliEntry('doctor'), { env: { ...env, DATA_DIR: dataDir(), ENV_MAP: 'Lab Devices=Nowhere' }, encoding: 'utf8', timeout: 180_000 });
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/to fix:/);
  }, 400_000);
});
