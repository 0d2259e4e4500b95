import { describe, expect, it } from 'vitest';
import { CHUNK_ITEMS, jsonPieces } from '../../../src/http-server/json-pieces.js';
import { JsonBodies, LARGE_RESULT_CHARS } from '../../../src/http-server/json-body.js';

const page = (n: number) => ({
  data: {
    devices: {
      totalCount: 2_000,
      pageInfo: { hasNextPage: true, endCursor: 'eyJvIjo0OTl9.c2ln' },
      nodes: Array.from({ length: n }, (_, i) => ({
        id: String(i),
        friendlyName: `Gerät ${i} — “ü” 😀`,
        platform: 'APPLE',
        lastSeen: i % 3 === 0 ? null : '2026-11-01T10:11:12.123Z',
        organizationGroup: { id: '7', name: 'Global / Sales' },
      })),
    },
  },
});

/** Values whose JSON.stringify has a rule to keep: toJSON with its key, left-out and null-ed values, key order, holes. */
const tricky: unknown[] = [
  page(500),
  { errors: undefined, data: null, extensions: { stale: { devices: 3 } } },
  // eslint-disable-next-line no-sparse-arrays
  [1, , 3],
  Array.from({ length: 3 * CHUNK_ITEMS + 5 }, (_, i) => (i % 7 === 0 ? undefined : i % 5 === 0 ? { toJSON: (key: string) => `at ${key}` } : i)),
  Object.assign(new Array(2 * CHUNK_ITEMS + 1), { 5: 'x' }),
  { '2': 'a', b: 1, '1': 'c', 'é"\n': 'ü\u2028😀', f: () => 1, s: Symbol('s'), u: undefined, d: new Date(0) },
  { toJSON: (key: string) => ({ key }) },
  { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: [Array.from({ length: 100 }, (_, i) => i)] } } } } } } } } } },
  { rows: Array.from({ length: 1_000 }, (_, i) => ({ s: 'x'.repeat(i % 50), list: Array.from({ length: CHUNK_ITEMS + 6 }, (_, j) => j) })) },
  { nan: Number.NaN, inf: -Infinity, zero: -0, empty: [], holes: new Array(100) },
  Object.create(null, { shown: { value: 1, enumerable: true }, hidden: { value: 2, enumerable: false } }),
  'text',
  42,
  null,
];

describe('JSON in pieces', () => {
  it('joins to exactly what JSON.stringify makes', () => {
    for (const value of tricky) expect(jsonPieces(value)?.join('')).toBe(JSON.stringify(value));
    expect(jsonPieces(undefined)).toBeUndefined();
  });

  it('cuts a long list into runs, none of them the whole page', () => {
    const pieces = jsonPieces(page(500))!;
    const whole = JSON.stringify(page(500)).length;
    expect(pieces.length).toBeGreaterThan(500 / CHUNK_ITEMS);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(whole / 5);
  });

  it('throws where JSON.stringify throws', () => {
    expect(() => jsonPieces({ n: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = { again: cycle };
    expect(() => jsonPieces(cycle)).toThrow(TypeError);
  });
});

describe('response bodies', () => {
  const expected = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);

  it('sends a small result as Apollo does: its text and a newline, in one buffer', () => {
    const bodies = new JsonBodies();
    const value = page(3);
    const text = bodies.stringify(value);
    expect(text).toBe(`${JSON.stringify(value)}\n`);
    const body = bodies.take(text);
    expect(body.chunks).toHaveLength(1);
    expect(Buffer.concat(body.chunks).equals(expected(value))).toBe(true);
  });

  it('sends a large result in buffers of 64 KB at most, the same bytes, each marker taken once', () => {
    const bodies = new JsonBodies();
    const value = page(2_000);
    expect(JSON.stringify(value).length).toBeGreaterThan(LARGE_RESULT_CHARS);
    const marker = bodies.stringify(value);
    expect(marker.startsWith('\u0000')).toBe(true);
    expect(bodies.pendingCount).toBe(1);
    const body = bodies.take(marker);
    expect(bodies.pendingCount).toBe(0);
    expect(body.chunks.length).toBeGreaterThan(1);
    expect(Math.max(...body.chunks.map((c) => c.length))).toBeLessThanOrEqual(64 * 1024);
    const bytes = Buffer.concat(body.chunks);
    expect(bytes.equals(expected(value))).toBe(true);
    expect(body.bytes).toBe(bytes.length);
    expect(body.text()).toBe(`${JSON.stringify(value)}\n`);
    expect(() => bodies.take(marker)).toThrow(/sent twice or lost/);
  });

  it('keeps a piece larger than a buffer whole', () => {
    const bodies = new JsonBodies();
    const value = { data: { blob: 'é'.repeat(100_000), list: Array.from({ length: 200 }, (_, i) => i) } };
    const body = bodies.take(bodies.stringify(value));
    expect(Buffer.concat(body.chunks).equals(expected(value))).toBe(true);
  });
});
