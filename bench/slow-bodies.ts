/**
 * `npm run bench:slow-bodies [-- options]`: does a flood of slow request bodies slow normal traffic?
 * The simulators and a gateway (production settings, default tuning) as child processes; normal
 * traffic (scenario 2 of `npm run bench`: 100 devices with their enrollment users) in a closed loop,
 * its p50 measured alone, then while `--flood` connections send POST headers and dribble their bodies
 * one byte a second (reconnecting whenever the gateway closes one at its body deadline). Prints the
 * ratio of the two p50s (goal: at most 2×) and writes `bench/results/slow-bodies-<time>.json`.
 *
 *   --flood <n>        slow connections (default 200)
 *   --connections <n>  normal clients (default 10)
 *   --duration <s>     seconds per measurement (default 10)
 *   --latency <ms>     upstream latency of the simulators (default 20)
 */
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { closedLoop, machine, percentile, sleep, startStack, writeResult } from './capacity-kit.js';
import type { GatewayProcess } from './processes.js';

const { values } = parseArgs({
  options: { flood: { type: 'string' }, connections: { type: 'string' }, duration: { type: 'string' }, latency: { type: 'string' } },
});
const FLOOD = Number(values.flood ?? 200);
const CONNECTIONS = Number(values.connections ?? 10);
const DURATION_SEC = Number(values.duration ?? 10);
const LATENCY_MS = Number(values.latency ?? 20);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Slow-body connections kept at `size`: each sends headers, then a byte a second. */
function slowBodyFlood(gateway: GatewayProcess, size: number, authorization: string) {
  const { hostname, port } = new URL(gateway.url);
  const sockets = new Set<Socket>();
  let stopping = false;
  let opened = 0;
  let answered408 = 0;
  const open = () => {
    if (stopping) return;
    opened++;
    const socket = connect({ host: hostname, port: Number(port) });
    sockets.add(socket);
    let drip: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(`POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nAuthorization: ${authorization}\r\nContent-Length: 100000\r\n\r\n{"query":`);
      drip = setInterval(() => socket.write(' '), 1_000);
    });
    socket.on('data', (chunk: Buffer) => {
      if (chunk.toString('latin1').startsWith('HTTP/1.1 408')) answered408++;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(drip);
      sockets.delete(socket);
      // Keep the flood at its size: a closed slow client comes straight back.
      setTimeout(open, 10);
    });
  };
  for (let i = 0; i < size; i++) open();
  return {
    get open() {
      return sockets.size;
    },
    stop() {
      stopping = true;
      for (const s of sockets) s.destroy();
      return { opened, answered408 };
    },
  };
}

async function measure(gateway: GatewayProcess, authorization: string) {
  const body = JSON.stringify({ query: '{ devices(first: 100) { totalCount nodes { id friendlyName platform model complianceStatus user { userName email firstName lastName } } } }' });
  const send = async () => {
    const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
    const text = await res.text();
    return res.status === 200 && text.includes('"errors"') ? 299 : res.status;
  };
  const result = await closedLoop(CONNECTIONS, send, AbortSignal.timeout(DURATION_SEC * 1_000));
  return { p50Ms: percentile(result.okMs, 50), p90Ms: percentile(result.okMs, 90), answered: result.okMs.length, statuses: result.statuses };
}

async function main() {
  log(`simulators (${LATENCY_MS} ms latency) and a gateway`);
  const stack = await startStack({ latencyMs: LATENCY_MS, simEnv: {} });
  try {
    const gateway = await stack.gateway({});
    const auth = stack.creds.adminBearer;
    log('warm-up');
    await closedLoop(CONNECTIONS, async () => (await fetch(`${gateway.url}/healthz`)).status, AbortSignal.timeout(1_000));
    await measure(gateway, auth);
    log(`normal traffic alone: ${CONNECTIONS} clients, ${DURATION_SEC} s`);
    const alone = await measure(gateway, auth);
    log(`  p50 ${alone.p50Ms} ms, ${alone.answered} answers`);
    log(`normal traffic with ${FLOOD} slow-body connections`);
    const flood = slowBodyFlood(gateway, FLOOD, auth);
    await sleep(2_000);
    const openAtStart = flood.open;
    const flooded = await measure(gateway, auth);
    const openAtEnd = flood.open;
    const floodStats = flood.stop();
    log(`  p50 ${flooded.p50Ms} ms, ${flooded.answered} answers; flood: ${openAtStart}/${openAtEnd} open, ${floodStats.opened} opened, ${floodStats.answered408} answered 408`);
    const ratio = alone.p50Ms && flooded.p50Ms ? Math.round((flooded.p50Ms / alone.p50Ms) * 100) / 100 : null;
    const result = {
      machine: machine(),
      settings: { flood: FLOOD, connections: CONNECTIONS, durationSec: DURATION_SEC, upstreamLatencyMs: LATENCY_MS, gateway: 'NODE_ENV=production, PGlite, default tuning' },
      alone,
      flooded: { ...flooded, floodOpenAtStart: openAtStart, floodOpenAtEnd: openAtEnd, ...floodStats },
      p50Ratio: ratio,
      goal: 'p50 with the flood at most 2 × p50 alone',
      met: ratio !== null && ratio <= 2,
    };
    const file = writeResult('slow-bodies', result);
    process.stdout.write(
      [
        `| normal traffic (${CONNECTIONS} clients, scenario 2) | p50 ms | p90 ms | answers | statuses |`,
        '|---|--:|--:|--:|---|',
        `| alone | ${alone.p50Ms} | ${alone.p90Ms} | ${alone.answered} | ${JSON.stringify(alone.statuses)} |`,
        `| with ${FLOOD} slow-body connections | ${flooded.p50Ms} | ${flooded.p90Ms} | ${flooded.answered} | ${JSON.stringify(flooded.statuses)} |`,
        '',
        `p50 ratio: ${ratio}× (goal ≤ 2×: ${result.met ? 'met' : 'missed'}); slow connections answered 408: ${floodStats.answered408}`,
        `JSON: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`The benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
