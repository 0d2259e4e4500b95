/**
 * No 500 from any request body (issue 15): a corpus of malformed and hostile requests, then a few
 * hundred generated ones (seeded: a failure names the seed and index to replay), thrown at
 * /graphql and /export as an admin, as a partner and without credentials. Every answer is JSON;
 * no status is 5xx; every error carries a contract code; the corpus is refused with a 4xx. The
 * gateway still answers a normal request afterwards and logged no unexpected error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { generateHostile, hostileCorpus, type HostileRequest } from '../../helpers/hostile.js';
import { ADMIN, deepQuery } from './safety.kit.js';

const CODES = new Set<string>(Object.values(ErrorCode));
const SEED = Number(process.env.HOSTILE_SEED ?? 1515);
const GENERATED = Number(process.env.HOSTILE_COUNT ?? 300);

interface Answer {
  status: number;
  errors: { extensions?: { code?: unknown } }[];
  describe: string;
}

describe('hostile request bodies', () => {
  let gw: TestGateway;
  let callers: { name: string; headers: Record<string, string> }[];
  beforeAll(async () => {
    // Rate limits out of the way: this suite is about what each request gets, not how many.
    gw = await startTestGateway({
      RATE_LIMIT_HARMONY_USER_BURST: '100000',
      RATE_LIMIT_EXTERNAL_USER_BURST: '100000',
      RATE_LIMIT_API_KEY_BURST: '100000',
      RATE_LIMIT_AUDIT_BURST: '100000',
    });
    const { plainKey } = await gw.app.services.store.apiKeys.createApiKey({ ownerEmail: 'pat.partner@partner.example', kind: 'EXTERNAL_USER', label: 'hostile', createdBy: ADMIN });
    callers = [
      { name: 'admin', headers: { authorization: `Bearer ${await gw.token(ADMIN)}` } },
      { name: 'partner', headers: { 'x-api-key': plainKey } },
      { name: 'anonymous', headers: {} },
    ];
    expectData(await gw.gql('{ viewer { email } }', { as: ADMIN }));
  }, 120_000);
  afterAll(() => gw?.close());

  async function send(request: HostileRequest, caller: { name: string; headers: Record<string, string> }): Promise<Answer> {
    const res = await fetch(`${gw.url}${request.path}`, { method: request.method, headers: { ...request.headers, ...caller.headers }, body: request.body });
    const text = await res.text();
    const describe = `${request.name} as ${caller.name}: ${request.method} ${request.path.slice(0, 200)}\nstatus ${res.status}, request id ${res.headers.get('x-request-id')}\n${text.slice(0, 500)}`;
    if (res.status === 200 && request.path.startsWith('/export') && !(res.headers.get('content-type') ?? '').includes('json')) {
      return { status: res.status, errors: [], describe }; // a CSV export that ran
    }
    let body: { errors?: Answer['errors'] };
    try {
      body = JSON.parse(text.split('\n')[0] ?? '') as { errors?: Answer['errors'] };
    } catch {
      body = JSON.parse(text) as { errors?: Answer['errors'] };
    }
    return { status: res.status, errors: body.errors ?? [], describe };
  }

  function expectCoded(answer: Answer) {
    expect(answer.status, answer.describe).toBeLessThan(500);
    for (const error of answer.errors) expect(CODES.has(String(error.extensions?.code)), answer.describe).toBe(true);
    if (answer.status >= 400) expect(answer.errors.length, answer.describe).toBeGreaterThan(0);
  }

  it('refuses every request of the corpus with a coded 4xx, for every kind of caller', async () => {
    const corpus = [...hostileCorpus(), { name: 'selections 1,500 deep', method: 'POST' as const, path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: deepQuery(1_500) }) }];
    for (const caller of callers) {
      for (const request of corpus) {
        const answer = await send(request, caller);
        expectCoded(answer);
        expect(answer.status, answer.describe).toBeGreaterThanOrEqual(400);
      }
    }
  }, 300_000);

  it(`answers ${GENERATED} generated requests (seed ${SEED}) without a 5xx, every error coded`, async () => {
    const generated = generateHostile(SEED, GENERATED);
    for (const [i, request] of generated.entries()) {
      const answer = await send(request, callers[i % callers.length]!);
      expectCoded(answer);
    }
  }, 300_000);

  it('still answers a normal request, and logged no unexpected error', async () => {
    expect(expectData(await gw.gql<{ viewer: { email: string } }>('{ viewer { email } }', { as: ADMIN })).viewer.email).toBe(ADMIN);
    const lines = gw.logs.text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg?: string });
    const unexpected = lines.filter((l) => l.msg === 'request failed' || l.msg === 'unexpected error while executing an operation');
    expect(unexpected.map((l) => JSON.stringify(l).slice(0, 500))).toEqual([]);
  });
});
