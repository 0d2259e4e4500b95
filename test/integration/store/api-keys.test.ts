import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as apiKeys from '../../../src/store/api-keys.repository.js';
import { backends, uniqueEmail, type TestStore } from './backends.js';

describe.each(backends)('api keys repository on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  const create = (overrides: Partial<apiKeys.CreateApiKeyInput> = {}) =>
    apiKeys.createApiKey(store.db, {
      ownerEmail: uniqueEmail('owner'),
      kind: 'EXTERNAL_USER',
      label: 'partner portal',
      createdBy: 'Ada.Admin@demo.example',
      ...overrides,
    });

  it('returns the plain key once and stores only its sha256', async () => {
    const { apiKey, plainKey } = await create();
    expect(plainKey).toMatch(/^uhg_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ prefix: plainKey.slice(0, 12), kind: 'EXTERNAL_USER', label: 'partner portal' });
    expect(apiKey).toMatchObject({ createdBy: 'ada.admin@demo.example', revokedAt: null, lastUsedAt: null, expiresAt: null });

    const row = await store.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(apiKeys.hashApiKey(plainKey));
    expect(JSON.stringify(row)).not.toContain(plainKey);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from api_keys where position(${plainKey} in api_keys::text) > 0`.execute(store.db);
    expect(rows[0]?.n).toBe(0);
  });

  it('finds an active key by its plain value, and nothing for unknown or malformed keys', async () => {
    const { apiKey, plainKey } = await create();
    expect((await apiKeys.findActiveByKey(store.db, plainKey))?.id).toBe(apiKey.id);
    expect(await apiKeys.findActiveByKey(store.db, apiKeys.generateApiKey())).toBeUndefined();
    expect(await apiKeys.findActiveByKey(store.db, plainKey.slice(4))).toBeUndefined();
    expect(await apiKeys.findActiveByKey(store.db, '')).toBeUndefined();
  });

  it('does not find revoked or expired keys; a future expiry still works', async () => {
    const revoked = await create();
    expect(await apiKeys.revoke(store.db, revoked.apiKey.id)).toBe(true);
    expect(await apiKeys.revoke(store.db, revoked.apiKey.id)).toBe(false);
    expect(await apiKeys.findActiveByKey(store.db, revoked.plainKey)).toBeUndefined();

    const expired = await create({ expiresAt: new Date(Date.now() - 1000) });
    expect(await apiKeys.findActiveByKey(store.db, expired.plainKey)).toBeUndefined();

    const future = await create({ expiresAt: new Date(Date.now() + 3600_000) });
    expect(await apiKeys.findActiveByKey(store.db, future.plainKey)).toBeDefined();
  });

  it('revokes nothing for unknown or malformed ids', async () => {
    expect(await apiKeys.revoke(store.db, '00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(await apiKeys.revoke(store.db, 'not-a-uuid')).toBe(false);
  });

  it('records the last use at most once per interval', async () => {
    const { apiKey, plainKey } = await create();
    await apiKeys.touchLastUsed(store.db, apiKey.id);
    const first = (await apiKeys.findActiveByKey(store.db, plainKey))?.lastUsedAt;
    expect(first).toBeInstanceOf(Date);

    await apiKeys.touchLastUsed(store.db, apiKey.id);
    expect((await apiKeys.findActiveByKey(store.db, plainKey))?.lastUsedAt).toEqual(first);

    await store.db.updateTable('api_keys').set({ last_used_at: new Date(Date.now() - 120_000) }).where('id', '=', apiKey.id).execute();
    await apiKeys.touchLastUsed(store.db, apiKey.id);
    const later = (await apiKeys.findActiveByKey(store.db, plainKey))?.lastUsedAt;
    expect(later!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await expect(apiKeys.touchLastUsed(store.db, 'not-a-uuid')).resolves.toBeUndefined();
  });

  it('lists one owner\'s keys newest first, revoked ones only on request', async () => {
    const owner = uniqueEmail('lister');
    const older = await create({ ownerEmail: owner, label: 'older' });
    const newer = await create({ ownerEmail: owner.toUpperCase(), label: 'newer', kind: 'HARMONY_USER' });
    await store.db.updateTable('api_keys').set({ created_at: new Date(Date.now() - 60_000) }).where('id', '=', older.apiKey.id).execute();
    await apiKeys.revoke(store.db, older.apiKey.id);

    expect((await apiKeys.list(store.db, { ownerEmail: owner })).map((key) => key.label)).toEqual(['newer']);
    const all = await apiKeys.list(store.db, { ownerEmail: owner, includeRevoked: true });
    expect(all.map((key) => key.id)).toEqual([newer.apiKey.id, older.apiKey.id]);
    expect(all[1]?.revokedAt).toBeInstanceOf(Date);
    expect((await apiKeys.list(store.db)).some((key) => key.id === newer.apiKey.id)).toBe(true);
  });
});
