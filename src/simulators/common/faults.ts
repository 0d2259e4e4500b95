/**
 * Fault injection shared by both simulators (`PUT /__sim/faults`, docs/interfaces.md). Every field is
 * optional; `routes` limits the faults to some route templates (`GET /API/mdm/devices/search`, or
 * the template alone for every method).
 */
export interface FaultConfig {
  latencyMs?: number;
  jitterMs?: number;
  errorRate?: number;
  errorStatus?: number;
  rateLimitPerSecond?: number;
  hangRate?: number;
  malformedRate?: number;
  routes?: string[];
}

const numberKeys = [
  'latencyMs',
  'jitterMs',
  'errorRate',
  'errorStatus',
  'rateLimitPerSecond',
  'hangRate',
  'malformedRate',
] as const;

/** Validates a fault body; returns the config or a list of problems. */
export function parseFaultConfig(value: unknown): { ok: true; config: FaultConfig } | { ok: false; problems: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: ['the body must be a JSON object'] };
  }
  const input = value as Record<string, unknown>;
  const problems: string[] = [];
  const config: FaultConfig = {};
  for (const key of numberKeys) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      problems.push(`${key} must be a non-negative number`);
      continue;
    }
    if ((key === 'errorRate' || key === 'hangRate' || key === 'malformedRate') && v > 1) {
      problems.push(`${key} must be between 0 and 1`);
      continue;
    }
    config[key] = v;
  }
  if (config.errorStatus !== undefined && (config.errorStatus < 400 || config.errorStatus > 599)) {
    problems.push('errorStatus must be an HTTP error status (400-599)');
  }
  if (input.routes !== undefined && input.routes !== null) {
    if (!Array.isArray(input.routes) || !input.routes.every((r) => typeof r === 'string')) {
      problems.push('routes must be an array of route templates');
    } else {
      config.routes = input.routes as string[];
    }
  }
  for (const key of Object.keys(input)) {
    if (key !== 'routes' && !(numberKeys as readonly string[]).includes(key)) problems.push(`unknown fault ${key}`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

/** Whether the faults apply to a request matched to `METHOD template`. */
export function faultsApply(config: FaultConfig, method: string, template: string): boolean {
  if (!config.routes || config.routes.length === 0) return true;
  const key = `${method.toUpperCase()} ${template}`.toLowerCase();
  return config.routes.some((r) => {
    const route = r.trim().toLowerCase();
    return route === key || route === template.toLowerCase();
  });
}

/** A per-second window counter for `rateLimitPerSecond`. */
export class SecondWindow {
  private second = -1;
  private count = 0;

  /** Counts one request at `nowMs`; true when it is over the limit. */
  over(limit: number, nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.count = 0;
    }
    this.count++;
    return this.count > limit;
  }
}
