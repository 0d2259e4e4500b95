/**
 * The pure parts of documents and audit: redaction of variables, CSV export cells, manifest
 * parsing of both formats, the LRU in front of the document store.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from '../../../src/audit/redact.js';
import { csvCell } from '../../../src/audit/export.js';
import { Lru } from '../../../src/safety/lru.js';
import { ManifestError, parseManifest } from '../../../src/documents/manifest.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('redact', () => {
  it('replaces secrets and personal data at any depth, keeps the rest', () => {
    expect(
      redact({
        input: { email: 'a@b.example', name: 'Ann Example', company: 'Acme', apiGroupIds: ['ag-1'], password: 'p', newPassword: 'q' },
        role: { name: 'Operators', permissions: ['READ'] },
        devices: [{ id: '1', imei: '3567', macAddress: 'aa:bb', serialNumber: 'SN1', phoneNumber: '+1' }],
        apiKey: 'k', token: 't', clientSecret: 's', confirm: 'REMOVE', idempotencyKey: 'abc', tagId: '9',
        nothing: null, skipped: undefined,
      }),
    ).toEqual({
      input: { email: REDACTED, name: REDACTED, company: 'Acme', apiGroupIds: ['ag-1'], password: REDACTED, newPassword: REDACTED },
      role: { name: 'Operators', permissions: ['READ'] },
      devices: [{ id: '1', imei: REDACTED, macAddress: REDACTED, serialNumber: REDACTED, phoneNumber: REDACTED }],
      apiKey: REDACTED, token: REDACTED, clientSecret: REDACTED, confirm: 'REMOVE', idempotencyKey: 'abc', tagId: '9',
      nothing: null,
    });
  });
});

describe('csvCell', () => {
  it('quotes separators and quotes, and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(['FORBIDDEN'])).toBe('"[""FORBIDDEN""]"');
    expect(csvCell(null)).toBe('');
  });
});

describe('parseManifest', () => {
  const A = 'query A { viewer { email } }';
  it('reads both formats with operation names and types', () => {
    expect(parseManifest({ [`sha256:${sha256(A)}`]: A })).toEqual([{ hash: sha256(A), body: A, operationName: 'A', operationType: 'query' }]);
    const M = 'mutation M { revokeApiKey(id: "1") { revoked } }';
    expect(parseManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha256(M), body: M, name: 'M', type: 'mutation' }] })[0]?.operationType).toBe('mutation');
  });
  it('lists every problem and rejects the whole manifest', () => {
    try {
      parseManifest({ [sha256(A)]: A, [sha256('x')]: 'query B { viewer { email } }', [sha256('{')]: '{', abc: 42 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ManifestError);
      expect((err as ManifestError).problems).toHaveLength(3);
    }
    expect(() => parseManifest({})).toThrow(/no documents/);
    expect(() => parseManifest([])).toThrow(ManifestError);
  });
});

describe('Lru', () => {
  it('evicts the least recently used entry and expires entries past their TTL', () => {
    let now = 0;
    const lru = new Lru<number>(2, 100, () => now);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    now = 150;
    expect(lru.get('c')).toBeUndefined();
  });

  it('with a weight budget, evicts until the total fits and keeps nothing heavier than the budget', () => {
    const lru = new Lru<string>(100, Number.POSITIVE_INFINITY, Date.now, { max: 10, weigh: (v) => v.length });
    lru.set('a', 'xxxx');
    lru.set('b', 'yyyy');
    expect(lru.weightKept).toBe(8);
    lru.set('c', 'zzzz');
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([undefined, 'yyyy', 'zzzz']);
    lru.set('huge', 'w'.repeat(11));
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.weightKept).toBe(8);
    lru.set('b', 'yy');
    expect(lru.weightKept).toBe(6);
  });
});
