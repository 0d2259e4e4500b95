/**
 * One upstream's failure never takes the other's data (README, "Failure semantics"), for every
 * fault kind of the simulators and a stopped upstream, on UEM alone and on Harmony alone: one
 * operation mixing both upstreams and their joins keeps all of the healthy upstream's data, and
 * each failed field is null with one error at its path. Before each fault, the operation runs
 * while both upstreams answer (warming every cache), then the caches' clock is moved past their
 * TTLs, so every list must be asked for again: a Harmony list then comes from its stale copy (and
 * the response says so), a UEM list fails. Upstream deadlines are short so hangs end quickly, and
 * the breaker never opens, so each case meets its own fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/simulators/index.js';
import { expectData, startTestGateway, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { call, flatManifest, partnerKey, register, sha256 } from '../documents/helpers.js';
import { FAULT_KINDS, MIXED, expectIsolated, staleOf, type FaultKind, type Upstream } from './fault-matrix.kit.js';

const ADA = 'ada.admin@demo.example';
/** Past every cache TTL (principal 30 s, reference 60 s), within the stale-if-error bound (300 s). */
const AGE_MS = 120_000;
const STALE_BOUND_MS = 300_000;

function faultGateway(clock: ManualClock): Promise<TestGateway> {
  return startTestGateway(
    { UPSTREAM_REQUEST_TIMEOUT_MS: '1500', UPSTREAM_CONNECT_TIMEOUT_MS: '1000', UPSTREAM_MAX_RETRIES: '1' },
    { cacheNow: () => clock.now(), upstreamHttp: { retry: { budgetMs: 500 }, breaker: { failureThreshold: 1_000_000 } } },
  );
}

async function inject(gw: TestGateway, upstream: Upstream, kind: FaultKind): Promise<void> {
  const sim = gw.app.simulators[upstream]!;
  if (kind.faults) sim.setFaults(kind.faults);
  else await sim.close();
}

/** This describe block's gateway (started once), its caches' clock, and MIXED's healthy answer. */
interface FaultSuite {
  clock: ManualClock;
  gw: TestGateway;
  baseline: unknown;
}

function faultSuite(): FaultSuite {
  const suite: FaultSuite = { clock: new ManualClock(), gw: undefined as unknown as TestGateway, baseline: undefined };
  beforeAll(async () => {
    suite.gw = await faultGateway(suite.clock);
    suite.baseline = expectData(await suite.gw.gql(MIXED, { as: ADA }), MIXED);
  });
  afterAll(async () => {
    await suite.gw?.close();
  });
  return suite;
}

/** MIXED while `upstream` suffers `kind`, after a healthy run that must equal the baseline. */
async function underFault({ gw, clock, baseline }: FaultSuite, upstream: Upstream, kind: FaultKind, forget: string[] = []) {
  expect(expectData(await gw.gql(MIXED, { as: ADA }), MIXED)).toEqual(baseline);
  clock.advance(AGE_MS);
  for (const key of forget) gw.app.services.cache.invalidate(key);
  await inject(gw, upstream, kind);
  try {
    return await gw.gql(MIXED, { as: ADA });
  } finally {
    gw.app.simulators[upstream]!.clearFaults();
  }
}

describe('UEM failing: every Harmony field keeps its data', () => {
  const suite = faultSuite();

  // Connection refused stops the simulator: last of the kinds.
  for (const kind of FAULT_KINDS) {
    it(kind.name, async () => {
      const result = await underFault(suite, 'uem', kind);
      expectIsolated(result, suite.baseline, 'uem', kind, ['devices', 'harmonyUsers.nodes.*.uemUser', 'harmonyUsers.nodes.*.devices', 'person.uemUser', 'person.devices']);
      // Harmony answered afresh: nothing is stale.
      expect(staleOf(result)).toBeUndefined();
    });
  }

  // After the matrix (it changes Harmony's data; UEM may be stopped by then, which fails the same way).
  it('mutations too: the one UEM fails is null with its error, the Harmony one keeps its result', async () => {
    const mutation = `mutation FaultMatrix {
      role: createRole(input: { name: "Fault Matrix", permissions: [READ] }) { role { name } }
      user: setUemUserStatus(id: "1", status: INACTIVE) { user { id } }
    }`;
    await inject(suite.gw, 'uem', FAULT_KINDS[0]!);
    let result: GqlResult;
    try {
      result = await suite.gw.gql(mutation, { as: ADA });
    } finally {
      suite.gw.app.simulators.uem!.clearFaults();
    }
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.data).toEqual({ role: { role: { name: 'Fault Matrix' } }, user: null });
    expect(result.body.errors?.map((e) => [e.path, e.extensions?.upstream, e.extensions?.code])).toEqual([[['user'], 'uem', 'UPSTREAM_UNAVAILABLE']]);
  });
});

describe('Harmony failing: every UEM field keeps its data; recently resolved callers keep working', () => {
  const suite = faultSuite();
  const error503 = FAULT_KINDS[0]!;

  it('a partner resolved recently keeps its access, and is told its permissions are stale; a failed read is audited as such', async () => {
    const document = 'query FaultMatrixPartner { devices(first: 2) { totalCount nodes { id } } }';
    await register(suite.gw, flatManifest(document), 'fault-matrix', 'device-inventory');
    const partner = { apiKey: await partnerKey(suite.gw, 'pat.partner@partner.example') };
    const healthy = await call<{ devices: unknown }>(suite.gw, partner, { documentId: sha256(document) });
    expect(healthy.body.errors, JSON.stringify(healthy.body)).toBeUndefined();
    suite.clock.advance(AGE_MS);
    await inject(suite.gw, 'harmony', error503);
    try {
      const result = await call<{ devices: unknown }>(suite.gw, partner, { documentId: sha256(document) });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      // Its permissions, and the environments its row scope was read from, are AGE_MS old.
      const stale = ['environments', 'viewer'].map((field) => ({ upstream: 'harmony', field, ageSeconds: AGE_MS / 1000 }));
      expect(result.body).toEqual({ data: healthy.body.data, extensions: { stale } });
    } finally {
      suite.gw.app.simulators.harmony!.clearFaults();
    }
    // With UEM failing instead, the document's only field is null: the partner read is audited as a failure.
    await inject(suite.gw, 'uem', error503);
    let failed: GqlResult;
    try {
      failed = await call(suite.gw, partner, { documentId: sha256(document) });
    } finally {
      suite.gw.app.simulators.uem!.clearFaults();
    }
    expect(failed.body, JSON.stringify(failed.body)).toMatchObject({ data: { devices: null }, errors: [{ path: ['devices'], extensions: { upstream: 'uem' } }] });
    const audit = `query ($requestId: String) { auditEvents(filter: { requestId: $requestId }) { nodes { outcome errorCodes } } }`;
    const rows = expectData(await suite.gw.gql<{ auditEvents: { nodes: unknown[] } }>(audit, { as: ADA, variables: { requestId: failed.requestId } }), audit);
    expect(rows.auditEvents.nodes).toEqual([{ outcome: 'FAILURE', errorCodes: ['UPSTREAM_UNAVAILABLE'] }]);
  });

  it('past the stale-if-error bound, callers fail closed with UPSTREAM_UNAVAILABLE', async () => {
    expectData(await suite.gw.gql('{ viewer { email } }', { as: ADA }));
    suite.clock.advance(STALE_BOUND_MS + AGE_MS);
    await inject(suite.gw, 'harmony', error503);
    let result: GqlResult;
    try {
      result = await suite.gw.gql('{ viewer { email } devices(first: 1) { totalCount } }', { as: ADA });
    } finally {
      suite.gw.app.simulators.harmony!.clearFaults();
    }
    expect(result.status, JSON.stringify(result.body)).toBe(502);
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony' });
  });

  for (const kind of FAULT_KINDS) {
    it(kind.name, async () => {
      // External users were never needed for the caller: with their copy gone they must fail.
      const result = await underFault(suite, 'harmony', kind, ['harmony:external-users']);
      expectIsolated(result, suite.baseline, 'harmony', kind, ['externalUsers', 'person.externalUser']);
      // The caller and the lists read again were served from copies AGE_MS old, and say so.
      expect(staleOf(result), JSON.stringify(result.body).slice(0, 2000)).toEqual(
        ['environments', 'harmonyUsers', 'roles', 'viewer'].map((field) => ({ upstream: 'harmony', field, ageSeconds: AGE_MS / 1000 })),
      );
    });
  }
});
