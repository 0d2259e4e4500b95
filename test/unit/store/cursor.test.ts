import { describe, expect, it } from 'vitest';
import { decodeIntegerCursor, encodeCursor } from '../../../src/store/cursor.js';
import { InvalidCursorError } from '../../../src/store/errors.js';

describe('keyset cursors', () => {
  it('round-trips an id within its scope', () => {
    const cursor = encodeCursor('audit', '12345');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeIntegerCursor('audit', cursor)).toBe('12345');
  });

  it.each([
    ['another scope', encodeCursor('device', '1')],
    ['a non-numeric id', encodeCursor('audit', '1 or 1=1')],
    ['zero', encodeCursor('audit', '0')],
    ['an id past int8', encodeCursor('audit', '99999999999999999999')],
    ['garbage', '!!!'],
    ['nothing', ''],
  ])('rejects %s', (_label, cursor) => {
    expect(() => decodeIntegerCursor('audit', cursor)).toThrow(InvalidCursorError);
  });
});
