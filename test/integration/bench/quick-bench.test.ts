/**
 * Keeps `npm run bench` from rotting: the whole machinery (simulator and gateway processes, both
 * gateways, warm-up, load, simulator stats, memory sampling, the 1-connection and stress passes,
 * the report files) on one scenario for a few seconds with few connections. It asserts the report
 * is complete, never a speed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from '../../../bench/bench.js';
import { toMarkdown, writeReport, type BenchReport } from '../../../bench/report.js';
import { selectScenarios } from '../../../bench/scenarios.js';

const outDir = mkdtempSync(join(tmpdir(), 'bench-results-'));
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

describe('npm run bench, quick machinery on one scenario', () => {
  it('produces a complete report: every field, the JSON file, the chart and the table', async () => {
    const log: string[] = [];
    const report = await runBench({
      scenarios: selectScenarios(['devices-page']),
      connections: 4,
      durationSec: 2,
      warmupSec: 1,
      latencyMs: 5,
      stressConnections: 8,
      stressDurationSec: 1,
      unloadedSec: 1,
      quick: true,
      command: 'test',
      log: (line) => log.push(line),
    });
    const context = `log:\n${log.join('\n')}\nreport:\n${JSON.stringify(report, null, 2)}`;

    expect(report.machine, context).toMatchObject({ cores: expect.any(Number), node: process.version });
    expect(report.settings, context).toMatchObject({ connections: 4, durationSec: 2, upstreamLatencyMs: 5, upstreamJitterMs: 0 });
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
});
