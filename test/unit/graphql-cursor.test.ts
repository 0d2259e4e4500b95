import { describe, expect, it } from 'vitest';
import type { GraphQLError } from 'graphql';
import { CursorCodec, filterDigest } from '../../src/graphql/cursor.js';

const codec = new CursorCodec('test-secret');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as GraphQLError).extensions.code;
  }
  return undefined;
};

describe('cursors', () => {
  it('round-trips a position for the same filter, whatever the key order', () => {
    const cursor = codec.encode(99, { platform: 'APPLE', model: 'iPhone' });
    expect(codec.startAfter(cursor, { model: 'iPhone', platform: 'APPLE' })).toBe(100);
    expect(codec.startAfter(undefined, {})).toBe(0);
    expect(filterDigest({ a: 1, b: null })).toBe(filterDigest({ a: 1 }));
  });

  it('refuses a tampered cursor, a foreign one, and one reused with another filter', () => {
    const cursor = codec.encode(10, { platform: 'APPLE' });
    const [payload, sig] = cursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ o: 5000, f: filterDigest({ platform: 'APPLE' }) })).toString('base64url')}.${sig}`;
    expect(codeOf(() => codec.startAfter(forged, { platform: 'APPLE' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => codec.startAfter(`${payload}`, { platform: 'APPLE' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => codec.startAfter('garbage', {}))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => new CursorCodec('other').startAfter(cursor, { platform: 'APPLE' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => codec.startAfter(cursor, { platform: 'ANDROID' }))).toBe('BAD_USER_INPUT');
  });

  it('answers a cursor seen before as it did the first time, and never keeps a refused one', () => {
    const filter = { platform: 'APPLE' };
    const cursor = codec.encode(41, filter);
    expect(codec.encode(41, { platform: 'APPLE' })).toBe(cursor);
    expect(codec.startAfter(cursor, filter)).toBe(42);
    expect(codec.startAfter(cursor, { platform: 'APPLE' })).toBe(42);
    // Kept, the cursor is still checked against the request's filter.
    expect(codeOf(() => codec.startAfter(cursor, { platform: 'ANDROID' }))).toBe('BAD_USER_INPUT');
    const [payload] = cursor.split('.');
    const forged = `${payload}.AAAAAAAAAAAAAAAA`;
    expect(codeOf(() => codec.startAfter(forged, filter))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => codec.startAfter(forged, filter))).toBe('BAD_USER_INPUT');
    // Another codec (another secret) has kept nothing of this one's.
    expect(codeOf(() => new CursorCodec('other').startAfter(cursor, filter))).toBe('BAD_USER_INPUT');
  });

  it('gives every position of a page its own cursor from one encoder', () => {
    const encode = codec.encoder({ model: 'iPhone' });
    const cursors = Array.from({ length: 500 }, (_, i) => encode(i));
    expect(new Set(cursors).size).toBe(500);
    cursors.forEach((c, i) => expect(codec.startAfter(c, { model: 'iPhone' })).toBe(i + 1));
    expect(cursors[7]).toBe(codec.encode(7, { model: 'iPhone' }));
  });
});
