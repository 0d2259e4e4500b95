/**
 * Abuse costs the abuser (issue 15): a refused multi-field mutation writes one audit row per
 * request, naming its fields, however many it repeats; a flood of them is answered 429 past the
 * sender's burst; and audit rows per principal are limited: refusal rows past the budget are
 * dropped and counted in the next row, changes past it are refused with nothing changed.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import type { AuditEvent } from '../../../src/store/audit.repository.js';
import { ADMIN, JSON_HEADERS, codesOf, raw } from './safety.kit.js';

const PAT = 'pat.partner@partner.example';

/** Repeats `attempt` until `done` holds, for at most 30 s. */
async function until<T>(attempt: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await attempt();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const RITA = 'rita.reader@demo.example';

/** 20 KB of free text: 1,800 root selections of one mutation field. */
const FLOOD = `mutation Flood { ${'removeRole '.repeat(1_800)}}`;

describe('audit rows of refusals', () => {
  let gw: TestGateway;
  let partnerKey: string;
  beforeAll(async () => {
    gw = await startTestGateway({
      RATE_LIMIT_EXTERNAL_USER_BURST: '10',
      RATE_LIMIT_EXTERNAL_USER_PER_SECOND: '1',
      RATE_LIMIT_API_KEY_BURST: '10',
      RATE_LIMIT_API_KEY_PER_SECOND: '1',
      RATE_LIMIT_AUDIT_BURST: '5',
      RATE_LIMIT_AUDIT_PER_SECOND: '1',
      RATE_LIMIT_AUDIT_REFUSAL_BURST: '100',
      RATE_LIMIT_AUDIT_REFUSAL_PER_MINUTE: '60',
    });
    partnerKey = (await gw.app.services.store.apiKeys.createApiKey({ ownerEmail: PAT, kind: 'EXTERNAL_USER', label: 'flood', createdBy: ADMIN })).plainKey;
  }, 120_000);
  afterAll(() => gw?.close());

  const rowsOf = async (email: string): Promise<AuditEvent[]> => (await gw.app.services.store.audit.listAuditEvents({ principalEmail: email }, 500)).events;
  /** Sets a token bucket (negative: that many seconds of refill at 1/s before the next token). */
  const setBucket = (key: string, tokens: number) =>
    sql`insert into rate_limit_buckets (key, tokens, updated_at) values (${key}, ${tokens}, now())
        on conflict (key) do update set tokens = excluded.tokens, updated_at = now()`.execute(gw.app.services.db);
  const setAuditBucket = (email: string, kind: string, tokens: number) => setBucket(`audit:${kind}:${email}`, tokens);
  const setRefusalBucket = (email: string, kind: string, tokens: number) => setBucket(`audit-refusal:${kind}:${email}`, tokens);

  it('writes one row per refused request, with the field list, and answers a flood 429 past the burst', async () => {
    const body = JSON.stringify({ query: FLOOD });
    expect(body.length).toBeGreaterThan(19_000);
    // The first request alone: one row, however many root fields it repeats.
    const first = await raw(gw, { body, headers: { ...JSON_HEADERS, 'x-api-key': partnerKey } });
    expect(codesOf(first)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    const [row, ...others] = await rowsOf(PAT);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ field: 'removeRole', operationName: 'Flood', outcome: 'DENIED', errorCodes: ['PERSISTED_QUERY_REQUIRED'], principalKind: 'EXTERNAL_USER' });
    expect(row?.details).toEqual({ fields: ['removeRole'], rootFields: 1_800 });

    // A flood: answered 429 past the burst (10), and never more than one row per request refused.
    const flood = await Promise.all(Array.from({ length: 40 }, () => raw(gw, { body, headers: { ...JSON_HEADERS, 'x-api-key': partnerKey } })));
    const statuses = flood.map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(10);
    for (const r of flood) expect(codesOf(r), r.text.slice(0, 200)).toEqual([r.status === 429 ? 'RATE_LIMITED' : 'PERSISTED_QUERY_REQUIRED']);
    const refusedRows = await rowsOf(PAT);
    expect(refusedRows.length).toBeLessThanOrEqual(1 + statuses.filter((s) => s === 400).length);
  });

  it('names every field of a multi-field refusal, in one row cut to the token limit', async () => {
    const fields = Array.from({ length: 3_000 }, (_, i) => `f${i}: ${i % 2 ? 'createRole' : 'sendDeviceCommand'}(input: {})`).join(' ');
    // The flood emptied the partner's buckets: fill them again.
    await setRefusalBucket(PAT, 'EXTERNAL_USER', 5);
    await setBucket(`principal:EXTERNAL_USER:${PAT}`, 10);
    await setBucket(`apikey:${createHash('sha256').update(partnerKey).digest('hex').slice(0, 32)}`, 10);
    const before = (await rowsOf(PAT)).length;
    // The gateway remembers the flood's refusals for up to a second: ask until it asks the buckets again.
    const send = () => raw(gw, { body: JSON.stringify({ query: `mutation Mixed { ${fields} }` }), headers: { ...JSON_HEADERS, 'x-api-key': partnerKey } });
    const result = await until(send, (r) => r.status !== 429);
    expect(codesOf(result), result.text.slice(0, 300)).toEqual(['PERSISTED_QUERY_REQUIRED']);
    const rows = await rowsOf(PAT);
    expect(rows.length).toBe(before + 1);
    expect(rows[0]).toMatchObject({ field: 'sendDeviceCommand,createRole', operationName: 'Mixed' });
    expect(rows[0]?.details).toMatchObject({ fields: ['sendDeviceCommand', 'createRole'], readUpToTokenLimit: true });
  });

  it('drops refusal rows past the refusal audit budget and says so in the next row', async () => {
    const deny = () => gw.gql('mutation Sneak { createRole(input: { name: "x", permissions: [READ] }) { role { id } } }', { as: RITA });
    expect(errorCodes(await deny())).toEqual(['FORBIDDEN']);
    const [row] = await rowsOf(RITA);
    expect(row).toMatchObject({ field: 'createRole', outcome: 'DENIED', errorCodes: ['FORBIDDEN'] });

    // Over budget: thirty seconds of refill owed. The requests are answered; their rows are dropped.
    await setRefusalBucket(RITA, 'HARMONY_USER', -30);
    for (let i = 0; i < 3; i++) expect(errorCodes(await deny())).toEqual(['FORBIDDEN']);
    expect(await rowsOf(RITA)).toHaveLength(1);
    const suppressed = await gw.app.registry.getSingleMetric('gateway_audit_rows_suppressed_total')?.get();
    expect(suppressed?.values[0]?.value).toBeGreaterThanOrEqual(3);

    // Within budget again: the next row written (once the refusal is no longer remembered, at most a
    // second) says how many were dropped before it.
    await setRefusalBucket(RITA, 'HARMONY_USER', 5);
    const rows = await until(
      async () => {
        await deny();
        return rowsOf(RITA);
      },
      (r) => r.length > 1,
    );
    expect(rows).toHaveLength(2);
    expect((rows[0]?.details as { suppressedBefore: number }).suppressedBefore).toBeGreaterThanOrEqual(3);
  });

  it('refuses a change past the audit budget (RATE_LIMITED, bucket audit) and changes nothing', async () => {
    await setAuditBucket(ADMIN, 'HARMONY_USER', -30);
    const created = await gw.gql('mutation { createRole(input: { name: "Over Budget", permissions: [READ] }) { role { id } } }', { as: ADMIN });
    expect(errorCodes(created)).toEqual(['RATE_LIMITED']);
    expect(created.body.errors?.[0]?.extensions).toMatchObject({ bucket: 'audit', retryAfterSeconds: expect.any(Number) });
    const roles = await gw.gql<{ roles: { name: string }[] }>('{ roles { name } }', { as: ADMIN });
    expect(roles.body.data?.roles.map((r) => r.name)).not.toContain('Over Budget');
    expect((await rowsOf(ADMIN)).filter((e) => e.field === 'createRole')).toEqual([]);
  });
});
