/**
 * Opaque connection cursors. A cursor encodes the position and a digest of the filter it was
 * issued for, signed with an HMAC, so a tampered cursor or one reused with another filter is
 * refused with BAD_USER_INPUT instead of silently paging the wrong list.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { badInput } from '../errors.js';

/** A stable digest of a filter (key order does not matter; undefined and null are the same). */
export function filterDigest(filter: unknown): string {
  return createHash('sha256').update(stableJson(filter ?? null)).digest('base64url').slice(0, 16);
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

  constructor(secret: string) {
    this.key = createHash('sha256').update(`cursor:${secret}`).digest();
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, 12);
  }

  /** The cursor of the item at `offset` (0-based) in the list selected by `filter`. */
  encode(offset: number, filter: unknown): string {
    const payload = Buffer.from(JSON.stringify({ o: offset, f: filterDigest(filter) })).toString('base64url');
    return `${payload}.${this.sign(payload).toString('base64url')}`;
  }

  /** The offset after `cursor` (the position of the next item), or 0 without a cursor. */
  startAfter(cursor: string | null | undefined, filter: unknown): number {
    if (cursor === null || cursor === undefined) return 0;
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
    if (f !== filterDigest(filter)) {
      throw badInput('The cursor was issued for another filter: page again from the start with this filter.', {
        argument: 'after',
      });
    }
    return o + 1;
  }
}
