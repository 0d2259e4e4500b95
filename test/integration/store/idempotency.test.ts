import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimKey,
  completeKey,
  deleteExpiredKeys,
  findKey,
  interruptAbandoned,
  interruptKey,
  listTargets,
  markSending,
  recordResults,
  releaseKey,
  renewLease,
  takeOverKey,
  type NewClaim,
} from '../../../src/store/idempotency.repository.js';
import { backends, openPostgresSchema, uniqueEmail, type TestStore } from './backends.js';

describe.each(backends)('idempotency repository on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  const claim = (overrides: Partial<NewClaim> = {}): NewClaim => ({
    principalEmail: uniqueEmail('idem'),
    key: 'key-1',
    operation: 'sendDeviceCommand',
    requestHash: 'hash-a',
    targets: ['101', '102', '103'],
    owner: 'instance-a',
    leaseSeconds: 30,
    ttlSeconds: 3600,
    ...overrides,
  });

  const age = (c: NewClaim, column: 'expires_at' | 'lease_expires_at') =>
    store.db
      .updateTable('idempotency_keys')
      .set({ [column]: sql<Date>`now() - interval '1 second'` })
      .where('principal_email', '=', c.principalEmail.toLowerCase())
      .where('key', '=', c.key)
      .execute();
  const states = async (c: NewClaim) => (await listTargets(store.db, c)).map((t) => `${t.target}:${t.state}`);

  it('claims a key IN_FLIGHT with its targets PENDING, once: a second claim finds it taken', async () => {
    const c = claim();
    const first = await claimKey(store.db, c);
    expect(first).toMatchObject({ status: 'claimed', record: { state: 'IN_FLIGHT', owner: 'instance-a', response: null } });
    expect(first.record.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await states(c)).toEqual(['101:PENDING', '102:PENDING', '103:PENDING']);

    const second = await claimKey(store.db, { ...c, owner: 'instance-b', principalEmail: c.principalEmail.toUpperCase() });
    expect(second).toMatchObject({ status: 'taken', record: { owner: 'instance-a', requestHash: 'hash-a' } });
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const c = claim();
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((owner) => claimKey(store.db, { ...c, owner })));
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    const winner = results.find((r) => r.status === 'claimed')!.record.owner;
    expect(results.every((r) => r.record.owner === winner)).toBe(true);
  });

  it('records progress only for the owner: SENDING before the call, DONE with the result after', async () => {
    const c = claim();
    await claimKey(store.db, c);
    expect(await markSending(store.db, c, 'intruder', ['101'], 1)).toBe(false);
    expect(await markSending(store.db, c, 'instance-a', ['101', '102'], 1)).toBe(true);
    expect(await recordResults(store.db, c, 'intruder', [{ target: '101', result: { status: 'ACCEPTED' } }])).toBe(false);
    expect(await recordResults(store.db, c, 'instance-a', [{ target: '101', result: { status: 'ACCEPTED' } }])).toBe(true);
    const targets = await listTargets(store.db, c);
    expect(targets.map((t) => [t.target, t.state, t.batch])).toEqual([
      ['101', 'DONE', 1],
      ['102', 'SENDING', 1],
      ['103', 'PENDING', null],
    ]);
    expect(targets[0]?.result).toEqual({ status: 'ACCEPTED' });
    expect(targets[1]?.sentAt).toBeInstanceOf(Date);
  });

  it('completes with the response; a completed key is found and cannot be completed twice', async () => {
    const c = claim();
    await claimKey(store.db, c);
    expect(await completeKey(store.db, c, 'instance-b', { n: 0 })).toBe(false);
    expect(await completeKey(store.db, c, 'instance-a', { n: 1 })).toBe(true);
    expect(await findKey(store.db, c)).toMatchObject({ state: 'COMPLETED', response: { n: 1 }, owner: null });
    // The answer holds every target's result: their progress rows go.
    expect(await listTargets(store.db, c)).toEqual([]);
    expect(await completeKey(store.db, c, 'instance-a', { n: 2 })).toBe(false);
    expect(await renewLease(store.db, c, 'instance-a', 30)).toBe(false);
  });

  it('releases a claim under which nothing was sent, so the key is free again', async () => {
    const c = claim();
    await claimKey(store.db, c);
    expect(await releaseKey(store.db, c, 'instance-a')).toBe(true);
    expect(await findKey(store.db, c)).toBeUndefined();
    expect(await listTargets(store.db, c)).toEqual([]);
    expect((await claimKey(store.db, { ...c, owner: 'instance-b' })).status).toBe('claimed');
  });

  it('on interruption, SENDING targets become UNKNOWN and PENDING ones NOT_SENT', async () => {
    const c = claim();
    await claimKey(store.db, c);
    await recordResults(store.db, c, 'instance-a', [{ target: '101', result: { status: 'SKIPPED' } }]);
    await markSending(store.db, c, 'instance-a', ['102'], 1);
    expect(await interruptKey(store.db, c, 'instance-a')).toBe(true);
    expect(await findKey(store.db, c)).toMatchObject({ state: 'INTERRUPTED', owner: null });
    expect(await states(c)).toEqual(['101:DONE', '102:UNKNOWN', '103:NOT_SENT']);
  });

  it('takes over an interrupted claim, or one whose lease ran out, but never a live one', async () => {
    const live = claim();
    await claimKey(store.db, live);
    expect(await takeOverKey(store.db, live, 'instance-b', 30)).toBeUndefined();
    await markSending(store.db, live, 'instance-a', ['101'], 1);
    await age(live, 'lease_expires_at');
    expect(await takeOverKey(store.db, live, 'instance-b', 30)).toMatchObject({ state: 'IN_FLIGHT', owner: 'instance-b' });
    expect(await states(live)).toEqual(['101:UNKNOWN', '102:NOT_SENT', '103:NOT_SENT']);
    // The old owner is fenced off: it can neither send nor record.
    expect(await markSending(store.db, live, 'instance-a', ['102'], 2)).toBe(false);
    expect(await completeKey(store.db, live, 'instance-a', {})).toBe(false);
    expect(await renewLease(store.db, live, 'instance-b', 30)).toBe(true);

    const done = claim();
    await claimKey(store.db, done);
    await completeKey(store.db, done, 'instance-a', {});
    expect(await takeOverKey(store.db, done, 'instance-b', 30)).toBeUndefined();
  });

  it('marks abandoned claims interrupted: those past their lease, or all of them when asked', async () => {
    const expired = claim();
    const alive = claim();
    await claimKey(store.db, expired);
    await claimKey(store.db, alive);
    await markSending(store.db, expired, 'instance-a', ['101', '102'], 1);
    await age(expired, 'lease_expires_at');

    const recovered = await interruptAbandoned(store.db, { all: false });
    const mine = recovered.find((r) => r.principalEmail === expired.principalEmail.toLowerCase());
    expect(mine).toMatchObject({ state: 'INTERRUPTED', targetCounts: { UNKNOWN: 2, NOT_SENT: 1 } });
    expect(recovered.some((r) => r.principalEmail === alive.principalEmail.toLowerCase())).toBe(false);
    expect((await findKey(store.db, alive))?.state).toBe('IN_FLIGHT');

    const all = await interruptAbandoned(store.db, { all: true });
    expect(all.some((r) => r.principalEmail === alive.principalEmail.toLowerCase())).toBe(true);
    expect((await findKey(store.db, alive))?.state).toBe('INTERRUPTED');
  });

  it('treats an expired key as absent: the next claim takes it over with fresh targets', async () => {
    const c = claim();
    await claimKey(store.db, c);
    await completeKey(store.db, c, 'instance-a', { old: true });
    await age(c, 'expires_at');
    expect(await findKey(store.db, c)).toBeUndefined();
    const retaken = await claimKey(store.db, { ...c, requestHash: 'hash-b', targets: ['201'], owner: 'instance-b' });
    expect(retaken).toMatchObject({ status: 'claimed', record: { requestHash: 'hash-b', owner: 'instance-b', response: null } });
    expect(await states(c)).toEqual(['201:PENDING']);
  });

  it('deletes expired keys nobody holds, with their targets', async () => {
    const live = claim();
    const dead = claim();
    await claimKey(store.db, live);
    await claimKey(store.db, dead);
    await completeKey(store.db, dead, 'instance-a', {});
    await age(dead, 'expires_at');
    expect(await deleteExpiredKeys(store.db)).toBeGreaterThanOrEqual(1);
    expect(await findKey(store.db, live)).toBeDefined();
    expect(await listTargets(store.db, dead)).toEqual([]);
  });

  it('rejects a non-positive time to live or lease', async () => {
    await expect(claimKey(store.db, claim({ ttlSeconds: 0 }))).rejects.toThrow(RangeError);
    await expect(claimKey(store.db, claim({ leaseSeconds: 0 }))).rejects.toThrow(RangeError);
  });

  if (backend.name === 'postgres') {
    it('lets exactly one of two connections pools (two gateway instances) claim a key', async () => {
      const other = await openPostgresSchema(process.env.TEST_DATABASE_URL!, store.schema!);
      try {
        const c = claim({ targets: Array.from({ length: 2500 }, (_, i) => String(1000 + i)) });
        const results = await Promise.all([claimKey(store.db, c), claimKey(other.db, { ...c, owner: 'instance-b' })]);
        expect(results.map((r) => r.status).sort()).toEqual(['claimed', 'taken']);
        expect(await listTargets(other.db, c)).toHaveLength(2500);
      } finally {
        await other.close();
      }
    });
  }
});
