import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteExpiredIdempotencyKeys,
  findIdempotent,
  saveIdempotent,
  type SaveIdempotentInput,
} from '../../../src/store/idempotency.repository.js';
import { backends, uniqueEmail, type TestStore } from './backends.js';

describe.each(backends)('idempotency repository on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  const input = (overrides: Partial<SaveIdempotentInput> = {}): SaveIdempotentInput => ({
    principalEmail: uniqueEmail('idem'),
    key: 'key-1',
    operation: 'sendDeviceCommand',
    requestHash: 'hash-a',
    response: { results: [{ deviceId: '1', status: 'ACCEPTED', errorCode: null }] },
    ttlSeconds: 3600,
    ...overrides,
  });

  const expire = (email: string, key: string) =>
    store.db
      .updateTable('idempotency_keys')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('principal_email', '=', email)
      .where('key', '=', key)
      .execute();

  it('saves a response and finds it again, case-insensitively by email', async () => {
    const first = input();
    const saved = await saveIdempotent(store.db, first);
    expect(saved.status).toBe('saved');
    expect(saved.record.expiresAt.getTime()).toBeGreaterThan(saved.record.createdAt.getTime() + 3500_000);

    const found = await findIdempotent(store.db, { principalEmail: first.principalEmail.toUpperCase(), key: 'key-1' });
    expect(found).toMatchObject({ operation: 'sendDeviceCommand', requestHash: 'hash-a', response: first.response });
  });

  it('replays the stored record when the same request is saved again', async () => {
    const first = input();
    await saveIdempotent(store.db, first);
    const again = await saveIdempotent(store.db, { ...first, response: { other: true } });
    expect(again).toMatchObject({ status: 'replay', record: { response: first.response } });
  });

  it('reports a conflict for other arguments or another operation under the same key', async () => {
    const first = input();
    await saveIdempotent(store.db, first);
    expect((await saveIdempotent(store.db, { ...first, requestHash: 'hash-b' })).status).toBe('conflict');
    expect((await saveIdempotent(store.db, { ...first, operation: 'addTag' })).status).toBe('conflict');
    expect((await findIdempotent(store.db, first))?.requestHash).toBe('hash-a');
  });

  it('keeps keys apart per principal', async () => {
    const a = input();
    const b = input({ requestHash: 'hash-b' });
    expect((await saveIdempotent(store.db, a)).status).toBe('saved');
    expect((await saveIdempotent(store.db, b)).status).toBe('saved');
  });

  it('settles concurrent saves of one key on a single stored record', async () => {
    const first = input();
    const results = await Promise.all([saveIdempotent(store.db, first), saveIdempotent(store.db, { ...first, requestHash: 'hash-b' })]);
    expect(results.map((result) => result.status).sort()).toEqual(['conflict', 'saved']);
  });

  it('treats an expired key as absent and lets the next save take it over', async () => {
    const first = input();
    await saveIdempotent(store.db, first);
    await expire(normalize(first.principalEmail), first.key);
    expect(await findIdempotent(store.db, first)).toBeUndefined();

    const retaken = await saveIdempotent(store.db, { ...first, requestHash: 'hash-b', response: 'new' });
    expect(retaken).toMatchObject({ status: 'saved', record: { requestHash: 'hash-b', response: 'new' } });
  });

  it('deletes expired keys only', async () => {
    const live = input();
    const dead = input();
    await saveIdempotent(store.db, live);
    await saveIdempotent(store.db, dead);
    await expire(normalize(dead.principalEmail), dead.key);
    expect(await deleteExpiredIdempotencyKeys(store.db)).toBeGreaterThanOrEqual(1);
    expect(await findIdempotent(store.db, live)).toBeDefined();
    const rows = await store.db.selectFrom('idempotency_keys').select('key').where('principal_email', '=', normalize(dead.principalEmail)).execute();
    expect(rows).toEqual([]);
  });

  it('rejects a non-positive time to live', async () => {
    await expect(saveIdempotent(store.db, input({ ttlSeconds: 0 }))).rejects.toThrow(RangeError);
  });
});

const normalize = (email: string) => email.toLowerCase();
