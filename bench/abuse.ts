/**
 * `npm run bench -- --abuse` (issue 15, "abuse costs the abuser"): normal traffic's p50 alone, then
 * under each abuse of abusers.ts, sent by a caller of its own, against one gateway with the shipped
 * rate limits (production settings). Normal traffic is an admin paced below its rate limit: a
 * device page and the caller (one UEM round trip). Prints the ratio of each p50 to the baseline
 * (goal: at most 2×) and what the abusers got back, and writes bench/results/abuse-<time>.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signJwt } from '../src/auth/jwt.js';
import { ABUSES, type AbuseCallers } from './abusers.js';
import { round, runLoad, sendOnce, type LoadResult } from './load.js';
import { childGroup, RssMeter, startGatewayProcess, startSimulatorProcess, type Child } from './processes.js';
import { prepareDataDir } from './setup.js';

export interface AbuseOptions {
  durationSec: number;
  /** Connections of normal traffic, and the requests per second they are paced at. */
  connections: number;
  rate: number;
  /** Connections of each abuser (slow bodies: 50 times as many sockets). */
  abusers: number;
  latencyMs: number;
  /** Only these abuses (`--only slow-bodies,apq-flood`); all of them when absent. */
  only?: readonly string[];
  command: string;
  /** Where the JSON goes (default bench/results/). */
  outDir?: string;
  /** The gateway's DATA_DIR, kept afterwards (the tests pass a copy of their database template); default a new temporary one, removed. */
  dataDir?: string;
  log(line: string): void;
  track?(child: Child): void;
}

export interface AbusePhase {
  name: string;
  title: string;
  /** False when normal traffic got no answer at all during the phase (p50 and ratio mean nothing then). */
  answered: boolean;
  p50Ms: number;
  p99Ms: number;
  rps: number;
  errors: number;
  /** p50 over the baseline's. */
  ratio: number | null;
  /** What the abuser's requests got, by status. */
  abuser: Record<string, number>;
  peakRssMb: number;
  /** The gateway's CPU time over the phase, in seconds per second (1 = one core busy). */
  gatewayCpu: number;
  /** Gateway CPU milliseconds per abuser request, over what normal traffic alone used. */
  cpuMsPerAbuserRequest: number | null;
}

/** CPU seconds (user + system) a process has used so far (Linux `/proc/<pid>/stat`). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const NORMAL_QUERY = '{ viewer { email } devices(first: 20) { totalCount nodes { id friendlyName platform } } }';

export async function runAbuse(options: AbuseOptions): Promise<{ phases: AbusePhase[]; markdown: string; file: string }> {
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'gateway-abuse-'));
  const { keep, stopAll } = childGroup(options.track);
  try {
    // One after the other: on a loaded machine, seeding PGlite alongside starves the simulators' start-up.
    const sims = keep(await startSimulatorProcess(options.latencyMs));
    const creds = await prepareDataDir(dataDir);
    const gateway = keep(await startGatewayProcess({ sims, dataDir, jwtSecret: creds.jwtSecret, batching: true, defaultRateLimits: true }));
    const bearer = async (email: string) => `Bearer ${await signJwt(creds.jwtSecret, email, 3 * 3600)}`;
    const callers: AbuseCallers = {
      validationAbuser: await bearer('rita.reader@demo.example'),
      // A caller who may send free text (and so register APQ documents): API-consumer-only principals may not.
      apqAbuser: await bearer('omar.operator@demo.example'),
      partnerApiKey: creds.partnerApiKey,
    };
    const normal = { headers: { 'content-type': 'application/json', authorization: creds.adminBearer }, body: JSON.stringify({ query: NORMAL_QUERY }) };
    const first = await sendOnce(gateway.url, normal);
    if (first.status !== 200 || first.body.errors?.length) throw new Error(`the normal request failed: HTTP ${first.status} ${JSON.stringify(first.body).slice(0, 300)}`);
    const rss = new RssMeter(gateway.pid);
    const measure = async (): Promise<Measured> => {
      rss.start();
      const [cpu, wall] = [cpuSeconds(gateway.pid), performance.now()];
      const load = await runLoad(gateway.url, normal, { connections: options.connections, durationSec: options.durationSec, overallRate: options.rate });
      return { load, peakRssMb: rss.stop(), cpu: round((cpuSeconds(gateway.pid) - cpu) / ((performance.now() - wall) / 1000), 2) };
    };
    options.log(`gateway ready; normal traffic: ${options.connections} connections paced at ${options.rate} req/s, ${options.durationSec} s per phase`);
    await runLoad(gateway.url, normal, { connections: options.connections, durationSec: Math.min(2, options.durationSec), overallRate: options.rate }); // warm-up
    const baseline = await measure();
    const phases: AbusePhase[] = [phaseOf('baseline', 'normal traffic alone', baseline, null, {}, { seconds: options.durationSec, answers: 0 })];
    options.log(`  baseline: p50 ${baseline.load.p50Ms} ms, ${baseline.load.rps} req/s, errors ${baseline.load.errors}, gateway CPU ${baseline.cpu}`);
    for (const abuse of ABUSES.filter((a) => !options.only || options.only.includes(a.name))) {
      const abuser = abuse.start(gateway.url, callers, options.abusers);
      await new Promise((r) => setTimeout(r, 1_000)); // the abuse takes hold
      const before = answersOf(abuser.statuses);
      const measured = await measure();
      const during = answersOf(abuser.statuses) - before;
      await abuser.stop();
      await sendOnce(gateway.url, normal).catch(() => undefined); // settle
      const phase = phaseOf(abuse.name, abuse.title, measured, baseline, { ...abuser.statuses }, { seconds: options.durationSec, answers: during });
      phases.push(phase);
      options.log(`  ${abuse.name}: ${phase.answered ? `p50 ${phase.p50Ms} ms (${phase.ratio}×)` : 'no answer'}, errors ${phase.errors}; abuser got ${JSON.stringify(phase.abuser)}; gateway CPU ${phase.gatewayCpu}, ${phase.cpuMsPerAbuserRequest} ms per abuser request`);
    }
    const markdown = toMarkdown(phases, options, { loadBefore, loadAfter: loadavg()[0] ?? 0, seconds: Math.round((Date.now() - started) / 1000) });
    const dir = options.outDir ?? join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `abuse-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ command: options.command, machine: machine(loadBefore), options: { ...options, log: undefined, track: undefined, dataDir: undefined }, phases }, null, 2)}\n`);
    return { phases, markdown, file };
  } finally {
    await stopAll();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Measured {
  load: LoadResult;
  peakRssMb: number;
  cpu: number;
}

/** Answers the abuser got (HTTP statuses, not sockets opened). */
const answersOf = (statuses: Record<string, number>) => Object.entries(statuses).filter(([status]) => /^\d+$/.test(status)).reduce((n, [, count]) => n + count, 0);

/** `window`: the measured seconds and the abuser's answers within them. */
function phaseOf(name: string, title: string, m: Measured, baseline: Measured | null, abuser: Record<string, number>, window: { seconds: number; answers: number }): AbusePhase {
  const answered = m.load.rps > 0;
  const ratio = answered && baseline && baseline.load.p50Ms > 0 ? round(m.load.p50Ms / baseline.load.p50Ms, 2) : null;
  // CPU over what the normal traffic answered would have cost at the baseline's rate per answer.
  const normalCpu = baseline && baseline.load.rps > 0 ? (baseline.cpu / baseline.load.rps) * m.load.rps : 0;
  const extraCpuMs = (m.cpu - normalCpu) * window.seconds * 1000;
  const cpuMsPerAbuserRequest = baseline && window.answers > 0 ? round(Math.max(0, extraCpuMs) / window.answers, 2) : null;
  return { name, title, answered, p50Ms: m.load.p50Ms, p99Ms: m.load.p99Ms, rps: m.load.rps, errors: m.load.errors, ratio, abuser, peakRssMb: m.peakRssMb, gatewayCpu: m.cpu, cpuMsPerAbuserRequest };
}

const machine = (loadBefore: number) => ({ cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, node: process.version, loadAverageBefore: round(loadBefore, 2) });

function toMarkdown(phases: AbusePhase[], options: AbuseOptions, run: { loadBefore: number; loadAfter: number; seconds: number }): string {
  const lines = [
    `Normal traffic: an admin, \`${NORMAL_QUERY}\`, ${options.connections} connections paced at ${options.rate} req/s; ${options.durationSec} s per phase; upstream latency ${options.latencyMs} ms; shipped rate limits; each abuser a caller of its own with ${options.abusers} connections (slow bodies: ${options.abusers * 50} sockets).`,
    `Load average ${round(run.loadBefore, 2)} before, ${round(run.loadAfter, 2)} after; ${run.seconds} s.`,
    '',
    '| phase | normal p50 ms | p99 ms | req/s | errors | p50 / alone | goal ≤ 2× | what the abuser got | gateway CPU (cores) | CPU ms per abuser request |',
    '|---|--:|--:|--:|--:|--:|---|---|--:|--:|',
    ...phases.map((p) => {
      const got = Object.entries(p.abuser).map(([status, n]) => `${status}: ${n}`).join(', ') || '—';
      const cpu = `${p.gatewayCpu} | ${p.cpuMsPerAbuserRequest ?? '—'}`;
      if (!p.answered) return `| ${p.title} | no answer | — | 0 | ${p.errors} | ∞ | **no** | ${got} | ${cpu} |`;
      const met = p.ratio === null ? '—' : p.ratio <= 2 ? 'yes' : '**no**';
      return `| ${p.title} | ${p.p50Ms} | ${p.p99Ms} | ${p.rps} | ${p.errors} | ${p.ratio ?? '—'} | ${met} | ${got} | ${cpu} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
