/**
 * The benchmark run: the simulators and a gateway as child processes, each scenario warmed up then
 * loaded for a fixed time, first with batching and caches on, then the same scenarios against a
 * second gateway with GATEWAY_BATCHING=off (one gateway per PGlite data directory, run one after
 * the other so they never compete for the CPU). Returns the complete report; writing it is
 * `report.ts`'s job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, arch, totalmem, release } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetSimStats, round, runLoad, sendOnce, simStats } from './load.js';
import { startCpuMeter } from './meters.js';
import { pairedAlone, type PairedAlone } from './paired.js';
import { childGroup, ROOT, RssMeter, startGatewayProcess, startSimulatorProcess, type Child, type GatewayProcess } from './processes.js';
import { gatewayCommand } from './start-command.js';
import { describeBreakdown, residentBreakdown, type ResidentBreakdown } from './resident.js';
import type { BenchReport, ModeResult, ScenarioResult, UpstreamCount } from './report.js';
import { evaluateTargets } from './report.js';
import { DISCOVERED_PAGES, PAGE_FILTERS, type DevicePage, type Scenario, type ScenarioContext, type ScenarioRequest } from './scenarios.js';
import { prepareBaselineDataDir, prepareDataDir } from './setup.js';
import { forecastQuota, tenantGatewayEnv, tenantSimEnv, tenantUsers, waitForSnapshots, type SnapshotBuild, type TenantOptions } from './tenant.js';

export interface BenchOptions {
  scenarios: Scenario[];
  connections: number;
  durationSec: number;
  warmupSec: number;
  latencyMs: number;
  /** The memory check: each scenario (quick mode: the first of scenarios 2 to 4) again at this many connections (0 = skip). */
  stressConnections: number;
  stressDurationSec: number;
  /** p50 at one connection, the latency a lone user sees (0 = skip). */
  unloadedSec: number;
  quick: boolean;
  command: string;
  /** Node flags for the gateway processes, e.g. `--cpu-prof`. */
  gatewayNodeArgs?: string[];
  /** Postgres for the gateways instead of PGlite (a scratch database: the run adds API keys to it). */
  databaseUrl?: string;
  /** Also measure a gateway run from this other checkout (`--baseline-root`): before and after in one run. */
  baselineRoot?: string;
  /** Skip the batching-off gateway (`--no-off`; always in tenant mode). */
  skipOff?: boolean;
  /** `--tenant <devices>`: a tenant of that size, snapshots on, the quota forecast (tenant.ts). */
  tenant?: TenantOptions;
  /** The gateways' DATA_DIR, kept afterwards (the tests pass a copy of their database template); default a new temporary one, removed. */
  dataDir?: string;
  log(line: string): void;
  /** Called with every child process, so an interrupted run can stop them. */
  track?(child: Child): void;
}

interface Upstreams {
  uemUrl: string;
  harmonyUrl: string;
}

/** Alternating slices per gateway (bench/paired.ts), each half the sequential `--unloaded` window. */
const PAIRS = 4;
const pairedSliceSec = (options: BenchOptions) => Math.max(1, options.unloadedSec / 2);

async function upstreamCount(sims: Upstreams): Promise<UpstreamCount> {
  const [uem, harmony] = await Promise.all([simStats(sims.uemUrl), simStats(sims.harmonyUrl)]);
  return { uem: uem.total, harmony: harmony.total };
}

const perOp = (count: UpstreamCount, ops: number): UpstreamCount => ({
  uem: ops > 0 ? round(count.uem / ops, 3) : 0,
  harmony: ops > 0 ? round(count.harmony / ops, 3) : 0,
});

/**
 * Waits until the gateway has worked off what a finished load run left in flight (autocannon drops
 * its connections at the deadline, the gateway still answers them): one request queued behind
 * them comes back.
 */
async function settle(gateway: GatewayProcess, request: ScenarioRequest): Promise<void> {
  await sendOnce(gateway.url, request).catch(() => undefined);
}

/** The gateways of a run: batching on, off (the comparison), and on from the baseline checkout. */
export type GatewayMode = 'on' | 'off' | 'before';
const MODE_LABELS: Record<GatewayMode, string> = { on: 'batching and caches on', off: 'batching and caches off', before: 'baseline checkout, batching on' };
const MODE_KEYS: Record<GatewayMode, string> = { on: 'batchingOn', off: 'batchingOff', before: 'baseline' };

async function measureMode(
  gateway: GatewayProcess,
  sims: Upstreams,
  ctx: ScenarioContext,
  mode: GatewayMode,
  options: BenchOptions,
): Promise<Map<string, ModeResult>> {
  const batching = mode !== 'off';
  const results = new Map<string, ModeResult>();
  const rss = new RssMeter(gateway.pid);
  const stressedInQuickMode = options.scenarios.find((s) => s.targeted) ?? options.scenarios[0];
  for (const scenario of options.scenarios) {
    const request = scenario.request(ctx);
    const label = `${scenario.title} [${mode}]`;
    await resetSimStats(sims.uemUrl, sims.harmonyUrl);
    const first = await sendOnce(gateway.url, request);
    const firstRequestUpstream = await upstreamCount(sims);
    const firstError = first.status !== 200 || first.body.errors?.length ? describeError(first) : undefined;
    if (firstError) options.log(`  ${label}: the first request failed: ${firstError}`);

    if (options.warmupSec > 0) {
      await runLoad(gateway.url, request, { connections: options.connections, durationSec: options.warmupSec });
      await settle(gateway, request);
    }
    await resetSimStats(sims.uemUrl, sims.harmonyUrl);
    rss.start();
    let meter = await startCpuMeter(gateway.pid, gateway.url);
    let load = await runLoad(gateway.url, request, { connections: options.connections, durationSec: options.durationSec });
    if (load.completed < Math.max(5, Math.ceil(options.connections / 5))) {
      // Almost no answers: the window was shorter than a response time (batching off can take
      // seconds). Measure once more over three times the window.
      options.log(`  ${label}: ${load.completed} answers in ${options.durationSec} s; measuring again over ${options.durationSec * 3} s`);
      await settle(gateway, request);
      await resetSimStats(sims.uemUrl, sims.harmonyUrl);
      meter = await startCpuMeter(gateway.pid, gateway.url);
      load = await runLoad(gateway.url, request, { connections: options.connections, durationSec: options.durationSec * 3 });
    }
    const cpu = await meter.stop(load.completed);
    const peakRssMb = rss.stop();
    const upstream = perOp(await upstreamCount(sims), load.completed);
    await settle(gateway, request);
    options.log(
      `  ${label}: ${load.rps} req/s, p50 ${load.p50Ms} ms, errors ${load.errors}, upstream/op ${upstream.uem} UEM + ${upstream.harmony} Harmony, CPU ${cpu.cpuMsPerOp} ms/op, GC ${cpu.gcShare === null ? '?' : Math.round(cpu.gcShare * 100)} %, RSS ${peakRssMb} MB`,
    );

    let unloadedP50Ms: number | null = null;
    let unloadedCpuMsPerOp: number | null = null;
    let stress: ModeResult['stress'] = null;
    if (batching && options.unloadedSec > 0) {
      // A second alone first, not measured: what the loaded run left to the collector's background
      // thread (sweeping, the end of a marking) is not charged to the few requests of this window.
      await runLoad(gateway.url, request, { connections: 1, durationSec: 1 });
      await resetSimStats(sims.uemUrl, sims.harmonyUrl);
      const lone = await startCpuMeter(gateway.pid, gateway.url);
      const unloaded = await runLoad(gateway.url, request, { connections: 1, durationSec: options.unloadedSec });
      unloadedP50Ms = unloaded.p50Ms;
      unloadedCpuMsPerOp = (await lone.stop(unloaded.completed)).cpuMsPerOp;
      const loneUpstream = perOp(await upstreamCount(sims), unloaded.completed);
      options.log(`  ${label} alone: ${unloaded.completed} requests, p50 ${unloaded.p50Ms} ms, upstream/op ${loneUpstream.uem} UEM + ${loneUpstream.harmony} Harmony, CPU ${unloadedCpuMsPerOp} ms/op`);
      await settle(gateway, request);
    }
    if (batching && options.stressConnections > 0 && options.stressDurationSec > 0 && (!options.quick || scenario === stressedInQuickMode)) {
      rss.start();
      const heavy = await runLoad(gateway.url, request, { connections: options.stressConnections, durationSec: options.stressDurationSec });
      await settle(gateway, request);
      const stressPeakMb = rss.stop();
      // Right after the load: V8 has not handed much back yet, and WebAssembly memory never shrinks.
      const resident = await residentBreakdown(gateway.pid, `${gateway.url}/metrics`);
      stress = { connections: options.stressConnections, rps: heavy.rps, p50Ms: heavy.p50Ms, errors: heavy.errors, peakRssMb: stressPeakMb, resident };
      options.log(`  ${label} at ${options.stressConnections} connections: ${heavy.rps} req/s, p50 ${heavy.p50Ms} ms, RSS ${stressPeakMb} MB; then ${describeBreakdown(resident)}`);
    }
    results.set(scenario.name, { load, upstream, firstRequestUpstream, firstError, peakRssMb, unloadedP50Ms, unloadedCpuMsPerOp, cpu, stress, note: request.note });
  }
  return results;
}

function describeError(res: Awaited<ReturnType<typeof sendOnce>>): string {
  const e = res.body.errors?.[0];
  return `HTTP ${res.status}${e ? ` ${e.extensions?.code ?? ''} ${e.message}` : ''}`.slice(0, 300);
}

/** Fifty device ids of the demo tenant, and whether `documentId` requests are served. */
async function discover(gateway: GatewayProcess, ctx: Omit<ScenarioContext, 'deviceIds' | 'documentsServed' | 'devicePages'>) {
  const headers = { 'content-type': 'application/json', authorization: ctx.adminBearer };
  const devices = await sendOnce(gateway.url, { headers, body: JSON.stringify({ query: '{ devices(first: 50) { nodes { id } } }' }) });
  const nodes = (devices.body.data as { devices?: { nodes: { id: string }[] } } | undefined)?.devices?.nodes;
  if (!nodes || nodes.length === 0) throw new Error(`could not list devices through the gateway: ${describeError(devices)}`);
  const probe = await sendOnce(gateway.url, {
    headers: { 'content-type': 'application/json', 'x-api-key': ctx.partnerApiKey },
    body: JSON.stringify({ documentId: `sha256:${ctx.partnerDocumentHash}` }),
  });
  const documentsServed = probe.status === 200 && probe.body.data != null && !probe.body.errors?.length;
  const devicePages: Record<number, DevicePage[]> = {};
  for (const [size, count] of Object.entries(DISCOVERED_PAGES)) {
    // The filters' pages are discovered side by side (each filter's one after another: each needs the last cursor).
    const cursors = await Promise.all(PAGE_FILTERS.map((filter) => pageCursors(gateway, headers, Number(size), count, filter)));
    devicePages[Number(size)] = PAGE_FILTERS.flatMap((filter, i) => cursors[i]!.map((after) => ({ filter, after })));
  }
  return { deviceIds: nodes.map((n) => n.id), documentsServed, devicePages, probe: documentsServed ? 'served' : describeError(probe) };
}

/** The `after` cursors of the first `count` pages of the device list under `filter` (fewer when the list ends). */
async function pageCursors(gateway: GatewayProcess, headers: Record<string, string>, size: number, count: number, filter: DevicePage['filter']): Promise<(string | null)[]> {
  const cursors: (string | null)[] = [null];
  const query = `query ($after: String, $filter: DeviceFilter) { devices(first: ${size}, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } } }`;
  while (cursors.length < count) {
    const res = await sendOnce(gateway.url, { headers, body: JSON.stringify({ query, variables: { after: cursors.at(-1), filter } }) });
    const info = (res.body.data as { devices?: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | undefined)?.devices?.pageInfo;
    if (!info?.hasNextPage || !info.endCursor) break;
    cursors.push(info.endCursor);
  }
  return cursors;
}

export async function runBench(input: BenchOptions): Promise<BenchReport> {
  const startedAt = new Date();
  const options: BenchOptions = { ...input, log: (line) => input.log(`[${((Date.now() - startedAt.getTime()) / 1000).toFixed(1).padStart(5)} s] ${line}`) };
  const loadBefore = loadavg()[0] ?? 0;
  const dataDir = input.dataDir ?? mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  const cleanup: string[] = [];
  const { keep, stopAll } = childGroup(options.track);
  try {
    options.log(`simulators: ${options.latencyMs} ms upstream latency, no jitter`);
    // Both at once; allSettled so a started simulator is tracked (and stopped) even if the other fails.
    const [simsResult, credsResult] = await Promise.allSettled([startSimulatorProcess(options.latencyMs, options.tenant ? tenantSimEnv(options.tenant) : {}).then(keep), prepareDataDir(dataDir, options.databaseUrl)]);
    if (simsResult.status === 'rejected') throw simsResult.reason;
    if (credsResult.status === 'rejected') throw credsResult.reason;
    const [sims, creds] = [simsResult.value, credsResult.value];
    options.log('simulators and data directory (API keys, partner document) ready');
    const modes = new Map<GatewayMode, Map<string, ModeResult>>();
    let ctx: ScenarioContext | undefined;
    let documentsProbe = '';
    const idleRssMb: Record<string, number> = {};
    const idleResident: Record<string, ResidentBreakdown | null> = {};
    // At tenant scale a gateway without batching and caches reads the whole tenant per request: not run.
    const runModes: GatewayMode[] = ['on', ...(options.skipOff || options.tenant ? [] : (['off'] as const)), ...(options.baselineRoot ? (['before'] as const) : [])];
    // The baseline gets a data directory its own code seeded (this checkout's migrations would make it
    // refuse to start); it shares the JWT secret, so bearer tokens and cursors hold for both, and has its own API keys.
    const baselineDir = options.baselineRoot ? mkdtempSync(join(tmpdir(), 'gateway-bench-baseline-')) : undefined;
    const baselineKeys = options.baselineRoot && baselineDir ? await prepareBaselineDataDir(options.baselineRoot, baselineDir) : undefined;
    if (baselineDir) cleanup.push(baselineDir);
    let build: (SnapshotBuild & { rssMb: number }) | undefined;
    const startGateway = (mode: GatewayMode) =>
      startGatewayProcess({
        sims,
        dataDir: mode === 'before' && baselineDir ? baselineDir : dataDir,
        databaseUrl: options.databaseUrl,
        jwtSecret: creds.jwtSecret,
        batching: mode !== 'off',
        nodeArgs: options.gatewayNodeArgs,
        root: mode === 'before' ? options.baselineRoot : undefined,
        env: options.tenant ? tenantGatewayEnv(options.tenant) : undefined,
      });
    // The baseline's own API keys (its data directory was seeded by its own code); bearer tokens hold for both.
    const contextOf = (ctx: ScenarioContext, mode: GatewayMode): ScenarioContext =>
      mode === 'before' && baselineKeys ? { ...ctx, partnerApiKey: baselineKeys.partnerApiKey, adminApiKey: baselineKeys.adminApiKey } : ctx;
    for (const mode of runModes) {
      options.log(`gateway (${MODE_LABELS[mode]})`);
      if (options.tenant && mode === 'on') await resetSimStats(sims.uemUrl, sims.harmonyUrl);
      const gateway = keep(await startGateway(mode));
      if (options.tenant && mode === 'on') {
        options.log('waiting for the leader to build the snapshots');
        const built = await waitForSnapshots(gateway, 15 * 60_000);
        build = { ...built, uemRequests: (await upstreamCount(sims)).uem, rssMb: new RssMeter(gateway.pid).current() };
        options.log(`snapshots built in ${build.seconds} s with ${build.uemRequests} UEM requests; ${build.plannedPerDay} UEM requests/day planned`);
      }
      idleRssMb[MODE_KEYS[mode]] = new RssMeter(gateway.pid).current();
      idleResident[MODE_KEYS[mode]] = await residentBreakdown(gateway.pid, `${gateway.url}/metrics`);
      options.log(`gateway ready, ${idleRssMb[MODE_KEYS[mode]]} MB resident: ${describeBreakdown(idleResident[MODE_KEYS[mode]]!)}`);
      try {
        if (!ctx) {
          const found = await discover(gateway, creds);
          documentsProbe = found.probe;
          ctx = { ...creds, deviceIds: found.deviceIds, documentsServed: found.documentsServed, devicePages: found.devicePages };
          options.log(`persisted documents by documentId: ${found.documentsServed ? 'served' : `not served (${found.probe})`}`);
          options.log(`device pages the load rotates over: ${Object.entries(found.devicePages).map(([size, pages]) => `${pages.length} of ${size}`).join(', ')} (${PAGE_FILTERS.length} filters)`);
        }
        modes.set(mode, await measureMode(gateway, sims, contextOf(ctx, mode), mode, options));
      } finally {
        await gateway.stop();
      }
    }
    const on = modes.get('on') as Map<string, ModeResult>;
    const paired = new Map<string, { early: PairedAlone; warmed: PairedAlone }>();
    if (options.baselineRoot && baselineKeys && ctx && options.unloadedSec > 0 && !options.tenant) {
      // Both gateways up at once, one connection each in turn (bench/paired.ts), twice: right after
      // the warm-up (a new gateway's first minute, its code still being optimized), and again once
      // each has had the sequential runs' loaded window too, as their alone figure had.
      options.log(`both gateways, one connection in alternating slices (${PAIRS} × ${pairedSliceSec(options)} s each)`);
      const [after, before] = [keep(await startGateway('on')), keep(await startGateway('before'))];
      try {
        for (const scenario of options.scenarios) {
          const sides = ([[after, 'on'], [before, 'before']] as const).map(([gateway, mode]) => ({ gateway, request: scenario.request(contextOf(ctx!, mode)) }));
          const loadEach = async (durationSec: number) => {
            if (durationSec <= 0) return;
            for (const side of sides) {
              await runLoad(side.gateway.url, side.request, { connections: options.connections, durationSec });
              await settle(side.gateway, side.request);
            }
          };
          await loadEach(options.warmupSec);
          const early = await pairedAlone(sides[0]!, sides[1]!, PAIRS, pairedSliceSec(options));
          options.log(`  ${scenario.title} alternating at 1 conn after the warm-up: CPU ${early.beforeCpuMsPerOp} → ${early.afterCpuMsPerOp} ms/op`);
          await loadEach(options.durationSec);
          const warmed = await pairedAlone(sides[0]!, sides[1]!, PAIRS, pairedSliceSec(options));
          options.log(`  ${scenario.title} alternating at 1 conn after the loaded window too: CPU ${warmed.beforeCpuMsPerOp} → ${warmed.afterCpuMsPerOp} ms/op`);
          paired.set(scenario.name, { early, warmed });
        }
      } finally {
        await after.stop();
        await before.stop();
      }
    }
    const scenarios = options.scenarios.map((s) => ({
      ...toScenarioResult(s, on.get(s.name) as ModeResult, modes.get('off')?.get(s.name), modes.get('before')?.get(s.name), options.latencyMs),
      ...(paired.has(s.name) ? { pairedAlone: paired.get(s.name)!.early, pairedAloneWarmed: paired.get(s.name)!.warmed } : {}),
    }));
    const cpu = cpus();
    const report: BenchReport = {
      machine: {
        cpu: cpu[0]?.model.trim() ?? 'unknown',
        cores: cpu.length,
        memoryGb: round(totalmem() / 1024 ** 3, 1),
        os: `${platform()} ${release()} ${arch()}`,
        node: process.version,
        loadAverageBefore: round(loadBefore, 2),
        loadAverageAfter: round(loadavg()[0] ?? 0, 2),
      },
      settings: {
        command: options.command,
        quick: options.quick,
        connections: options.connections,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        upstreamLatencyMs: options.latencyMs,
        upstreamJitterMs: 0,
        stressConnections: options.stressConnections,
        stressDurationSec: options.stressDurationSec,
        unloadedSec: options.unloadedSec,
        gateway: `NODE_ENV=production, ${options.databaseUrl ? 'Postgres (--database-url)' : 'PGlite in a temp DATA_DIR'}, default tuning, as \`npm start\` runs it (${gatewayCommand(ROOT).describe})${options.gatewayNodeArgs?.length ? ` with ${options.gatewayNodeArgs.join(' ')}` : ''}${options.baselineRoot ? `; baseline: ${gatewayCommand(options.baselineRoot).describe}` : ''}; a second gateway with GATEWAY_BATCHING=off`,
        dataset: options.tenant
          ? `tenant mode: SIM_DEVICES=${options.tenant.devices} SIM_UEM_USERS=${tenantUsers(options.tenant.devices)}; gateway UEM_DAILY_QUOTA=${options.tenant.dailyQuota} UEM_SNAPSHOTS=on`
          : 'demo organization, default sizes (SIM_* unset)',
        ...(options.baselineRoot ? { baselineRoot: options.baselineRoot } : {}),
        persistedDocuments: ctx?.documentsServed ? 'served by documentId' : `not served (${documentsProbe}); scenario 5 falls back to query text`,
        criticalPathAssumption:
          'levels = sequential upstream round trips in steady state with batching and caches on (cached lists cost none); bound = levels × upstream latency',
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
      },
      gatewayIdleRssMb: idleRssMb,
      gatewayIdleResident: idleResident,
      scenarios,
      targets: [],
    };
    if (options.tenant && build) {
      const { rssMb, ...snapshotBuild } = build;
      report.tenant = {
        devices: options.tenant.devices,
        users: tenantUsers(options.tenant.devices),
        dailyQuota: options.tenant.dailyQuota,
        build: snapshotBuild,
        rssAfterBuildMb: rssMb,
        forecast: forecastQuota(options.tenant, scenarios, snapshotBuild),
      };
    }
    report.targets = evaluateTargets(report);
    return report;
  } finally {
    await stopAll();
    if (!input.dataDir) rmSync(dataDir, { recursive: true, force: true });
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
}

function toScenarioResult(s: Scenario, on: ModeResult, off: ModeResult | undefined, before: ModeResult | undefined, latencyMs: number): ScenarioResult {
  const criticalPathMs = s.levels * latencyMs;
  const total = (u: UpstreamCount) => round(u.uem + u.harmony, 3);
  return {
    name: s.name,
    title: s.title,
    ...(on.note ? { note: on.note } : {}),
    rps: on.load.rps,
    p50Ms: on.load.p50Ms,
    p90Ms: on.load.p90Ms,
    p99Ms: on.load.p99Ms,
    errors: on.load.errors,
    upstreamRequestsPerOp: total(on.upstream),
    upstreamPerOp: on.upstream,
    criticalPathMs,
    criticalPathLevels: s.levels,
    criticalPathNote: s.levelsNote,
    p50OverBound: criticalPathMs > 0 ? round(on.load.p50Ms / criticalPathMs, 2) : null,
    peakRssMb: on.peakRssMb,
    cpuMsPerOp: on.cpu.cpuMsPerOp,
    gcShare: on.cpu.gcShare,
    unloadedP50Ms: on.unloadedP50Ms,
    unloadedCpuMsPerOp: on.unloadedCpuMsPerOp,
    firstRequestUpstream: on.firstRequestUpstream,
    budget: s.budget ?? null,
    targeted: s.targeted,
    stress: on.stress,
    ...(on.firstError ? { firstError: on.firstError } : {}),
    batchingOff: off
      ? {
          rps: off.load.rps,
          p50Ms: off.load.p50Ms,
          upstreamRequestsPerOp: total(off.upstream),
          upstreamPerOp: off.upstream,
          errors: off.load.errors,
          peakRssMb: off.peakRssMb,
          cpuMsPerOp: off.cpu.cpuMsPerOp,
        }
      : null,
    onOffThroughputRatio: off && off.load.rps > 0 ? round(on.load.rps / off.load.rps, 1) : null,
    before: before
      ? {
          rps: before.load.rps,
          p50Ms: before.load.p50Ms,
          cpuMsPerOp: before.cpu.cpuMsPerOp,
          gcShare: before.cpu.gcShare,
          unloadedCpuMsPerOp: before.unloadedCpuMsPerOp,
          upstreamPerOp: before.upstream,
          firstRequestUpstream: before.firstRequestUpstream,
          peakRssMb: before.peakRssMb,
          stress: before.stress,
        }
      : null,
  };
}
