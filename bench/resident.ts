/**
 * What a process's resident memory is, read from outside it (`/proc/<pid>/smaps`, Linux): each
 * mapping's resident bytes, classed by what the mapping is.
 *
 * - `wasm`: WebAssembly memories (the embedded database's PostgreSQL heap). V8 reserves each one
 *   with a guard region of several GiB: the memory is the read-write mapping right before an
 *   inaccessible anonymous one of 4 GiB or more.
 * - `jsHeap`: V8's heap, from the process's own metrics (`nodejs_heap_size_total_bytes`, the
 *   pages V8 holds, of which `jsHeapUsed` are live or not yet collected). Null without metrics.
 * - `code`: mapped files (the node binary, shared libraries, ICU data).
 * - `native`: the C heap (`[heap]`) and every other anonymous mapping less the JS heap: malloc
 *   arenas, V8's compiled code and zones, array buffers' backing stores, thread stacks.
 */
import { readFileSync } from 'node:fs';

export interface ResidentBreakdown {
  totalMb: number;
  wasmMb: number;
  jsHeapMb: number | null;
  jsHeapUsedMb: number | null;
  externalMb: number | null;
  codeMb: number;
  nativeMb: number;
}

const WASM_RESERVATION = 4 * 1024 ** 3;
const mb = (bytes: number) => Math.round((bytes / 1024 ** 2) * 10) / 10;

interface Mapping {
  start: number;
  end: number;
  perms: string;
  rss: number;
  path: string;
}

function mappings(pid: number): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = { start: parseInt(header[1]!, 16), end: parseInt(header[2]!, 16), perms: header[3]!, rss: 0, path: header[4] ?? '' };
      out.push(current);
    } else if (current && line.startsWith('Rss:')) {
      current.rss = Number(/(\d+)/.exec(line)?.[1] ?? 0) * 1024;
    }
  }
  return out;
}

/** A gauge of the gateway's Prometheus text, summed over its label sets; null when absent. */
function gauge(metrics: string, name: string): number | null {
  let sum: number | null = null;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** The breakdown now; `metricsUrl` is the gateway's `/metrics` (the JS heap figures). */
export async function residentBreakdown(pid: number, metricsUrl?: string): Promise<ResidentBreakdown | null> {
  let maps: Mapping[];
  try {
    maps = mappings(pid);
  } catch {
    return null;
  }
  let metrics = '';
  if (metricsUrl) metrics = await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) }).then((r) => (r.ok ? r.text() : ''), () => '');
  const heap = gauge(metrics, 'gateway_process_nodejs_heap_size_total_bytes');
  const heapUsed = gauge(metrics, 'gateway_process_nodejs_heap_size_used_bytes');
  const external = gauge(metrics, 'gateway_process_nodejs_external_memory_bytes');
  let total = 0;
  let wasm = 0;
  let code = 0;
  let anonymous = 0;
  maps.forEach((m, i) => {
    total += m.rss;
    const next = maps[i + 1];
    const guarded = next !== undefined && next.path === '' && next.perms.startsWith('---') && next.start === m.end && next.end - next.start >= WASM_RESERVATION;
    if (m.path.startsWith('/')) code += m.rss;
    else if (m.path === '' && guarded) wasm += m.rss;
    else anonymous += m.rss;
  });
  return {
    totalMb: mb(total),
    wasmMb: mb(wasm),
    jsHeapMb: heap === null ? null : mb(heap),
    jsHeapUsedMb: heapUsed === null ? null : mb(heapUsed),
    externalMb: external === null ? null : mb(external),
    codeMb: mb(code),
    nativeMb: mb(Math.max(0, anonymous - (heap ?? 0))),
  };
}

export function describeBreakdown(b: ResidentBreakdown | null): string {
  if (!b) return 'unknown';
  const heap = b.jsHeapMb === null ? 'JS heap ?' : `JS heap ${b.jsHeapMb} (${b.jsHeapUsedMb} used)`;
  return `${b.totalMb} MB = ${heap} + WebAssembly ${b.wasmMb} + native ${b.nativeMb} + mapped files ${b.codeMb}${b.externalMb === null ? '' : `; external ${b.externalMb}`}`;
}
