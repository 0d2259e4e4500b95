/**
 * What one load run cost the gateway process, read from outside it: CPU time from
 * `/proc/<pid>/stat` (user + system, so a busy machine inflates it far less than latency) and
 * garbage-collection time from the gateway's own `/metrics` (prom-client's
 * `nodejs_gc_duration_seconds`). Linux only; elsewhere the figures are null.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) the process has used, or null when `/proc` cannot tell. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/** Seconds spent in garbage collection so far, summed over GC kinds, from the gateway's metrics. */
export async function gcSeconds(gatewayUrl: string): Promise<number | null> {
  try {
    const res = await fetch(`${gatewayUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    let sum = 0;
    let seen = false;
    for (const line of (await res.text()).split('\n')) {
      if (!line.startsWith('gateway_process_nodejs_gc_duration_seconds_sum')) continue;
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      seen = true;
    }
    return seen ? sum : null;
  } catch {
    return null;
  }
}

export interface CpuFigures {
  /** Gateway CPU milliseconds per completed request. */
  cpuMsPerOp: number | null;
  /** Share of the gateway's CPU time spent in garbage collection (0–1). */
  gcShare: number | null;
}

/** Starts measuring; `stop(completed)` answers the figures of what ran in between. */
export async function startCpuMeter(pid: number, gatewayUrl: string): Promise<{ stop(completed: number): Promise<CpuFigures> }> {
  // The metrics scrape first: what rendering /metrics costs the gateway is not the load's CPU.
  const gc0 = await gcSeconds(gatewayUrl);
  const cpu0 = cpuSeconds(pid);
  return {
    async stop(completed) {
      const cpu1 = cpuSeconds(pid);
      const gc1 = await gcSeconds(gatewayUrl);
      const cpu = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
      const gc = gc0 === null || gc1 === null ? null : gc1 - gc0;
      return {
        cpuMsPerOp: cpu === null || completed === 0 ? null : Math.round((cpu * 1000 * 100) / completed) / 100,
        gcShare: cpu === null || gc === null || cpu <= 0 ? null : Math.round((gc / cpu) * 1000) / 1000,
      };
    },
  };
}
