/**
 * CPU per request at one connection, before and after, measured in alternating slices: both
 * gateways run at once and take turns (after then before, before then after, ...), so what the
 * machine does meanwhile (other processes, a changing clock) falls on both alike. The sequential
 * figures (each gateway alone for `--unloaded` seconds, minutes apart) drift with a shared host by
 * ±20 %, and so does their ratio; the ratio of these slices much less. Run with `--baseline-root`.
 */
import { runLoad } from './load.js';
import { cpuSeconds } from './meters.js';
import type { GatewayProcess } from './processes.js';
import type { ScenarioRequest } from './scenarios.js';

export interface PairedAlone {
  /** Slices each gateway ran. */
  slices: number;
  sliceSec: number;
  beforeCpuMsPerOp: number | null;
  afterCpuMsPerOp: number | null;
}

export interface PairedSide {
  gateway: GatewayProcess;
  request: ScenarioRequest;
}

interface Tally {
  cpuSec: number;
  completed: number;
  known: boolean;
}

/** One slice of one connection against `side`, added to its tally. */
async function slice(side: PairedSide, sec: number, tally: Tally): Promise<void> {
  const cpu0 = cpuSeconds(side.gateway.pid);
  const load = await runLoad(side.gateway.url, side.request, { connections: 1, durationSec: sec });
  const cpu1 = cpuSeconds(side.gateway.pid);
  if (cpu0 === null || cpu1 === null) tally.known = false;
  else tally.cpuSec += cpu1 - cpu0;
  tally.completed += load.completed;
}

const perOp = (t: Tally) => (!t.known || t.completed === 0 ? null : Math.round((t.cpuSec * 1000 * 100) / t.completed) / 100);

/** `pairs` slices of `sliceSec` each per gateway, alternating, after a one-second slice each that is not counted. */
export async function pairedAlone(after: PairedSide, before: PairedSide, pairs: number, sliceSec: number): Promise<PairedAlone> {
  const unused: Tally = { cpuSec: 0, completed: 0, known: true };
  await slice(after, 1, unused);
  await slice(before, 1, unused);
  const a: Tally = { cpuSec: 0, completed: 0, known: true };
  const b: Tally = { cpuSec: 0, completed: 0, known: true };
  for (let i = 0; i < pairs; i++) {
    const order: [PairedSide, Tally][] = i % 2 === 0 ? [[after, a], [before, b]] : [[before, b], [after, a]];
    for (const [side, tally] of order) await slice(side, sliceSec, tally);
  }
  return { slices: pairs, sliceSec, beforeCpuMsPerOp: perOp(b), afterCpuMsPerOp: perOp(a) };
}
