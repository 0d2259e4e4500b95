/**
 * `npm run bench:memory [-- options]`: memory bounded by design (issue 15). The simulators (tenant
 * scale: 50,000 devices) and gateways as child processes, in two parts:
 *
 * 1. Calibration: for a few query shapes, the live heap one request holds at its peak, read from
 *    `--trace-gc` (the largest heap after a full collection while `--lockstep` requests of the shape
 *    run at once, each for another page, less the smallest, divided by their number), next to the
 *    gateway's own estimate (`extensions.cost.memory.estimatedBytes`). The estimate's weights
 *    (src/safety/memory.ts) come from here. The gateway runs with `--stress-incremental-marking`:
 *    since requests promote little (issue 17), full collections had become too rare in a 192 MB
 *    heap to catch requests in flight (one or none a shape).
 * 2. Survival: a gateway with `--max-old-space-size=<heap>` (160, as the Kubernetes deployment) and
 *    its default memory budget, under `--readers` clients asking for 500-device pages with their
 *    joins (of eight filters in turn) in a closed loop and `--exports` clients exporting devices at
 *    the same time (half of them reading slowly; a refused export is asked again after its
 *    Retry-After), for `--duration` seconds. It must stay alive and healthy; refusals (OVERLOADED)
 *    are counted. `--without-budget` runs the same against a gateway without the budget and export
 *    cap, for comparison (it is expected to die).
 *
 * Prints Markdown tables and writes `bench/results/memory-<time>.json`.
 */
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { closedLoop, machine, metric, percentile, sleep, startStack, watchHealth, writeResult, type Stack } from './capacity-kit.js';
import { isAlive, RssMeter, type GatewayProcess } from './processes.js';
import { PAGE_FILTERS } from './scenarios.js';

const { values } = parseArgs({
  options: {
    devices: { type: 'string' },
    readers: { type: 'string' },
    exports: { type: 'string' },
    duration: { type: 'string' },
    heap: { type: 'string' },
    lockstep: { type: 'string' },
    'without-budget': { type: 'boolean', default: false },
    'skip-calibration': { type: 'boolean', default: false },
  },
});
const DEVICES = Number(values.devices ?? 50_000);
const READERS = Number(values.readers ?? 200);
const EXPORTS = Number(values.exports ?? 60);
const DURATION_SEC = Number(values.duration ?? 30);
const HEAP_MB = Number(values.heap ?? 160);
const LOCKSTEP = Number(values.lockstep ?? 8);
const log = (line: string) => process.stderr.write(`${line}\n`);

const JOINS =
  'id uuid serialNumber friendlyName platform model osVersion ownership enrollmentStatus complianceStatus lastSeen imei macAddress phoneNumber compromised lastEnrolledOn lastComplianceCheck user { id userName email firstName lastName } organizationGroup { id name } environment { id name } tags { id name } smartGroups { id name }';
/** A page of devices with `fields`; the filter comes in the variables (FILTERS). */
const page = (first: number, fields: string) => `query ($filter: DeviceFilter) { devices(first: ${first}, filter: $filter) { totalCount nodes { ${fields} } } }`;
const SHAPES: Record<string, string> = {
  '500 devices, id only': page(500, 'id'),
  '500 devices, 17 fields': page(500, JOINS.split(' user ')[0]!),
  '100 devices with joins': page(100, JOINS),
  '500 devices with joins (the worst-case reader)': page(500, JOINS),
};
const WORST = SHAPES['500 devices with joins (the worst-case reader)']!;
/**
 * Requests running at once ask for different pages (each filter is its own UEM search): identical
 * requests share their upstream pages, and the heap they hold together is not what as many
 * different requests hold (issue 17 item 5).
 */
/** Eight of the bench's page filters: the unfiltered list, the four platforms and the three ownerships. */
const FILTERS = PAGE_FILTERS.slice(0, 8);
const filterOf = (i: number) => FILTERS[i % FILTERS.length] ?? null;
const EXPORT_QUERY = '{ devices { nodes { id friendlyName platform model osVersion complianceStatus user { email } organizationGroup { name } } } }';

/** Connections reset while the gateway was alive (retried once: the queries only read). */
let resets = 0;

async function post(
  gateway: GatewayProcess,
  authorization: string,
  query: string,
  filter: Record<string, string> | null,
  headers: Record<string, string> = {},
  retried = false,
): Promise<{ status: number; body: { errors?: unknown[]; extensions?: { cost?: { memory?: { estimatedBytes: number } } } } }> {
  try {
    const res = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization, ...headers },
      body: JSON.stringify({ query, variables: { filter } }),
    });
    return { status: res.status, body: (await res.json()) as { errors?: unknown[]; extensions?: { cost?: { memory?: { estimatedBytes: number } } } } };
  } catch (err) {
    // Seen in calibration (next to the heap limit, where full collections hold the event loop for
    // seconds): a kept-alive connection reset as a request was sent on it, by a gateway that stays
    // alive. Counted, reported, and the read sent once more.
    if (retried || !isAlive(gateway.pid) || (err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
    resets++;
    return post(gateway, authorization, query, filter, headers, true);
  }
}

const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

async function calibrate(stack: Stack) {
  const afters: number[] = [];
  const start = () =>
    stack.gateway({
      nodeArgs: ['--max-old-space-size=192', '--trace-gc', '--stress-incremental-marking'],
      env: { MEMORY_BUDGET_MB: '100000', LIMIT_COST: '10000000' },
      onOutput: (chunk) => {
        for (const m of chunk.matchAll(/Mark-Compact.*?-> ([\d.]+) \(/g)) afters.push(Number(m[1]));
      },
    });
  let gateway = await start();
  const auth = stack.creds.adminBearer;
  const rows = [];
  try {
    for (const [shape, query] of Object.entries(SHAPES)) {
      const first = await post(gateway, auth, query, null, { 'x-gateway-cost': '1' });
      if (first.status !== 200 || first.body.errors) throw new Error(`${shape}: ${JSON.stringify(first.body).slice(0, 300)}`);
      const estimate = first.body.extensions?.cost?.memory?.estimatedBytes ?? 0;
      await post(gateway, auth, query, null);
      const from = afters.length;
      let died = false;
      try {
        // Each round, LOCKSTEP different pages at once (a different set each round).
        for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: LOCKSTEP }, (_, i) => post(gateway, auth, query, filterOf(round + i))));
      } catch (err) {
        // A connection that fails as the gateway dies can come before its exit: give it time to go.
        for (let i = 0; i < 100 && isAlive(gateway.pid); i++) await sleep(100);
        if (isAlive(gateway.pid)) throw err;
        // Out of heap (192 MB): the shape holds more than the heap allows LOCKSTEP times over.
        died = true;
        await gateway.stop();
        gateway = await start();
      }
      const seen = afters.slice(from);
      const perRequestMb = seen.length >= 2 ? Math.round(((Math.max(...seen) - Math.min(...seen)) / LOCKSTEP) * 10) / 10 : null;
      rows.push({ shape, estimatedMb: mb(estimate), measuredPeakMb: perRequestMb, fullCollections: seen.length, outOfHeap: died });
      log(`  ${shape}: estimated ${mb(estimate)} MB, measured ${perRequestMb ?? '—'} MB per request (${seen.length} full collections)${died ? ', the gateway ran out of heap' : ''}`);
    }
  } finally {
    await gateway.stop();
  }
  return rows;
}

/** One exporter: asks for an export, reads it (slowly when `slow`), again and again; a 503 waits its Retry-After. */
async function exporter(gateway: GatewayProcess, authorization: string, slow: boolean, signal: AbortSignal, tally: Record<string, number>) {
  const url = `${gateway.url}/export?${new URLSearchParams({ query: EXPORT_QUERY })}`;
  while (!signal.aborted) {
    try {
      const res = await fetch(url, { headers: { authorization }, signal });
      tally[String(res.status)] = (tally[String(res.status)] ?? 0) + 1;
      if (res.status !== 200) {
        await res.body?.cancel();
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      const reader = res.body!.getReader();
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.length;
        if (slow) await sleep(200);
      }
      tally.completed = (tally.completed ?? 0) + 1;
      tally.bytes = (tally.bytes ?? 0) + bytes;
    } catch {
      if (signal.aborted) break;
      tally.error = (tally.error ?? 0) + 1;
      await sleep(50);
    }
  }
}

async function survive(stack: Stack, label: string, env: Record<string, string>) {
  log(`${label}: gateway with --max-old-space-size=${HEAP_MB}; ${READERS} readers and ${EXPORTS} exporters for ${DURATION_SEC} s`);
  const gateway = await stack.gateway({ nodeArgs: [`--max-old-space-size=${HEAP_MB}`], env: { HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0', ...env } });
  const auth = stack.creds.adminBearer;
  const budgetMb = mb((await metric(gateway, 'gateway_memory_budget_bytes')) ?? 0);
  const rss = new RssMeter(gateway.pid);
  const idleRssMb = rss.current();
  let maxReservedMb = 0;
  const sampler = setInterval(() => {
    void metric(gateway, 'gateway_memory_reserved_bytes').then((v) => (maxReservedMb = Math.max(maxReservedMb, mb(v ?? 0))));
  }, 1_000);
  rss.start();
  const health = watchHealth(gateway);
  const signal = AbortSignal.timeout(DURATION_SEC * 1_000);
  // Every export request listens to it.
  setMaxListeners(0, signal);
  const exportTally: Record<string, number> = {};
  try {
    let reads = 0;
    const readers = closedLoop(READERS, async () => (await post(gateway, auth, WORST, filterOf(reads++))).status, signal);
    const exporters = Promise.all(Array.from({ length: EXPORTS }, (_, i) => exporter(gateway, auth, i % 2 === 0, signal, exportTally)));
    const [read] = await Promise.all([readers, exporters]);
    const after = health.stop();
    const healthyAfter = await fetch(`${gateway.url}/healthz`).then((r) => r.ok, () => false);
    const result = {
      label,
      budgetMb,
      idleRssMb,
      peakRssMb: rss.stop(),
      maxReservedMb,
      survived: after.alive && healthyAfter,
      healthPolls: after.polls,
      healthFailures: after.failures,
      firstHealthFailureSec: after.firstFailureSec,
      readers: { statuses: read.statuses, p50Ms: percentile(read.okMs, 50), p90Ms: percentile(read.okMs, 90) },
      exports: exportTally,
    };
    log(`  ${result.survived ? 'survived' : `DIED (first failed health check after ${after.firstFailureSec} s)`}; readers ${JSON.stringify(read.statuses)}, p50 ${result.readers.p50Ms} ms; exports ${JSON.stringify(exportTally)}; peak RSS ${result.peakRssMb} MB`);
    return result;
  } finally {
    clearInterval(sampler);
    health.stop();
    await gateway.stop();
  }
}

async function main() {
  log(`simulators: ${DEVICES} devices, 20 ms latency`);
  const stack = await startStack({ latencyMs: 20, simEnv: { SIM_DEVICES: String(DEVICES) } });
  try {
    const calibration = values['skip-calibration'] ? [] : (log('calibration'), await calibrate(stack));
    const runs = [await survive(stack, 'with the memory budget', {})];
    if (values['without-budget']) runs.push(await survive(stack, 'without budget or export cap', { MEMORY_BUDGET_MB: '1000000', EXPORT_MAX_CONCURRENT: '1000' }));
    const file = writeResult('memory', { machine: machine(), settings: { devices: DEVICES, readers: READERS, exports: EXPORTS, durationSec: DURATION_SEC, heapMb: HEAP_MB, lockstep: LOCKSTEP }, calibration, runs, connectionsResetAndRetried: resets });
    if (resets > 0) log(`${resets} calibration request(s) met a connection reset by a live gateway and were sent again`);
    const lines = [];
    if (calibration.length > 0) {
      lines.push(`Heap one request holds at its peak (${LOCKSTEP} at once, each another page, ${DEVICES} devices):`, '', '| shape | estimated MB | measured MB |', '|---|--:|--:|');
      for (const c of calibration) lines.push(`| ${c.shape} | ${c.estimatedMb} | ${c.outOfHeap ? `out of heap (${LOCKSTEP} × > ${c.measuredPeakMb ?? '?'})` : (c.measuredPeakMb ?? '—')} |`);
      lines.push('');
    }
    lines.push(
      `${READERS} readers of 500-device pages with joins and ${EXPORTS} exporters, ${DURATION_SEC} s, --max-old-space-size=${HEAP_MB}:`,
      '',
      '| gateway | survived | budget MB | max reserved MB | readers: statuses | readers p50 ms | exports | idle → peak RSS MB |',
      '|---|---|--:|--:|---|--:|---|---|',
    );
    for (const r of runs) {
      lines.push(`| ${r.label} | ${r.survived ? 'yes' : '**no**'} | ${r.budgetMb} | ${r.maxReservedMb} | ${JSON.stringify(r.readers.statuses)} | ${r.readers.p50Ms ?? '—'} | ${JSON.stringify(r.exports)} | ${r.idleRssMb} → ${r.peakRssMb} |`);
    }
    lines.push('', `JSON: ${file}`, '');
    process.stdout.write(lines.join('\n'));
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  const cause = err instanceof Error && err.cause ? `\ncause: ${String(err.cause)}` : '';
  process.stderr.write(`The benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${cause}\n`);
  process.exit(1);
});
