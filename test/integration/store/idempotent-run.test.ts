/**
 * The idempotency runner (src/idempotency/) on both backends: one execution per key whatever the
 * concurrency, waiting and IDEMPOTENCY_IN_PROGRESS, reuse, release when nothing was sent,
 * interruption and reconciliation, fencing of an owner that lost its claim, and the sweep that
 * completes an interrupted request's audit row.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { createIdempotency, ClaimLostError, type IdempotentHandlers, type IdempotentRequest, type Interruption } from '../../../src/idempotency/idempotent-run.js';
import { startIdempotencySweep } from '../../../src/idempotency/sweep.js';
import { createLogger } from '../../../src/logger.js';
import { boundStore } from '../../../src/store/bound.js';
import type { JsonValue } from '../../../src/store/database.types.js';
import { backends, uniqueEmail, type TestStore } from './backends.js';

const logger = createLogger('silent');
const settings = { ttlSeconds: 3600, waitMs: 120_000, leaseSeconds: 30 };

/** A promise the test resolves by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe.each(backends)('idempotent runs on $name', (backend) => {
  let store: TestStore;
  let bound: ReturnType<typeof boundStore>;
  beforeAll(async () => {
    store = await backend.open();
    bound = boundStore(store.db);
  });
  afterAll(async () => {
    await store.dispose();
  });

  const service = (overrides: Partial<typeof settings> = {}, owner?: string) =>
    createIdempotency({ store: bound.idempotency, logger, settings: { ...settings, ...overrides }, owner });
  const request = (overrides: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
    principalEmail: uniqueEmail('run'),
    key: 'k',
    operation: 'op',
    fingerprint: 'fp',
    targets: ['1', '2', '3'],
    ...overrides,
  });
  /** Handlers that send every target in one batch and answer `{ sent: n }`. */
  const sender = (calls: { n: number }, hold?: Promise<void>): IdempotentHandlers<JsonValue> => ({
    async execute(progress) {
      await progress.sending(['1', '2', '3']);
      calls.n++;
      await hold;
      await progress.done(new Map(['1', '2', '3'].map((t) => [t, 'ok'])));
      return { sent: calls.n };
    },
    recover: async () => {
      throw new Error('not expected');
    },
  });
  const stateOf = async (r: IdempotentRequest) => (await bound.idempotency.findKey(r))?.state;

  it('executes once for concurrent runs of one key (in one process and across two), all answering alike', async () => {
    const r = request();
    const calls = { n: 0 };
    const one = service();
    const other = service({}, 'another-process');
    const runs = await Promise.all([one, one, other, one, other, other].map((s) => s.run(r, sender(calls))));
    expect(calls.n).toBe(1);
    expect(runs.map((x) => x.response)).toEqual(Array(6).fill({ sent: 1 }));
    expect(runs.filter((x) => x.source === 'executed')).toHaveLength(1);
    expect(await stateOf(r)).toBe('COMPLETED');
  });

  it('answers IDEMPOTENCY_IN_PROGRESS once the wait is over, then the stored answer', async () => {
    const r = request();
    const calls = { n: 0 };
    const hold = gate();
    const first = service().run(r, sender(calls, hold.opened));
    // The first has claimed the key once its batch is recorded as being sent.
    const sending = async () => {
      const targets = await bound.idempotency.listTargets(r);
      return targets.length > 0 && targets.every((t) => t.state === 'SENDING');
    };
    for (let i = 0; i < 600 && !(await sending()); i++) await new Promise((res) => setTimeout(res, 50));
    const impatient = await service({ waitMs: 0 }, 'impatient').run(r, sender(calls)).catch((e: unknown) => e);
    expect(impatient).toBeInstanceOf(GraphQLError);
    expect((impatient as GraphQLError).extensions).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS', retryAfterSeconds: 1 });
    hold.open();
    expect((await first).source).toBe('executed');
    expect(await service({ waitMs: 0 }).run(r, sender(calls))).toEqual({ response: { sent: 1 }, source: 'replayed' });
    expect(calls.n).toBe(1);
  });

  it('refuses the key for another input or another operation', async () => {
    const r = request();
    await service().run(r, sender({ n: 0 }));
    for (const other of [{ fingerprint: 'other' }, { operation: 'otherOp' }]) {
      const err = await service().run({ ...r, ...other }, sender({ n: 0 })).catch((e: unknown) => e);
      expect((err as GraphQLError).extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
  });

  it('frees the key when the run fails before sending anything', async () => {
    const r = request();
    const failing: IdempotentHandlers<JsonValue> = { execute: async () => Promise.reject(new Error('upstream read failed')), recover: async () => ({ response: null, settled: true }) };
    await expect(service().run(r, failing)).rejects.toThrow('upstream read failed');
    expect(await bound.idempotency.findKey(r)).toBeUndefined();
    expect((await service().run(r, sender({ n: 0 }))).source).toBe('executed');
  });

  it('leaves the key interrupted when the run fails after sending; the next run reconciles what the record says', async () => {
    const r = request();
    const crashing: IdempotentHandlers<JsonValue> = {
      async execute(progress) {
        await progress.decided(new Map([['1', 'refused']]));
        await progress.sending(['2']);
        throw new Error('process state lost');
      },
      recover: async () => ({ response: null, settled: true }),
    };
    await expect(service().run(r, crashing)).rejects.toThrow('process state lost');
    expect(await stateOf(r)).toBe('INTERRUPTED');

    let seen: Interruption | undefined;
    const reconciling: IdempotentHandlers<JsonValue> = {
      execute: async () => Promise.reject(new Error('must not execute again')),
      async recover(interruption, progress) {
        seen = interruption;
        await progress.done(new Map([['2', 'confirmed'], ['3', 'not sent']]));
        return { response: { reconciled: true }, settled: true, reconciled: ['2'] };
      },
    };
    const recovered = await service().run(r, reconciling);
    expect(recovered).toEqual({ response: { reconciled: true }, source: 'recovered', reconciled: ['2'] });
    expect(seen?.targets.map((t) => [t.target, t.state, t.result])).toEqual([
      ['1', 'DONE', 'refused'],
      ['2', 'UNKNOWN', null],
      ['3', 'NOT_SENT', null],
    ]);
    expect(seen?.startedAt).toBeInstanceOf(Date);
    expect(await service().run(r, reconciling)).toEqual({ response: { reconciled: true }, source: 'replayed' });
  });

  it('keeps the key interrupted when the reconciliation is not settled, and reconciles again next time', async () => {
    const r = request();
    await bound.idempotency.claimKey({ ...r, requestHash: r.fingerprint, owner: 'gone', leaseSeconds: 30, ttlSeconds: 3600 });
    await bound.idempotency.markSending(r, 'gone', ['1'], 1);
    await bound.idempotency.interruptKey(r, 'gone');
    let attempts = 0;
    const flaky: IdempotentHandlers<JsonValue> = {
      execute: async () => Promise.reject(new Error('must not execute')),
      recover: async () => ({ response: { attempt: ++attempts }, settled: attempts > 1 }),
    };
    expect((await service().run(r, flaky)).response).toEqual({ attempt: 1 });
    expect(await stateOf(r)).toBe('INTERRUPTED');
    expect((await service().run(r, flaky)).response).toEqual({ attempt: 2 });
    expect(await stateOf(r)).toBe('COMPLETED');
  });

  it('takes over a claim whose lease ran out, and fences its old owner off', async () => {
    const r = request();
    const hold = gate();
    let lostAt: unknown;
    const slow: IdempotentHandlers<JsonValue> = {
      async execute(progress) {
        await progress.sending(['1']);
        await hold.opened;
        lostAt = await progress.sending(['2']).catch((e: unknown) => e);
        return { old: true };
      },
      recover: async () => ({ response: null, settled: true }),
    };
    const stale = service({ leaseSeconds: 3600 }, 'stale-owner').run(r, slow);
    for (let i = 0; i < 600 && (await bound.idempotency.listTargets(r))[0]?.state !== 'SENDING'; i++) await new Promise((res) => setTimeout(res, 50));
    // The owner stops renewing (as if frozen): its lease runs out.
    await store.db.updateTable('idempotency_keys').set({ lease_expires_at: sql<Date>`now() - interval '1 second'` }).where('key', '=', r.key).where('principal_email', '=', r.principalEmail.toLowerCase()).execute();
    const taken = await service({}, 'rescuer').run(r, {
      execute: async () => Promise.reject(new Error('must not execute')),
      recover: async (interruption) => ({ response: { states: interruption.targets.map((t) => t.state) }, settled: true }),
    });
    expect(taken).toMatchObject({ source: 'recovered', response: { states: ['UNKNOWN', 'NOT_SENT', 'NOT_SENT'] } });
    hold.open();
    expect(await stale).toMatchObject({ response: { old: true } });
    expect(lostAt).toBeInstanceOf(ClaimLostError);
    expect((await bound.idempotency.findKey(r))?.response).toEqual({ states: ['UNKNOWN', 'NOT_SENT', 'NOT_SENT'] });
  });

  it('the sweep marks abandoned claims interrupted and completes their PENDING audit rows', async () => {
    const r = request();
    const audit = await bound.audit.insertAuditEvent({ requestId: 'req-sweep', principalKind: 'HARMONY_USER', principalEmail: r.principalEmail, field: 'sendDeviceCommand', outcome: 'PENDING' });
    await bound.idempotency.claimKey({ ...r, requestHash: r.fingerprint, owner: 'dead', leaseSeconds: 30, ttlSeconds: 3600, auditEventId: audit.id });
    await bound.idempotency.markSending(r, 'dead', ['1', '2'], 1);
    const sweep = await startIdempotencySweep({ store: bound.idempotency, completeAuditEvent: bound.audit.completeAuditEvent, logger, leaseSeconds: 3600, soleOwner: false });
    try {
      expect(await stateOf(r)).toBe('IN_FLIGHT');
      const recovered = await sweep.runOnce(true);
      expect(recovered.map((c) => c.key)).toContain(r.key);
      expect(await stateOf(r)).toBe('INTERRUPTED');
      const row = (await bound.audit.listAuditEvents({ requestId: 'req-sweep' }, 5)).events[0];
      expect(row).toMatchObject({
        outcome: 'PARTIAL',
        errorCodes: ['OUTCOME_UNKNOWN'],
        details: { interrupted: true, targets: { done: 0, mayHaveBeenReached: 2, notSent: 1 } },
      });
    } finally {
      sweep.stop();
    }
  });
});
