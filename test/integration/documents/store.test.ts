/**
 * The document registry, the APQ store and the fail-closed audit columns on every backend
 * (PGlite, and Postgres at TEST_DATABASE_URL): all-or-nothing registration, idempotency, cache
 * behaviour, start-up revalidation, PENDING → completed audit rows, target filters, streaming
 * exports and batched retention.
 */
import { buildSchema } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { startAuditRetention } from '../../../src/audit/retention.js';
import { ManifestError } from '../../../src/documents/manifest.js';
import { DocumentRegistry } from '../../../src/documents/registry.js';
import { createLogger } from '../../../src/logger.js';
import * as audit from '../../../src/store/audit.repository.js';
import { upsertDocument } from '../../../src/store/documents.repository.js';
import { backends, uniqueEmail, type TestStore } from '../store/backends.js';
import { apolloManifest, flatManifest, sha256 } from './helpers.js';

const schema = buildSchema('type Query { hello: String, world(n: Int): Int }');
const logger = createLogger('silent');
const A = 'query Hello { hello }';
const B = 'query World($n: Int) { world(n: $n) }';

describe.each(backends)('documents and audit on $name', (backend) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });
  const open = async () => (store = await backend.open());

  it('registers all documents of a manifest or none, idempotently', async () => {
    const { db } = await open();
    const registry = new DocumentRegistry(db, schema, logger);
    const bad = { ...flatManifest(A), [sha256('x')]: B };
    await expect(registry.register(bad, { clientName: 'web', createdBy: 'ops@test.example' })).rejects.toBeInstanceOf(ManifestError);
    const invalid = flatManifest(A, 'query Nope { nope }');
    await expect(registry.register(invalid, { clientName: 'web', createdBy: 'ops@test.example' })).rejects.toThrow(/nope/);
    expect(await registry.list()).toEqual([]);

    expect(await registry.register(apolloManifest(A, B), { clientName: 'web', createdBy: 'ops@test.example' })).toEqual({ created: [sha256(A), sha256(B)], unchanged: [], updated: [] });
    expect(await registry.register(flatManifest(A, B), { clientName: 'web', createdBy: 'ops@test.example' })).toEqual({ created: [], unchanged: [sha256(A), sha256(B)], updated: [] });
    expect(await registry.register(flatManifest(A), { clientName: 'web', apiGroup: 'device-inventory', createdBy: 'ops@test.example' })).toEqual({ created: [], unchanged: [], updated: [sha256(A)] });
    expect((await registry.trusted(`sha256:${sha256(A).toUpperCase()}`))?.apiGroup).toBe('device-inventory');
    expect(await registry.list({ apiGroup: 'device-inventory' })).toHaveLength(1);
    expect(await registry.remove(sha256(A))).toBe(true);
    expect(await registry.trusted(sha256(A))).toBeUndefined();
  });

  it('revalidates registered documents at start-up and reports the broken ones', async () => {
    const { db } = await open();
    const stale = 'query Stale { removed }';
    await upsertDocument(db, { hash: sha256(stale), body: stale, operationName: 'Stale', operationType: 'query', clientName: 'old', apiGroup: null, createdBy: 'ops@test.example' });
    await upsertDocument(db, { hash: sha256(A), body: A, operationName: 'Hello', operationType: 'query', clientName: 'web', apiGroup: null, createdBy: 'ops@test.example' });
    const registry = new DocumentRegistry(db, schema, logger);
    expect(registry.readiness().ok).toBe(true);
    const invalid = await registry.revalidate();
    expect(invalid.map((d) => d.operationName)).toEqual(['Stale']);
    expect(registry.readiness()).toMatchObject({ ok: false, gating: false });
    expect(registry.isInvalid(sha256(stale))?.problems.join()).toContain('removed');
    expect(registry.isInvalid(sha256(A))).toBeUndefined();
  });

  it('stores APQ entries only under their own hash, shared through the database', async () => {
    const { db } = await open();
    const one = new DocumentRegistry(db, schema, logger);
    const two = new DocumentRegistry(db, schema, logger);
    await expect(one.apqPut(sha256('other'), A)).rejects.toThrow(RangeError);
    await one.apqPut(sha256(A), A);
    expect(await two.apqGet(sha256(A))).toBe(A);
    expect(await two.apqGet(sha256(B))).toBeUndefined();
    expect(await two.trusted(sha256(A))).toBeUndefined();
  });

  it('writes audit rows PENDING first, completes them once, filters by target and streams oldest first', async () => {
    const { db } = await open();
    const email = uniqueEmail('auditor');
    const base = { requestId: 'r1', principalKind: 'HARMONY_USER' as const, principalEmail: email, field: 'createRole' };
    const pending = await audit.insertAuditEvent(db, { ...base, outcome: 'PENDING', targets: [{ type: 'Role', id: 'role-1' }] });
    expect(pending.outcome).toBe('PENDING');
    expect(await audit.completeAuditEvent(db, pending.id, { outcome: 'SUCCESS', details: { roleId: 'role-1' } })).toBe(true);
    expect(await audit.completeAuditEvent(db, pending.id, { outcome: 'FAILURE' })).toBe(false);
    await audit.insertAuditEvent(db, { ...base, outcome: 'DENIED', errorCodes: ['FORBIDDEN'], targets: [{ type: 'Role', id: 'role-2' }] });
    const byTarget = await audit.listAuditEvents(db, { targetId: 'role-1' }, 10);
    expect(byTarget.events.map((e) => [e.outcome, e.details])).toEqual([['SUCCESS', { roleId: 'role-1' }]]);
    const streamed: string[] = [];
    for await (const e of audit.streamAuditEvents(db, { principalEmail: email }, 1)) streamed.push(e.outcome);
    expect(streamed).toEqual(['SUCCESS', 'DENIED']);
  });

  it('retention deletes only old rows, in small batches; off when days is 0', async () => {
    const { db } = await open();
    const email = uniqueEmail('retention');
    const old = new Date(Date.now() - 40 * 86_400_000);
    for (let i = 0; i < 5; i++) await audit.insertAuditEvent(db, { at: old, requestId: `old-${i}`, principalKind: 'HARMONY_USER', principalEmail: email, field: 'f', outcome: 'SUCCESS' });
    await audit.insertAuditEvent(db, { requestId: 'new', principalKind: 'HARMONY_USER', principalEmail: email, field: 'f', outcome: 'SUCCESS' });
    const off = startAuditRetention({ days: 0, deleteOlderThan: (c, n) => audit.deleteOlderThan(db, c, n), logger });
    expect(await off.runOnce()).toEqual({ deleted: 0, batches: 0 });
    off.stop();
    const job = startAuditRetention({ days: 30, batchSize: 2, intervalMs: 3_600_000, deleteOlderThan: (c, n) => audit.deleteOlderThan(db, c, n), logger });
    try {
      const result = await job.runOnce();
      const remaining = (await audit.listAuditEvents(db, { principalEmail: email }, 10)).events.map((e) => e.requestId);
      expect(remaining).toEqual(['new']);
      expect(result).toEqual({ deleted: 5, batches: 3 });
    } finally {
      job.stop();
    }
  });
});
