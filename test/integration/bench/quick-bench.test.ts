/**
 * Keeps `npm run bench` from rotting: the whole machinery (simulator and gateway processes, both
 * gateways, warm-up, load, simulator stats, memory sampling, the 1-connection and stress passes,
 * the report files; before and after against a baseline checkout) on one scenario for a few
 * seconds with few connections. It asserts the report is complete, never a speed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench, type BenchOptions } from '../../../bench/bench.js';
import { ROOT } from '../../../bench/processes.js';
import { toMarkdown, writeReport, type BenchReport } from '../../../bench/report.js';
import { selectScenarios } from '../../../bench/scenarios.js';
import { scratchDir, seededDataDir } from '../../helpers/db-template.js';

const outDir = mkdtempSync(join(scratchDir(), 'bench-results-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const SCENARIO_FIELDS = [
  'name',
  'rps',
  'p50Ms',
  'p90Ms',
  'p99Ms',
  'errors',
  'upstreamRequestsPerOp',
  'criticalPathMs',
  'p50OverBound',
  'peakRssMb',
  'batchingOff',
  'onOffThroughputRatio',
] as const;

/**
 * One run of the bench's machinery, not its speed: few connections, one-second windows, and the
 * gateways skip optimizing PGlite's WebAssembly (test/helpers/node-process.ts). Answers the report,
 * the log, and both as the context of a failed assertion.
 */
async function quickRun(options: Partial<BenchOptions> & Pick<BenchOptions, 'scenarios' | 'dataDir'>) {
  const log: string[] = [];
  const report = await runBench({
    connections: 2,
    durationSec: 1,
    warmupSec: 0,
    latencyMs: 1,
    stressConnections: 0,
    stressDurationSec: 0,
    unloadedSec: 0,
    quick: true,
    command: 'test',
    gatewayNodeArgs: ['--liftoff-only'],
    ...options,
    log: (line) => log.push(line),
  });
  return { report, log, context: `log:\n${log.join('\n')}\nreport:\n${JSON.stringify(report, null, 2)}` };
}

describe('npm run bench, quick machinery on one scenario', () => {
  it('produces a complete report: every field, the JSON file, the chart and the table', async () => {
    const { report, context } = await quickRun({
      scenarios: selectScenarios(['devices-page']),
      connections: 4,
      latencyMs: 5,
      stressConnections: 8,
      stressDurationSec: 1,
      unloadedSec: 1,
      dataDir: seededDataDir('bench-data-'),
    });

    expect(report.machine, context).toMatchObject({ cores: expect.any(Number), node: process.version });
    expect(report.settings, context).toMatchObject({ connections: 4, durationSec: 1, upstreamLatencyMs: 5, upstreamJitterMs: 0 });
    expect(report.scenarios, context).toHaveLength(1);
    const s = report.scenarios[0]!;
    for (const field of SCENARIO_FIELDS) expect(s, `${field}\n${context}`).toHaveProperty(field);
    expect(s.name).toBe('devices-page');
    // The machinery worked: requests were answered without errors, the simulators counted the
    // upstream calls, memory was read from /proc, the 20 ms… here 5 ms bound is levels × latency.
    expect(s.rps, context).toBeGreaterThan(0);
    expect(s.errors, context).toBe(0);
    expect(s.p50Ms, context).toBeGreaterThan(0);
    expect(s.criticalPathMs).toBe(5);
    expect(s.p50OverBound).toBeCloseTo(s.p50Ms / 5, 1);
    expect(s.upstreamRequestsPerOp, context).toBeGreaterThan(0);
    expect(s.peakRssMb, context).toBeGreaterThan(0);
    expect(s.unloadedP50Ms, context).toBeGreaterThan(0);
    expect(s.stress, context).toMatchObject({ connections: 8, rps: expect.any(Number), peakRssMb: expect.any(Number) });
    expect(s.firstRequestUpstream.uem, context).toBeGreaterThan(0);
    expect(s.batchingOff, context).toMatchObject({ rps: expect.any(Number), p50Ms: expect.any(Number), upstreamRequestsPerOp: expect.any(Number), errors: 0 });
    expect(s.batchingOff?.rps, context).toBeGreaterThan(0);
    // CPU time per request from /proc, and the GC share of it from the gateway's metrics.
    expect(s.cpuMsPerOp, context).toBeGreaterThan(0);
    expect(s.gcShare, context).toBeGreaterThanOrEqual(0);
    expect(s.onOffThroughputRatio, context).toBeGreaterThan(0);
    expect(report.targets.map((t) => t.target).join('\n')).toMatch(/p50 ≤ 1.25 × bound \+ 5 ms[\s\S]*throughput[\s\S]*budget/);

    const files = writeReport(report, outDir);
    const written = JSON.parse(readFileSync(files.json, 'utf8')) as BenchReport;
    expect(written).toEqual(JSON.parse(JSON.stringify(report)));
    expect(existsSync(files.svg)).toBe(true);
    expect(readFileSync(files.svg, 'utf8')).toMatch(/^<svg[\s\S]*2\. 100 devices[\s\S]*<\/svg>\n$/);
    const table = toMarkdown(report);
    expect(table).toContain('| 2. 100 devices + enrollment user |');
    expect(table).toContain('p50 / bound');
  }, 180_000);

  it('before and after (this checkout as its own baseline): both gateways measured, then taking turns at one connection', async () => {
    const { report, log, context } = await quickRun({
      scenarios: selectScenarios(['devices-page']),
      unloadedSec: 1,
      skipOff: true,
      baselineRoot: ROOT,
      dataDir: seededDataDir('bench-paired-data-'),
    });
    const s = report.scenarios[0]!;
    expect(s.before, context).toMatchObject({ rps: expect.any(Number), unloadedCpuMsPerOp: expect.any(Number) });
    // Taking turns twice: right after the warm-up, and after the loaded window too.
    for (const paired of [s.pairedAlone, s.pairedAloneWarmed]) {
      expect(paired, context).toMatchObject({ slices: 4, sliceSec: 1 });
      expect(paired?.beforeCpuMsPerOp, context).toBeGreaterThan(0);
      expect(paired?.afterCpuMsPerOp, context).toBeGreaterThan(0);
    }
    expect(log.some((line) => line.includes('alternating at 1 conn after the warm-up')), context).toBe(true);
    expect(log.some((line) => line.includes('alternating at 1 conn after the loaded window too')), context).toBe(true);
    expect(toMarkdown(report)).toMatch(/taking turns[\s\S]*\| 2\. 100 devices \+ enrollment user \| [\d.]+ → [\d.]+ \| [\d.]+× \| [\d.]+ → [\d.]+ \| [\d.]+× \|/);
  }, 180_000);

  it('tenant mode: a tenant of the given size, the snapshot build, cold and steady calls, the quota forecast', async () => {
    const { report, context } = await quickRun({
      scenarios: selectScenarios(['device-summary', 'devices-page']),
      tenant: { devices: 3_000, dailyQuota: 20_000, dashboards: 2 },
      dataDir: seededDataDir('bench-tenant-data-'),
    });
    expect(report.settings.dataset, context).toContain('SIM_DEVICES=3000 SIM_UEM_USERS=1200');
    const t = report.tenant!;
    expect(t, context).toMatchObject({ devices: 3_000, users: 1_200, dailyQuota: 20_000 });
    // Every device page (6 of 500), every user page (3), the tag and smart-group lists were read.
    expect(t.build.uemRequests, context).toBeGreaterThanOrEqual(6 + 3 + 2);
    expect(t.build.plannedPerDay, context).toBeGreaterThan(0);
    expect(t.build.plannedPerDay, context).toBeLessThanOrEqual(5_000);
    expect(t.build.periodsSec.devicesFull, context).toBeGreaterThan(0);
    // No batching-off gateway at tenant scale.
    for (const s of report.scenarios) expect(s.batchingOff).toBeNull();
    // The summary is the snapshot's: no UEM request, cold or steady.
    const summary = report.scenarios.find((s) => s.name === 'device-summary')!;
    expect(summary.firstRequestUpstream.uem, context).toBe(0);
    expect(summary.upstreamPerOp.uem, context).toBe(0);
    const f = t.forecast;
    expect(f.scenarios).toEqual(['6. deviceSummary by platform × compliance', '2. 100 devices + enrollment user']);
    const page = report.scenarios.find((s) => s.name === 'devices-page')!;
    expect(f.requestsPerHour).toBeCloseTo(Math.max(page.firstRequestUpstream.uem, page.upstreamPerOp.uem) * 60 * 2, 1);
    expect(f.totalPerHour).toBeCloseTo(f.requestsPerHour + f.snapshotsPerHour, 1);
    expect(f.budgetPerHour).toBeCloseTo(20_000 / 24, 1);
    expect(report.targets.find((c) => c.target.includes('dashboard mix'))).toMatchObject({ met: f.within });
    expect(toMarkdown(report)).toMatch(/Quota forecast: 2 dashboard\(s\)/);
  }, 300_000);
});
