/**
 * `npm run bench [-- options]`: the benchmark of issue 10. Prints a Markdown table and writes
 * `bench/results/<timestamp>.json` and `.svg`.
 *
 *   --quick               short mode (under two minutes): 1 s warm-up, 2 s per scenario, one 200-connection pass
 *   --connections <n>     connections of the load generator (default 50)
 *   --duration <s>        seconds per scenario (default 10; quick 2)
 *   --warmup <s>          warm-up seconds per scenario (default 3; quick 1)
 *   --latency <ms>        upstream latency of the simulators (default 20, no jitter)
 *   --scenarios <list>    comma-separated names or numbers 1–7 (default all)
 *   --stress <n>          the memory check's connections (default 200; 0 skips it)
 *   --cpu-prof            profile the gateways (node --cpu-prof) into bench/results/profiles/
 *   --node-args=<flags>   extra Node flags for the gateways
 *   --database-url=<url>  the gateways on Postgres instead of PGlite
 *   --baseline-root=<dir> also measure a gateway run from another checkout (before and after in one run)
 *   --no-off              skip the batching-off gateway
 *   --tenant <devices>    tenant mode (issue 17): that many simulated devices (0.4 users each), snapshots on,
 *                         per scenario upstream calls cold and steady, the snapshot build, the quota forecast
 *   --quota <n>           tenant mode: the gateway's UEM_DAILY_QUOTA (default 20000)
 *   --dashboards <n>      tenant mode: dashboards polling the dashboard scenarios once a minute (default 1)
 *   --abuse               the abuse benchmark instead (bench/abuse.ts): normal traffic's p50 alone, then
 *                         under each abuse; with --duration (default 8), --connections (default 4),
 *                         --rate <req/s> (normal traffic's pace, default 40), --abusers <n> (default 4),
 *                         --only <names> (some of slow-bodies, validation-heavy, partner-mutation-flood,
 *                         apq-flood; `npm run bench:slow-bodies` is `--abuse --only slow-bodies --duration 20`:
 *                         longer than the body deadline, so slow sockets are answered 408 and replaced)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, type BenchOptions } from './bench.js';
import { ROOT, type Child } from './processes.js';
import { toMarkdown, writeReport } from './report.js';
import { selectScenarios } from './scenarios.js';
import { runAbuse } from './abuse.js';
import { ABUSES } from './abusers.js';

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1, max = 100_000): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")\n`);
    process.exit(2);
  }
  return n;
}

function parseOptions(argv: string[]): Omit<BenchOptions, 'log' | 'track'> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      latency: { type: 'string' },
      scenarios: { type: 'string' },
      stress: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'node-args': { type: 'string' },
      'database-url': { type: 'string' },
      'baseline-root': { type: 'string' },
      'no-off': { type: 'boolean', default: false },
      tenant: { type: 'string' },
      quota: { type: 'string' },
      dashboards: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  let scenarios;
  try {
    scenarios = selectScenarios(values.scenarios?.split(',').map((s) => s.trim()).filter(Boolean));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  return {
    scenarios,
    quick,
    connections: positiveInt('connections', values.connections, 50),
    durationSec: positiveInt('duration', values.duration, quick ? 2 : 10),
    warmupSec: positiveInt('warmup', values.warmup, quick ? 1 : 3, 0),
    latencyMs: positiveInt('latency', values.latency, 20, 0),
    stressConnections: positiveInt('stress', values.stress, 200, 0),
    stressDurationSec: quick ? 1 : 5,
    unloadedSec: quick ? 2 : 5,
    // The database URL carries a password: the recorded command names it only.
    command: ['npm run bench', ...(argv.length > 0 ? ['--', ...argv.map((a) => a.replace(/^(--database-url=).+$/, '$1…'))] : [])].join(' '),
    databaseUrl: values['database-url'],
    baselineRoot: values['baseline-root'],
    skipOff: values['no-off'] ?? false,
    ...(values.tenant === undefined
      ? {}
      : {
          tenant: {
            devices: positiveInt('tenant', values.tenant, 50_000, 1, 1_000_000),
            dailyQuota: positiveInt('quota', values.quota, 20_000, 1, 10_000_000),
            dashboards: positiveInt('dashboards', values.dashboards, 1),
          },
        }),
    gatewayNodeArgs: [
      ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'results', 'profiles')}`] : []),
      // Extra flags for the gateways, e.g. --node-args="--max-old-space-size=192".
      ...(values['node-args']?.split(/\s+/).filter(Boolean) ?? []),
    ],
  };
}

/** `--abuse`: the abuse benchmark (bench/abuse.ts). */
async function mainAbuse(argv: string[], children: Set<Child>): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { abuse: { type: 'boolean' }, duration: { type: 'string' }, connections: { type: 'string' }, rate: { type: 'string' }, abusers: { type: 'string' }, latency: { type: 'string' }, only: { type: 'string' } },
  });
  const only = values.only?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !ABUSES.some((a) => a.name === name));
  if (unknown?.length) throw new Error(`--only: unknown abuse ${unknown.join(', ')} (known: ${ABUSES.map((a) => a.name).join(', ')})`);
  const result = await runAbuse({
    durationSec: positiveInt('duration', values.duration, 8),
    connections: positiveInt('connections', values.connections, 4),
    rate: positiveInt('rate', values.rate, 40),
    abusers: positiveInt('abusers', values.abusers, 4),
    latencyMs: positiveInt('latency', values.latency, 20, 0),
    ...(only ? { only } : {}),
    command: ['npm run bench --', ...argv].join(' '),
    log: (line) => process.stderr.write(`${line}\n`),
    track: (child) => children.add(child),
  });
  process.stdout.write(result.markdown);
  process.stdout.write(`\nJSON: ${result.file}\n`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--abuse')) {
    const children = new Set<Child>();
    process.once('SIGINT', () => void Promise.all([...children].map((c) => c.stop())).finally(() => process.exit(130)));
    return mainAbuse(argv, children);
  }
  const options = parseOptions(argv);
  const children = new Set<Child>();
  const interrupt = () => {
    process.stderr.write('\ninterrupted: stopping the simulators and the gateway\n');
    void Promise.all([...children].map((c) => c.stop())).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const started = Date.now();
  const report = await runBench({
    ...options,
    log: (line) => process.stderr.write(`${line}\n`),
    track: (child) => children.add(child),
  });
  const files = writeReport(report, join(ROOT, 'bench', 'results'));
  process.stdout.write(toMarkdown(report));
  process.stdout.write(`\nJSON: ${files.json}\nchart: ${files.svg}\n(${Math.round((Date.now() - started) / 1000)} s)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`The benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
