/** A Harmony simulator and a datasource logged in to it, with fast HTTP options for tests. */
import { Registry } from 'prom-client';
import { startHarmonySimulator, type HarmonySimulator, type HarmonySimulatorOptions } from '../../../src/simulators/harmony/harmony.simulator.js';
import { HarmonyDatasource, type HarmonyDatasourceOptions } from '../../../src/datasources/harmony/harmony.datasource.js';
import { withFast } from './test-upstream.js';

export async function startHarmony(options: HarmonySimulatorOptions = {}): Promise<HarmonySimulator> {
  return startHarmonySimulator({ sizes: { harmonyUsers: 30, externalUsers: 10 }, ...options });
}

export function harmonyDatasource(sim: HarmonySimulator, extra: Partial<HarmonyDatasourceOptions> = {}): HarmonyDatasource {
  return HarmonyDatasource.create({
    baseUrl: sim.url,
    ...sim.credentials,
    registry: new Registry(),
    ...extra,
    http: withFast(extra.http),
  });
}
