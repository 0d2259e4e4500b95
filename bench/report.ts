/**
 * The benchmark report: its JSON shape (the issue's fields plus a few more), the targets checked
 * against it, the Markdown table for stdout and BENCHMARKS.md, and the files under bench/results/.
 */
import { describeBreakdown, type ResidentBreakdown } from './resident.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load.js';
import type { CpuFigures } from './meters.js';
import type { PairedAlone } from './paired.js';
import { renderChart } from './chart.js';
import { tenantMarkdown, type TenantFigures } from './tenant.js';

export interface UpstreamCount {
  uem: number;
  harmony: number;
}

/** One scenario against one gateway (batching on or off). */
export interface ModeResult {
  load: LoadResult;
  upstream: UpstreamCount;
  firstRequestUpstream: UpstreamCount;
  firstError: string | undefined;
  peakRssMb: number;
  /** Gateway CPU time per request and the share of it spent in GC, at the run's connection count. */
  cpu: CpuFigures;
  unloadedP50Ms: number | null;
  /** Gateway CPU time per request at one connection. */
  unloadedCpuMsPerOp: number | null;
  stress: { connections: number; rps: number; p50Ms: number; errors: number; peakRssMb: number; resident?: ResidentBreakdown | null } | null;
  note: string | undefined;
}

export interface ScenarioResult {
  name: string;
  title: string;
  note?: string;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  errors: number;
  upstreamRequestsPerOp: number;
  upstreamPerOp: UpstreamCount;
  criticalPathMs: number;
  criticalPathLevels: number;
  criticalPathNote: string;
  /** Null when the bound is 0 (no upstream round trip in steady state). */
  p50OverBound: number | null;
  peakRssMb: number;
  /** Gateway CPU milliseconds per request at the run's connection count (from /proc). */
  cpuMsPerOp: number | null;
  /** Share of the gateway's CPU time spent in garbage collection at the run's connection count. */
  gcShare: number | null;
  unloadedP50Ms: number | null;
  unloadedCpuMsPerOp: number | null;
  /** Upstream requests of the scenario's first request, before its warm-up (caches of earlier scenarios may be warm). */
  firstRequestUpstream: UpstreamCount;
  budget: { uem: number; harmony: number | null } | null;
  targeted: boolean;
  stress: ModeResult['stress'];
  firstError?: string;
  /** The batching-off gateway (null with `--no-off`). */
  batchingOff: {
    rps: number;
    p50Ms: number;
    upstreamRequestsPerOp: number;
    upstreamPerOp: UpstreamCount;
    errors: number;
    peakRssMb: number;
    cpuMsPerOp: number | null;
  } | null;
  onOffThroughputRatio: number | null;
  /**
   * CPU at one connection with both gateways up, in alternating slices (`--baseline-root`:
   * bench/paired.ts), right after the warm-up: a new gateway's first minute.
   */
  pairedAlone?: PairedAlone;
  /** The same, once each gateway has also had the loaded window (`--duration` at `--connections`), as the sequential alone figure had. */
  pairedAloneWarmed?: PairedAlone;
  /** The gateway of the baseline checkout (`--baseline-root`), batching on. */
  before: {
    rps: number;
    p50Ms: number;
    cpuMsPerOp: number | null;
    gcShare: number | null;
    unloadedCpuMsPerOp: number | null;
    upstreamPerOp: UpstreamCount;
    firstRequestUpstream: UpstreamCount;
    peakRssMb: number;
    stress: ModeResult['stress'];
  } | null;
}

export interface TargetCheck {
  target: string;
  scenario: string;
  measured: string;
  limit: string;
  met: boolean;
}

export interface BenchReport {
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  /** Each gateway's resident memory right after it became ready, before any load. */
  gatewayIdleRssMb: Record<string, number>;
  /** What that memory is (resident.ts), at ready, by gateway. */
  gatewayIdleResident?: Record<string, ResidentBreakdown | null>;
  scenarios: ScenarioResult[];
  targets: TargetCheck[];
  /** Tenant mode (`--tenant`): the tenant, its snapshots and the quota forecast. */
  tenant?: TenantFigures;
}

const P50_FACTOR = 1.25;
const P50_SLACK_MS = 5;
const MIN_ON_OFF_RATIO = 5;
const MAX_RSS_MB = 300;

/** The issue's targets, for the scenarios the run measured. */
export function evaluateTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const connections = Number(report.settings.connections);
  for (const s of report.scenarios) {
    if (s.targeted) {
      const limit = P50_FACTOR * s.criticalPathMs + P50_SLACK_MS;
      checks.push({
        target: `p50 ≤ ${P50_FACTOR} × bound + ${P50_SLACK_MS} ms at ${connections} connections`,
        scenario: s.title,
        measured: `${s.p50Ms} ms`,
        limit: `${limit} ms`,
        met: s.p50Ms <= limit,
      });
      // Tenant mode runs no batching-off gateway (it would read the whole tenant per request).
      if (!report.tenant) checks.push({
        target: `throughput with batching on ≥ ${MIN_ON_OFF_RATIO} × off`,
        scenario: s.title,
        measured: s.onOffThroughputRatio === null ? 'n/a' : `${s.onOffThroughputRatio}×`,
        limit: `${MIN_ON_OFF_RATIO}×`,
        met: s.onOffThroughputRatio !== null && s.onOffThroughputRatio >= MIN_ON_OFF_RATIO,
      });
    }
    if (s.budget) {
      const b = s.budget;
      const within = (u: UpstreamCount) => u.uem <= b.uem && (b.harmony === null || u.harmony <= b.harmony);
      checks.push({
        target: 'upstream requests per operation within budget (first request, and steady-state average)',
        scenario: s.title,
        measured: `first ${s.firstRequestUpstream.uem} UEM + ${s.firstRequestUpstream.harmony} Harmony; average ${s.upstreamPerOp.uem} + ${s.upstreamPerOp.harmony}`,
        limit: budgetText(b),
        met: within(s.firstRequestUpstream) && within(s.upstreamPerOp),
      });
    }
    if (s.stress && s.stress.connections >= 200) {
      checks.push({
        target: `gateway RSS < ${MAX_RSS_MB} MB at ${s.stress.connections} connections`,
        scenario: s.title,
        measured: `${s.stress.peakRssMb} MB`,
        limit: `${MAX_RSS_MB} MB`,
        met: s.stress.peakRssMb > 0 && s.stress.peakRssMb < MAX_RSS_MB,
      });
    }
  }
  const f = report.tenant?.forecast;
  if (f) {
    checks.push({
      target: 'an hour of the dashboard mix spends < 1/24 of UEM_DAILY_QUOTA',
      scenario: `${f.dashboards} dashboard(s), each scenario once a minute`,
      measured: `${f.totalPerHour} UEM/hour (${f.requestsPerHour} polls + ${f.snapshotsPerHour} snapshots)`,
      limit: `${f.budgetPerHour} UEM/hour`,
      met: f.within,
    });
  }
  return checks;
}

const budgetText = (b: { uem: number; harmony: number | null }) =>
  b.harmony === null ? `${b.uem} UEM (Harmony: the caller's own lists, not budgeted)` : `${b.uem} UEM + ${b.harmony} Harmony`;

const fmt = (n: number | null, digits = 1) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(digits));
const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}`);
/** How many times smaller `after` is than `before`. */
const ratio = (before: number | null, after: number | null) => (before === null || after === null || after <= 0 ? '—' : `${(before / after).toFixed(1)}×`);

export function toMarkdown(report: BenchReport): string {
  const s = report.settings;
  const lines = [
    `Upstream latency ${s.upstreamLatencyMs} ms (no jitter), ${s.connections} connections, ${s.warmupSec} s warm-up, ${s.durationSec} s per scenario.`,
    '',
    '| scenario | req/s | p50 ms | p90 ms | p99 ms | errors | upstream/op (UEM + Harmony) | bound ms (levels) | p50 / bound | p50 at 1 conn | CPU ms/op (1 conn) | CPU ms/op | GC % of CPU | peak RSS MB | off: req/s | off: p50 ms | off: upstream/op | on/off |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of report.scenarios) {
    const off = r.batchingOff;
    lines.push(
      `| ${r.title}${r.note ? ' †' : ''} | ${fmt(r.rps)} | ${fmt(r.p50Ms)} | ${fmt(r.p90Ms)} | ${fmt(r.p99Ms)} | ${r.errors} | ${fmt(r.upstreamRequestsPerOp, 2)} (${fmt(r.upstreamPerOp.uem, 2)} + ${fmt(r.upstreamPerOp.harmony, 2)}) | ${r.criticalPathMs} (${r.criticalPathLevels}) | ${fmt(r.p50OverBound, 2)} | ${fmt(r.unloadedP50Ms)} | ${fmt(r.unloadedCpuMsPerOp)} | ${fmt(r.cpuMsPerOp)} | ${percent(r.gcShare)} | ${fmt(r.peakRssMb)} | ${fmt(off?.rps ?? null)} | ${fmt(off?.p50Ms ?? null)} | ${fmt(off?.upstreamRequestsPerOp ?? null, 2)} | ${r.onOffThroughputRatio === null ? '—' : `${fmt(r.onOffThroughputRatio)}×`} |`,
    );
  }
  if (report.tenant) lines.push(...tenantMarkdown(report.tenant, report.scenarios));
  const compared = report.scenarios.filter((r) => r.before);
  if (compared.length > 0) {
    lines.push(
      '',
      `Before (\`--baseline-root\`, ${report.settings.baselineRoot ?? 'another checkout'}) and after, batching on, same run:`,
      '',
      '| scenario | CPU ms/op at 1 conn: before → after | ×  | CPU ms/op loaded: before → after | × | GC %: before → after | req/s: before → after | peak RSS MB at stress: before → after |',
      '|---|--:|--:|--:|--:|--:|--:|--:|',
    );
    for (const r of compared) {
      const b = r.before!;
      lines.push(
        `| ${r.title} | ${fmt(b.unloadedCpuMsPerOp)} → ${fmt(r.unloadedCpuMsPerOp)} | ${ratio(b.unloadedCpuMsPerOp, r.unloadedCpuMsPerOp)} | ${fmt(b.cpuMsPerOp)} → ${fmt(r.cpuMsPerOp)} | ${ratio(b.cpuMsPerOp, r.cpuMsPerOp)} | ${percent(b.gcShare)} → ${percent(r.gcShare)} | ${fmt(b.rps)} → ${fmt(r.rps)} | ${fmt(b.stress?.peakRssMb ?? null)} → ${fmt(r.stress?.peakRssMb ?? null)} |`,
      );
    }
  }
  const paired = report.scenarios.filter((r) => r.pairedAlone);
  if (paired.length > 0) {
    const p = paired[0]!.pairedAlone!;
    const cells = (q: PairedAlone | undefined) => (q ? `${fmt(q.beforeCpuMsPerOp)} → ${fmt(q.afterCpuMsPerOp)} | ${ratio(q.beforeCpuMsPerOp, q.afterCpuMsPerOp)}` : '— | —');
    lines.push(
      '',
      `CPU at 1 connection with both gateways up, taking turns (${p.slices} slices of ${p.sliceSec} s each, alternating: what the machine does meanwhile falls on both alike), right after the warm-up (${report.settings.warmupSec} s at ${report.settings.connections} connections: a new gateway's first minute) and again after the loaded window too (${report.settings.durationSec} s more, as the sequential alone figures had):`,
      '',
      '| scenario | after the warm-up: before → after | × | after the loaded window too: before → after | × |',
      '|---|--:|--:|--:|--:|',
    );
    for (const r of paired) lines.push(`| ${r.title} | ${cells(r.pairedAlone)} | ${cells(r.pairedAloneWarmed)} |`);
  }
  const stressed = report.scenarios.filter((r) => r.stress);
  if (stressed.length > 0) {
    lines.push('', `At ${stressed[0]?.stress?.connections} connections (batching on):`, '', '| scenario | req/s | p50 ms | errors | peak RSS MB |', '|---|--:|--:|--:|--:|');
    for (const r of stressed) lines.push(`| ${r.title} | ${fmt(r.stress!.rps)} | ${fmt(r.stress!.p50Ms)} | ${r.stress!.errors} | ${fmt(r.stress!.peakRssMb)} |`);
  }
  const resident = [
    ...Object.entries(report.gatewayIdleResident ?? {}).map(([gateway, b]) => `- ${gateway}, ready: ${describeBreakdown(b)}`),
    ...stressed.flatMap((r) => [
      ...(r.stress?.resident !== undefined ? [`- batchingOn, after ${r.title} at ${r.stress.connections} connections: ${describeBreakdown(r.stress.resident)}`] : []),
      ...(r.before?.stress?.resident !== undefined ? [`- baseline, after ${r.title} at ${r.before.stress.connections} connections: ${describeBreakdown(r.before.stress.resident)}`] : []),
    ]),
  ];
  if (resident.length > 0) lines.push('', 'Resident memory, MB (bench/resident.ts):', '', ...resident);
  lines.push('', 'Critical path (sequential upstream round trips in steady state, caches warm):', '');
  for (const r of report.scenarios) lines.push(`- ${r.title}: ${r.criticalPathLevels} — ${r.criticalPathNote}`);
  const withBudget = report.scenarios.filter((r) => r.budget);
  if (withBudget.length > 0) {
    lines.push('', "Upstream requests of each scenario's first request (before its warm-up; earlier scenarios may have warmed shared caches):", '');
    for (const r of withBudget) {
      lines.push(`- ${r.title}: ${r.firstRequestUpstream.uem} UEM + ${r.firstRequestUpstream.harmony} Harmony (budget ${budgetText(r.budget!)})`);
    }
  }
  for (const r of report.scenarios) if (r.note) lines.push('', `† ${r.title}: ${r.note}.`);
  for (const r of report.scenarios) if (r.firstError) lines.push('', `! ${r.title}: the first request failed: ${r.firstError}`);
  if (report.targets.length > 0) {
    lines.push('', '| target | scenario | measured | limit | met |', '|---|---|--:|--:|---|');
    for (const t of report.targets) lines.push(`| ${t.target} | ${t.scenario} | ${t.measured} | ${t.limit} | ${t.met ? 'yes' : '**no**'} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<dir>/<timestamp>.json` and `.svg`; returns their paths. */
export function writeReport(report: BenchReport, dir: string): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = String(report.settings.startedAt).replace(/[:.]/g, '-');
  const json = join(dir, `${stamp}.json`);
  const svg = join(dir, `${stamp}.svg`);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(svg, renderChart(report));
  return { json, svg };
}
