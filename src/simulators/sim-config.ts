/**
 * The simulators' own configuration (they stand in for someone else's server, so they do not use
 * the gateway's config): ports and dataset sizes from SIM_* variables (docs/interfaces.md).
 */
import { DEFAULT_SIZES, type DatasetSizes } from './dataset/demo-org.js';

export interface SimConfig {
  uemPort: number;
  harmonyPort: number;
  sizes: DatasetSizes;
  /** Added latency for every upstream request (benchmarks), milliseconds. */
  latencyMs: number;
}

function num(name: string, fallback: number, problems: string[]): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    problems.push(`${name} must be a non-negative integer (got "${raw}")`);
    return fallback;
  }
  return n;
}

export function loadSimConfig(): SimConfig {
  const problems: string[] = [];
  const config: SimConfig = {
    uemPort: num('SIM_UEM_PORT', 4101, problems),
    harmonyPort: num('SIM_HARMONY_PORT', 4102, problems),
    latencyMs: num('SIM_LATENCY_MS', 0, problems),
    sizes: {
      devices: num('SIM_DEVICES', DEFAULT_SIZES.devices, problems),
      uemUsers: num('SIM_UEM_USERS', DEFAULT_SIZES.uemUsers, problems),
      apps: num('SIM_APPS', DEFAULT_SIZES.apps, problems),
      harmonyUsers: num('SIM_HARMONY_USERS', DEFAULT_SIZES.harmonyUsers, problems),
      externalUsers: num('SIM_EXTERNAL_USERS', DEFAULT_SIZES.externalUsers, problems),
      seed: num('SIM_SEED', DEFAULT_SIZES.seed, problems),
    },
  };
  if (problems.length > 0) throw new Error(`Invalid simulator configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return config;
}
