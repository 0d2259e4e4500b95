/**
 * `npm run doctor`: checks, in order, the configuration, the database and its migrations, UEM and
 * Harmony, and the organization-group mapping; each failure comes with its fix.
 */
import { Registry } from 'prom-client';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createDatasources } from '../bootstrap/datasources.js';
import { resolveUpstreams, type SimulatorOverrides } from '../bootstrap/upstreams.js';
import { createDatabase, currentHolder, pendingMigrations } from '../store/index.js';
import { pingAdminSocket } from '../admin/admin-client.js';
import { adminSocketPath } from '../admin/socket-path.js';
import { snapshotMetas, type SnapshotMeta } from '../store/snapshots.repository.js';
import { fail, failureOf, pass, type CheckResult } from './check.js';
import { harmonyChecks } from './harmony.checks.js';
import { mappingChecks } from './mapping.checks.js';
import { quotaChecks } from './quota.checks.js';
import { uemChecks } from './uem.checks.js';

export async function runDoctor(env: Record<string, string | undefined>, simulators?: SimulatorOverrides): Promise<CheckResult[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => fail('configuration', 'configuration', p, 'See .env.example for every variable.'));
  }
  const results: CheckResult[] = [pass('configuration', 'configuration', config.demo ? 'valid (demo mode: simulators in-process)' : 'valid')];
  const database = await databaseChecks(config);
  results.push(...database.results);

  const endpoints = await resolveUpstreams(config, simulators);
  const { uem, harmony } = createDatasources(config, endpoints, new Registry());
  try {
    const u = await uemChecks(uem, endpoints.uem.auth.kind);
    results.push(...u.results);
    if (u.usable) results.push(...(await quotaChecks(config, uem, database.snapshots)));
    const h = await harmonyChecks(harmony, endpoints.harmony.email);
    results.push(...h.results);
    if (u.usable && h.environments) {
      try {
        results.push(...mappingChecks(config.envMap, await uem.searchOrganizationGroups(), h.environments));
      } catch (err) {
        results.push(fail('mapping', 'organization groups', failureOf(err).message, 'Grant API > REST > Groups to the API-only role.'));
      }
    }
  } finally {
    await Promise.all([uem.close(), harmony.close()]);
    await endpoints.close();
  }
  return results;
}

/** The database's checks, and the UEM snapshots it holds (undefined when it cannot tell). */
async function databaseChecks(config: Config): Promise<{ results: CheckResult[]; snapshots?: SnapshotMeta[] }> {
  const where = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `PGlite in ${config.dataDir}/pglite`;
  // The embedded database has one owner: a running gateway's is checked through it, never opened twice.
  const holder = config.databaseUrl ? undefined : currentHolder(config.dataDir);
  if (holder) {
    const gateway = holder.purpose === 'gateway' && (await pingAdminSocket(adminSocketPath(config.dataDir)));
    // The snapshots are then the running gateway's to report (its /metrics).
    return {
      results: gateway
        ? [pass('database', 'reachable', `${where}: owned by the running gateway (pid ${holder.pid}), which applied the migrations at its start`)]
        : [fail('database', 'reachable', `${where}: in use by process ${holder.pid} (${holder.purpose})`, 'PGlite is opened by one process at a time: let that process finish (or stop it), then run the doctor again.')],
    };
  }
  let store;
  try {
    store = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, purpose: 'npm run doctor' });
    await store.ping();
  } catch (err) {
    await store?.close();
    return { results: [fail('database', 'reachable', `${where}: ${(err as Error).message}`, config.databaseUrl ? 'Check DATABASE_URL and that the server accepts connections.' : `Check that ${config.dataDir} is writable and not used by a running gateway (PGlite is single-process).`)] };
  }
  try {
    const pending = await pendingMigrations(store.db);
    const results = [
      pass('database', 'reachable', where),
      pass('database', 'migrations', pending.length === 0 ? 'up to date' : `${pending.length} to apply at the next start (under a lock): ${pending.join(', ')}`),
    ];
    // Before the snapshot migration is applied there are none to read.
    return { results, snapshots: pending.some((m) => m.includes('snapshots')) ? [] : await snapshotMetas(store.db) };
  } finally {
    await store.close();
  }
}

/** The table the CLI prints. */
export function formatReport(results: readonly CheckResult[]): string {
  const rows = results.map((r) => [r.ok ? 'ok' : 'FAIL', r.area, r.name, r.detail]);
  const widths = [4, 13, Math.max(5, ...results.map((r) => r.name.length))];
  const lines = rows.map(([s, a, n, d]) => `${s!.padEnd(widths[0]!)}  ${a!.padEnd(widths[1]!)}  ${n!.padEnd(widths[2]!)}  ${d}`);
  const fixes = results.filter((r) => !r.ok && r.fix).map((r) => `  - ${r.name}: ${r.fix}`);
  const failed = results.filter((r) => !r.ok).length;
  return [
    ...lines,
    '',
    failed === 0 ? 'Everything the gateway needs is in place.' : `${failed} problem${failed === 1 ? '' : 's'} to fix:`,
    ...fixes,
    '',
  ].join('\n');
}
