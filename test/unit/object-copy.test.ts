/**
 * `copyWith` means what a spread followed by fields means (`{ ...base, ...fields }`): own
 * enumerable keys, symbols included, the later value winning, the base untouched.
 */
import { describe, expect, it } from 'vitest';
import { copyWith } from '../../src/object-copy.js';

describe('copyWith', () => {
  it('copies the base and adds or replaces the fields', () => {
    const tag = Symbol('tag');
    const base = { a: 1, b: 'two', [tag]: true } as { a: number; b: string; [tag]: boolean };
    Object.defineProperty(base, 'hidden', { value: 'not enumerable', enumerable: false });
    const copy = copyWith(base, { b: 2, c: [3] });
    expect(copy).toEqual({ ...base, ...{ b: 2, c: [3] } });
    expect(Object.keys(copy)).toEqual(['a', 'b', 'c']);
    expect(copy[tag]).toBe(true);
    expect('hidden' in copy).toBe(false);
    expect(copy).not.toBe(base);
    expect(base).toEqual({ a: 1, b: 'two', [tag]: true });
  });
});
