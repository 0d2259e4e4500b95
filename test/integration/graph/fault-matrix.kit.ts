/**
 * The fault matrix of the failure-isolation issue: one operation mixing both upstreams and their
 * joins, answered while one upstream suffers each fault kind the simulators offer, compared with
 * the answer both gave while healthy. `expectIsolated` is the oracle: data is never null, every
 * error is the failing upstream's with a code the fault explains, sits at a field of that upstream
 * which is null in the response, once, and everything else equals the healthy answer.
 */
import { expect } from 'vitest';
import type { FaultConfig } from '../../../src/simulators/common/faults.js';
import type { GqlResult } from '../../helpers/gateway.js';

export type Upstream = 'uem' | 'harmony';

export const MIXED = `query Mixed {
  viewer { email permissions }
  devices(first: 3) { totalCount nodes { id platform user { userName harmonyUser { email } } environment { name type } } }
  harmonyUsers(first: 3) { totalCount nodes { email roles { role { name } } uemUser { userName } devices(first: 2) { totalCount nodes { id } } } }
  roles { name environmentAccess { environment { name } levels } }
  externalUsers(first: 2) { totalCount nodes { email status apiGroups { name } } }
  person(email: "rita.reader@demo.example") { email uemUser { userName } harmonyUser { email } externalUser { email } devices(first: 1) { totalCount } }
}`;

export interface FaultKind {
  name: string;
  /** Faults to inject; absent: the simulator is stopped (connection refused). */
  faults?: FaultConfig;
  /** The codes this fault may surface as. */
  codes: string[];
}

/** Every fault kind of the simulators (`PUT /__sim/faults`), and a stopped upstream. */
export const FAULT_KINDS: FaultKind[] = [
  { name: 'error status (503)', faults: { errorRate: 1, errorStatus: 503 }, codes: ['UPSTREAM_UNAVAILABLE'] },
  { name: 'hang', faults: { hangRate: 1 }, codes: ['UPSTREAM_TIMEOUT'] },
  { name: 'malformed body', faults: { malformedRate: 1 }, codes: ['UPSTREAM_UNAVAILABLE'] },
  { name: '429 beyond the retry budget', faults: { rateLimitPerSecond: 0 }, codes: ['RATE_LIMITED'] },
  { name: 'connection refused', codes: ['UPSTREAM_UNAVAILABLE'] },
];

/**
 * Fields of MIXED that belong to each upstream (joins into it included), as response paths with
 * `*` for list indexes. Only these may fail when their upstream does.
 */
export const OWNED: Record<Upstream, string[]> = {
  uem: ['devices', 'harmonyUsers.nodes.*.uemUser', 'harmonyUsers.nodes.*.devices', 'person.uemUser', 'person.devices'],
  harmony: [
    'harmonyUsers',
    'roles',
    'externalUsers',
    'devices.nodes.*.user.harmonyUser',
    'devices.nodes.*.environment',
    'devices.nodes.*.environment.type',
    'harmonyUsers.nodes.*.roles',
    'roles.*.environmentAccess',
    'externalUsers.nodes.*.apiGroups',
    'person.harmonyUser',
    'person.externalUser',
  ],
};

type Path = readonly (string | number)[];
const pattern = (path: Path) => path.map((p) => (typeof p === 'number' ? '*' : p)).join('.');
const isRecord = (v: unknown): v is Record<string | number, unknown> => typeof v === 'object' && v !== null;

function valueAt(data: unknown, path: Path): { found: boolean; value: unknown } {
  let value = data;
  for (const key of path) {
    if (!isRecord(value) || !(key in value)) return { found: false, value: undefined };
    value = value[key];
  }
  return { found: true, value };
}

/** `data` with the value at each path replaced by null. */
export function withNulls(data: unknown, paths: readonly Path[]): unknown {
  const copy = structuredClone(data);
  for (const path of paths) {
    const parent = valueAt(copy, path.slice(0, -1)).value;
    if (isRecord(parent)) parent[path[path.length - 1]!] = null;
  }
  return copy;
}

const show = (result: GqlResult<unknown>) => `request id: ${result.requestId}\n${JSON.stringify(result.body, null, 1).slice(0, 4000)}`;

/**
 * The answer while `failing` suffers `kind`, against the healthy `baseline`. `mustFail` are the
 * paths (patterns) the fault must have nulled: fields whose data could not come from a cache.
 */
export function expectIsolated(result: GqlResult<unknown>, baseline: unknown, failing: Upstream, kind: FaultKind, mustFail: string[]): void {
  const label = show(result);
  expect(result.status, label).toBe(200);
  expect(result.body.data, label).toBeTruthy();
  const errors = result.body.errors ?? [];
  const paths = errors.map((e) => e.path ?? []);
  for (const e of errors) {
    expect(e.extensions, label).toMatchObject({ upstream: failing });
    expect(kind.codes, label).toContain(e.extensions?.code);
    expect(OWNED[failing], `an error outside ${failing}'s fields\n${label}`).toContain(pattern(e.path ?? []));
    expect(valueAt(result.body.data, e.path ?? []), label).toEqual({ found: true, value: null });
  }
  expect(new Set(paths.map((p) => p.join('.'))).size, `one error per failed field\n${label}`).toBe(errors.length);
  for (const must of mustFail) expect(paths.map(pattern), label).toContain(must);
  // Everything else is exactly what the healthy upstreams answered.
  expect(result.body.data, label).toEqual(withNulls(baseline, paths));
}

/** The response's `extensions.stale` (README, "Stale answers"). */
export const staleOf = (result: GqlResult<unknown>) => (result.body as { extensions?: { stale?: unknown } }).extensions?.stale;
