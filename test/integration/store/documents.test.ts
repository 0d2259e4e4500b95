import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as documents from '../../../src/store/documents.repository.js';
import { backends, uniqueEmail, type TestStore } from './backends.js';

let counter = 0;
/** A unique document and its sha256, so tests sharing a database never collide on a hash. */
function document(operationName = `Op${++counter}${Math.random().toString(36).slice(2, 8)}`) {
  const body = `query ${operationName} { viewer { email } }`;
  return { body, hash: documents.sha256Hex(body), operationName };
}

describe.each(backends)('documents repository on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  const input = (doc: ReturnType<typeof document>, overrides: Partial<documents.UpsertDocumentInput> = {}) => ({
    ...doc,
    operationType: 'query' as const,
    clientName: 'web',
    apiGroup: null,
    createdBy: 'ada.admin@demo.example',
    ...overrides,
  });

  it('registers a document once per hash; registering again updates its metadata', async () => {
    const doc = document();
    const created = await documents.upsertDocument(store.db, input(doc));
    expect(created).toMatchObject({ status: 'created', document: { hash: doc.hash, body: doc.body, apiGroup: null } });

    const again = await documents.upsertDocument(store.db, input(doc, { hash: `sha256:${doc.hash.toUpperCase()}`, apiGroup: 'device-inventory' }));
    expect(again).toMatchObject({ status: 'updated', document: { hash: doc.hash, apiGroup: 'device-inventory' } });
    expect((await documents.getDocumentByHash(store.db, doc.hash))?.apiGroup).toBe('device-inventory');
  });

  it('refuses another body under a registered hash', async () => {
    const doc = document();
    await documents.upsertDocument(store.db, input(doc));
    const clash = await documents.upsertDocument(store.db, input(doc, { body: 'query Other { viewer { kind } }' }));
    expect(clash).toMatchObject({ status: 'conflict', document: { body: doc.body } });
  });

  it('gets by hash with or without the sha256: prefix, and nothing for unknown hashes', async () => {
    const doc = document();
    await documents.upsertDocument(store.db, input(doc));
    expect((await documents.getDocumentByHash(store.db, `sha256:${doc.hash}`))?.operationName).toBe(doc.operationName);
    expect(await documents.getDocumentByHash(store.db, document().hash)).toBeUndefined();
  });

  it('lists by API group and by client, and removes', async () => {
    const group = uniqueEmail('group');
    const a = document('A' + counter++);
    const b = document('B' + counter++);
    await documents.upsertDocument(store.db, input(b, { apiGroup: group }));
    await documents.upsertDocument(store.db, input(a, { apiGroup: group, clientName: 'partner-cli', operationType: 'mutation' }));

    expect((await documents.listDocuments(store.db, { apiGroup: group })).map((d) => d.operationName)).toEqual([a.operationName, b.operationName]);
    const cli = await documents.listDocuments(store.db, { apiGroup: group, clientName: 'partner-cli' });
    expect(cli).toEqual([expect.objectContaining({ hash: a.hash, operationType: 'mutation', createdAt: expect.any(Date) })]);

    expect(await documents.removeDocument(store.db, a.hash)).toBe(true);
    expect(await documents.removeDocument(store.db, a.hash)).toBe(false);
    expect((await documents.listDocuments(store.db, { apiGroup: group })).map((d) => d.hash)).toEqual([b.hash]);
  });

  it('registers a document under an API (migration 0011), lists by API, and moves it between scopes', async () => {
    const api = uniqueEmail('api');
    const doc = document();
    expect(await documents.upsertDocument(store.db, input(doc, { api }))).toMatchObject({ status: 'created', document: { apiGroup: null, api } });
    expect((await documents.listDocuments(store.db, { api })).map((d) => d.hash)).toEqual([doc.hash]);
    expect(await documents.listDocuments(store.db, { apiGroup: api })).toEqual([]);
    // A document of an API group stores no API; registering it again under an API group clears the API.
    const moved = await documents.upsertDocument(store.db, input(doc, { apiGroup: 'device-inventory', api: null }));
    expect(moved).toMatchObject({ status: 'updated', document: { apiGroup: 'device-inventory', api: null } });
    expect(await documents.listDocuments(store.db, { api })).toEqual([]);
    expect((await documents.upsertDocument(store.db, input(document()))).document.api).toBeNull();
  });

  it('refuses a document under an API group and an API at once (the table\'s check)', async () => {
    const doc = document();
    await expect(documents.upsertDocument(store.db, input(doc, { apiGroup: 'device-inventory', api: 'api-orders' }))).rejects.toThrow(/persisted_documents_one_scope/);
    expect(await documents.getDocumentByHash(store.db, doc.hash)).toBeUndefined();
  });

  describe('APQ', () => {
    it('stores a body under its sha256 and serves it back', async () => {
      const doc = document();
      expect(await documents.getApqDocument(store.db, doc.hash)).toBeUndefined();
      await documents.putApqDocument(store.db, doc.hash, doc.body);
      await documents.putApqDocument(store.db, doc.hash, doc.body);
      expect(await documents.getApqDocument(store.db, doc.hash.toUpperCase())).toBe(doc.body);
    });

    it('refuses a body that does not hash to the given key', async () => {
      const doc = document();
      await expect(documents.putApqDocument(store.db, doc.hash, `${doc.body} `)).rejects.toThrow(/does not match/);
      expect(await documents.getApqDocument(store.db, doc.hash)).toBeUndefined();
    });

    it('refreshes last use of stale entries on read and evicts unused ones', async () => {
      const used = document();
      const unused = document();
      await documents.putApqDocument(store.db, used.hash, used.body);
      await documents.putApqDocument(store.db, unused.hash, unused.body);
      const longAgo = new Date(Date.now() - 7 * 24 * 3600_000);
      await store.db.updateTable('apq_documents').set({ last_used_at: longAgo }).where('hash', 'in', [used.hash, unused.hash]).execute();

      expect(await documents.getApqDocument(store.db, used.hash)).toBe(used.body);
      expect(await documents.evictApqDocuments(store.db, { maxEntries: 1_000_000, maxBytes: 1e12, maxIdleDays: 1 })).toBeGreaterThanOrEqual(1);
      expect(await documents.getApqDocument(store.db, used.hash)).toBe(used.body);
      expect(await documents.getApqDocument(store.db, unused.hash)).toBeUndefined();
    });

    it('stays within its bounds of entries and bytes, evicting the least recently used first', async () => {
      await store.db.deleteFrom('apq_documents').execute();
      const bounds = { maxEntries: 5, maxBytes: 1_000_000, maxIdleDays: 30 };
      const docs = Array.from({ length: 8 }, () => document());
      for (const [i, doc] of docs.entries()) {
        await documents.putApqDocument(store.db, doc.hash, doc.body, bounds);
        // Distinct, increasing last use (the database clock may not advance between statements).
        await store.db.updateTable('apq_documents').set({ last_used_at: new Date(Date.now() - (100 - i) * 60_000) }).where('hash', '=', doc.hash).execute();
      }
      expect((await documents.apqStoreSize(store.db)).entries).toBe(5);
      // The three least recently used went; a read (or re-registration) keeps an entry.
      for (const doc of docs.slice(0, 2)) expect(await documents.getApqDocument(store.db, doc.hash)).toBeUndefined();
      await documents.putApqDocument(store.db, docs[3]!.hash, docs[3]!.body, bounds);
      const big = 'x'.repeat(3_000);
      const bulky = Array.from({ length: 3 }, (_, i) => {
        const body = `query Bulky${i} { viewer { email } } # ${big}`;
        return { body, hash: documents.sha256Hex(body) };
      });
      for (const [i, doc] of bulky.entries()) {
        await documents.putApqDocument(store.db, doc.hash, doc.body);
        await store.db.updateTable('apq_documents').set({ last_used_at: new Date(Date.now() - (10 - i) * 1_000) }).where('hash', '=', doc.hash).execute();
      }
      expect(await documents.evictApqDocuments(store.db, { maxEntries: 100, maxBytes: 7_000, maxIdleDays: 30 })).toBeGreaterThanOrEqual(1);
      const size = await documents.apqStoreSize(store.db);
      expect(size.bytes).toBeLessThanOrEqual(7_000);
      expect(await documents.getApqDocument(store.db, bulky[2]!.hash)).toBe(bulky[2]!.body);
      expect(await documents.getApqDocument(store.db, bulky[0]!.hash)).toBeUndefined();
    });
  });
});
