/**
 * The APQ store is bounded (issue 15): registration is budgeted per principal (past it the
 * document runs, unstored), a document the gateway refuses is never stored, and the store keeps at
 * most APQ_MAX_ENTRIES, evicting the least recently used (bytes and age: the store suite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { HEAVY_DOCUMENTS } from '../../helpers/heavy-documents.js';
import { ADA, call, sha256, type Auth } from './helpers.js';

const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
/** A valid document of its own (distinct hash) for each n. */
const documentNumber = (n: number, tag = 'Doc') => `query ${tag}${n} { viewer { email } }`;

describe('APQ registration and the bounded store', () => {
  let gw: TestGateway;
  let rita: Auth;
  let ada: Auth;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_APQ_BURST: '3', RATE_LIMIT_APQ_PER_MINUTE: '1', APQ_MAX_ENTRIES: '4' });
    rita = { jwt: await gw.token('rita.reader@demo.example') };
    ada = { jwt: await gw.token(ADA) };
  }, 120_000);
  afterAll(() => gw?.close());

  const stored = async () => (await gw.app.services.db.selectFrom('apq_documents').select(['hash']).execute()).map((r) => r.hash);
  const register = (auth: Auth, text: string) => call<{ viewer: { email: string } }>(gw, auth, { query: text, extensions: apq(sha256(text)) });
  const metric = async (outcome: string) => {
    const values = (await gw.app.registry.getSingleMetric('gateway_apq_registrations_total')?.get())?.values ?? [];
    return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  };

  it('never stores a document the gateway refuses: over the size limit, failing validation, too costly to validate', async () => {
    const refused = [
      `query Big { viewer { email } } # ${'x'.repeat(gw.app.config.safety.limits.documentBytes)}`,
      'query Invalid { viewer { nonsense } }',
      HEAVY_DOCUMENTS.repeatedNested,
      `query Costly { devices(first: 500) { nodes { apps { bundleId } } } }`,
    ];
    for (const text of refused) {
      const result = await register(ada, text);
      expect(result.status, JSON.stringify(result.body).slice(0, 300)).toBe(400);
      expect(errorCodes(result)[0]).toMatch(/^(QUERY_TOO_COMPLEX|BAD_USER_INPUT)$/);
    }
    expect(await stored()).toEqual([]);
    expect(await metric('stored')).toBe(0);
    expect(await metric('limited')).toBe(0);
  });

  it("budgets registrations per principal: past it the document runs but is not stored", async () => {
    const texts = Array.from({ length: 5 }, (_, n) => documentNumber(n, 'Rita'));
    for (const text of texts) {
      const result = await register(rita, text);
      expect(result.body.errors, JSON.stringify(result.body)).toBeUndefined();
      expect(result.body.data?.viewer.email).toBe('rita.reader@demo.example');
    }
    const kept = await stored();
    expect(texts.filter((t) => kept.includes(sha256(t)))).toHaveLength(3);
    expect(await metric('limited')).toBe(2);
    // The unstored one: the hash alone is a miss, as for any unknown document (the client sends the text again).
    const miss = await call(gw, rita, { extensions: apq(sha256(texts[4]!)) });
    expect(errorCodes(miss)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('keeps at most APQ_MAX_ENTRIES, evicting the least recently used', async () => {
    const texts = Array.from({ length: 3 }, (_, n) => documentNumber(n, 'Ada'));
    for (const text of texts) expect((await register(ada, text)).body.errors).toBeUndefined();
    const kept = await stored();
    expect(kept).toHaveLength(4);
    // Ada's three are the most recent; one of Rita's older ones is left.
    for (const text of texts) expect(kept).toContain(sha256(text));
    const byHash = await call<{ viewer: { email: string } }>(gw, ada, { extensions: apq(sha256(texts[2]!)) });
    expect(byHash.body.data?.viewer.email).toBe(ADA);
  });
});
