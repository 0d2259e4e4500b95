/**
 * Opaque connection cursors. A cursor encodes the position and a digest of the filter it was
 * issued for, signed with an HMAC, so a tampered cursor or one reused with another filter is
 * refused with BAD_USER_INPUT instead of silently paging the wrong list.
 *
 * Clients page with the same few cursors and filters over and over (every request of a page of
 * devices after the first carries one): the digests of filters, the cursors issued and the cursors
 * verified are kept (a few thousand each, least recently used out first: src/safety/lru.ts), so a cursor seen before costs a lookup
 * instead of two SHA-256 digests and an HMAC. Only cursors whose signature checked out are kept;
 * the filter a kept cursor names is still compared with the request's every time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { badInput } from '../errors.js';
import { Lru } from '../safety/lru.js';

/** Entries of each of the three caches: ~100 bytes of key and value each, well under 1 MB in all. */
const CACHE_ENTRIES = 2_000;

const digests = new Lru<string>(CACHE_ENTRIES);

/** A stable digest of a filter (key order does not matter; undefined and null are the same). */
export function filterDigest(filter: unknown): string {
  const json = stableJson(filter ?? null);
  const known = digests.get(json);
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(json).digest('base64url').slice(0, 16);
  digests.set(json, digest);
  return digest;
}

function stableJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class CursorCodec {
  private readonly key: Buffer;
  /** Cursors issued, by position and filter digest. */
  private readonly issued = new Lru<string>(CACHE_ENTRIES);
  /** Cursors whose signature checked out: their position and filter digest. */
  private readonly verified = new Lru<{ o: number; f: string }>(CACHE_ENTRIES);

  constructor(secret: string) {
    this.key = createHash('sha256').update(`cursor:${secret}`).digest();
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, 12);
  }

  /** The cursor of the item at `offset` (0-based) in the list selected by `filter`. */
  encode(offset: number, filter: unknown): string {
    return this.encoder(filter)(offset);
  }

  /** Cursors of positions in the list selected by `filter` (its digest taken once: every edge of a page shares it). */
  encoder(filter: unknown): (offset: number) => string {
    const f = filterDigest(filter);
    return (offset) => {
      const key = `${offset}:${f}`;
      const known = this.issued.get(key);
      if (known !== undefined) return known;
      const payload = Buffer.from(JSON.stringify({ o: offset, f })).toString('base64url');
      const cursor = `${payload}.${this.sign(payload).toString('base64url')}`;
      this.issued.set(key, cursor);
      return cursor;
    };
  }

  /** The offset after `cursor` (the position of the next item), or 0 without a cursor. */
  startAfter(cursor: string | null | undefined, filter: unknown): number {
    if (cursor === null || cursor === undefined) return 0;
    const { o, f } = this.verified.get(cursor) ?? this.verify(cursor);
    if (f !== filterDigest(filter)) {
      throw badInput('The cursor was issued for another filter: page again from the start with this filter.', {
        argument: 'after',
      });
    }
    return o + 1;
  }

  /** The position and filter digest a cursor carries, once its signature is checked (kept for next time). */
  private verify(cursor: string): { o: number; f: string } {
    const [payload, signature, extra] = cursor.split('.');
    const invalid = () => badInput('The cursor is not valid: pass an endCursor this API returned.', { argument: 'after' });
    if (!payload || !signature || extra !== undefined) throw invalid();
    const expected = this.sign(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    const { o, f } = (decoded ?? {}) as { o?: unknown; f?: unknown };
    if (typeof o !== 'number' || !Number.isInteger(o) || o < 0 || typeof f !== 'string') throw invalid();
    this.verified.set(cursor, { o, f });
    return { o, f };
  }
}
