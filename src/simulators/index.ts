/**
 * Starts both simulators with one dataset configuration (demo mode, `npm run sim`, tests and the
 * benchmark). Each simulator is a real HTTP server on loopback.
 */
import type { Clock } from './common/clock.js';
import type { DatasetSizes } from './dataset/demo-org.js';
import { startHarmonySimulator, type HarmonySimulator, type HarmonySimulatorOptions } from './harmony/harmony.simulator.js';
import { startUemSimulator, type UemSimulator, type UemSimulatorOptions } from './uem/uem.simulator.js';

export { startUemSimulator, type UemSimulator, type UemSimulatorOptions } from './uem/uem.simulator.js';
export {
  startHarmonySimulator,
  type HarmonySimulator,
  type HarmonySimulatorOptions,
} from './harmony/harmony.simulator.js';
export { ManualClock, type Clock } from './common/clock.js';
export {
  DEMO_ENV_MAP,
  EXTERNAL_PERSONAS,
  HARMONY_PERSONAS,
  ORGANIZATION_GROUPS,
  ENVIRONMENTS,
  type DatasetSizes,
} from './dataset/demo-org.js';

export interface SimulatorsOptions {
  host?: string;
  uemPort?: number;
  harmonyPort?: number;
  sizes?: Partial<DatasetSizes>;
  clock?: Clock;
  /** Latency added to every upstream request (benchmarks), milliseconds. */
  latencyMs?: number;
  uem?: Partial<UemSimulatorOptions>;
  harmony?: Partial<HarmonySimulatorOptions>;
}

export interface Simulators {
  uem: UemSimulator;
  harmony: HarmonySimulator;
  close(): Promise<void>;
}

export async function startSimulators(options: SimulatorsOptions = {}): Promise<Simulators> {
  const faults = options.latencyMs ? { latencyMs: options.latencyMs } : undefined;
  const common = {
    host: options.host,
    sizes: options.sizes,
    seed: options.sizes?.seed,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(faults ? { faults } : {}),
  };
  const uem = await startUemSimulator({ ...common, port: options.uemPort, ...options.uem });
  let harmony: HarmonySimulator;
  try {
    harmony = await startHarmonySimulator({ ...common, port: options.harmonyPort, ...options.harmony });
  } catch (err) {
    await uem.close();
    throw err;
  }
  return {
    uem,
    harmony,
    close: async () => {
      await Promise.all([uem.close(), harmony.close()]);
    },
  };
}
