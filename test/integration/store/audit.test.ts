import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as audit from '../../../src/store/audit.repository.js';
import { InvalidCursorError } from '../../../src/store/errors.js';
import { backends, uniqueEmail, type TestStore } from './backends.js';

describe.each(backends)('audit repository on $name', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(async () => {
    await store.dispose();
  });

  const event = (overrides: Partial<audit.NewAuditEvent> = {}): audit.NewAuditEvent => ({
    requestId: 'req-1',
    principalKind: 'HARMONY_USER',
    principalEmail: uniqueEmail('auditor'),
    operationName: 'LockDevices',
    field: 'sendDeviceCommand',
    outcome: 'SUCCESS',
    ...overrides,
  });

  it('stores an event with its JSON columns and reads it back typed', async () => {
    const email = uniqueEmail('Omar');
    const saved = await audit.insertAuditEvent(
      store.db,
      event({
        principalEmail: email.toUpperCase(),
        documentHash: 'abc',
        targets: [{ type: 'Device', id: '42', label: 'iPad' }, { type: 'Device', id: '43' }],
        variables: { input: { deviceIds: ['42', '43'], confirm: '[REDACTED]' } },
        outcome: 'PARTIAL',
        errorCodes: ['UPSTREAM_TIMEOUT'],
        details: { results: [{ deviceId: '43', status: 'FAILED' }] },
      }),
    );
    expect(saved).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      at: expect.any(Date),
      principalEmail: email.toLowerCase(),
      targets: [{ type: 'Device', id: '42', label: 'iPad' }, { type: 'Device', id: '43' }],
      variables: { input: { deviceIds: ['42', '43'], confirm: '[REDACTED]' } },
      errorCodes: ['UPSTREAM_TIMEOUT'],
      details: { results: [{ deviceId: '43', status: 'FAILED' }] },
    });

    const page = await audit.listAuditEvents(store.db, { principalEmail: email }, 10);
    expect(page.events).toEqual([saved]);

    const bare = await audit.insertAuditEvent(store.db, event());
    expect(bare).toMatchObject({ targets: [], variables: null, errorCodes: [], details: null, documentHash: null });
  });

  it('pages newest first with a keyset cursor until the end', async () => {
    const email = uniqueEmail('pager');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await audit.insertAuditEvent(store.db, event({ principalEmail: email, requestId: `r${i}` }))).id);
    const newestFirst = [...ids].reverse();

    const one = await audit.listAuditEvents(store.db, { principalEmail: email }, 2);
    expect(one.events.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
    expect(one.hasNextPage).toBe(true);
    const two = await audit.listAuditEvents(store.db, { principalEmail: email }, 2, one.endCursor);
    expect(two.events.map((e) => e.id)).toEqual(newestFirst.slice(2, 4));
    const three = await audit.listAuditEvents(store.db, { principalEmail: email }, 2, two.endCursor);
    expect(three.events.map((e) => e.id)).toEqual(newestFirst.slice(4));
    expect(three.hasNextPage).toBe(false);

    expect(await audit.listAuditEvents(store.db, { principalEmail: email }, 0)).toMatchObject({ events: [], hasNextPage: true, endCursor: null });
  });

  it('filters by operation, field, outcome and time window', async () => {
    const email = uniqueEmail('filter');
    const hourAgo = new Date(Date.now() - 3600_000);
    const old = await audit.insertAuditEvent(store.db, event({ principalEmail: email, at: hourAgo, operationName: 'Old' }));
    const failed = await audit.insertAuditEvent(store.db, event({ principalEmail: email, outcome: 'FAILURE', field: 'addTag' }));
    const ok = await audit.insertAuditEvent(store.db, event({ principalEmail: email }));
    const ids = async (filter: audit.AuditFilter) =>
      (await audit.listAuditEvents(store.db, { principalEmail: email, ...filter }, 50)).events.map((e) => e.id);

    expect(await ids({ operationName: 'Old' })).toEqual([old.id]);
    expect(await ids({ field: 'addTag' })).toEqual([failed.id]);
    expect(await ids({ outcome: 'SUCCESS' })).toEqual([ok.id, old.id]);
    expect(await ids({ from: new Date(Date.now() - 60_000) })).toEqual([ok.id, failed.id]);
    expect(await ids({ to: new Date(Date.now() - 60_000) })).toEqual([old.id]);
  });

  it('rejects foreign or malformed cursors and out-of-range page sizes', async () => {
    const foreign = Buffer.from('device:12').toString('base64url');
    await expect(audit.listAuditEvents(store.db, {}, 5, foreign)).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(audit.listAuditEvents(store.db, {}, 5, '%%%')).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(audit.listAuditEvents(store.db, {}, audit.MAX_AUDIT_PAGE + 1)).rejects.toThrow(RangeError);
    await expect(audit.listAuditEvents(store.db, {}, -1)).rejects.toThrow(RangeError);
  });

  it('deletes events older than the cutoff in batches and keeps newer ones', async () => {
    const email = uniqueEmail('retention');
    const cutoff = new Date(Date.now() - 24 * 3600_000);
    const old = new Date(cutoff.getTime() - 3600_000);
    for (let i = 0; i < 7; i++) await audit.insertAuditEvent(store.db, event({ principalEmail: email, at: old }));
    const kept = await audit.insertAuditEvent(store.db, event({ principalEmail: email }));

    // Other test files work in other databases, and this file's other events are recent.
    expect(await audit.deleteOlderThan(store.db, cutoff, 3)).toEqual({ deleted: 7, batches: 3 });
    expect((await audit.listAuditEvents(store.db, { principalEmail: email }, 50)).events.map((e) => e.id)).toEqual([kept.id]);
    expect(await audit.deleteOlderThan(store.db, cutoff, 3)).toEqual({ deleted: 0, batches: 1 });
    await expect(audit.deleteOlderThan(store.db, cutoff, 0)).rejects.toThrow(RangeError);
  });
});
