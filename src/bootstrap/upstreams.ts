/**
 * Where the upstreams are: the configured tenants, or, for any upstream left unconfigured, its
 * simulator started in-process on loopback with the demo organization (demo mode). The simulators'
 * code and dataset are loaded only then.
 */
import type { Config } from '../config.js';
import type { HarmonySimulator, HarmonySimulatorOptions, UemSimulator, UemSimulatorOptions } from '../simulators/index.js';

export interface UpstreamEndpoints {
  uem: NonNullable<Config['uem']>;
  harmony: NonNullable<Config['harmony']>;
  simulators: { uem?: UemSimulator; harmony?: HarmonySimulator };
  close(): Promise<void>;
}

export interface SimulatorOverrides {
  uem?: UemSimulatorOptions;
  harmony?: HarmonySimulatorOptions;
}

export async function resolveUpstreams(config: Config, overrides: SimulatorOverrides = {}): Promise<UpstreamEndpoints> {
  const simulators: UpstreamEndpoints['simulators'] = {};
  const close = async () => {
    await Promise.all([simulators.uem?.close(), simulators.harmony?.close()]);
  };
  try {
    let uem = config.uem;
    if (!uem) {
      const sim = (simulators.uem = await (await import('../simulators/index.js')).startUemSimulator(overrides.uem));
      uem = {
        baseUrl: sim.url,
        tenantCode: sim.credentials.tenantCode,
        auth: { kind: 'basic', username: sim.credentials.username, password: sim.credentials.password },
      };
    }
    let harmony = config.harmony;
    if (!harmony) {
      const sim = (simulators.harmony = await (await import('../simulators/index.js')).startHarmonySimulator(overrides.harmony));
      harmony = { baseUrl: sim.url, ...sim.credentials };
    }
    return { uem, harmony, simulators, close };
  } catch (err) {
    await close();
    throw err;
  }
}
