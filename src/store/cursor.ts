/**
 * Opaque keyset cursors: base64url of `<scope>:<id>`. The scope keeps a cursor from one list from
 * being replayed against another. Callers map `InvalidCursorError` to BAD_USER_INPUT.
 */
import { InvalidCursorError } from './errors.js';

export const encodeCursor = (scope: string, id: string): string => Buffer.from(`${scope}:${id}`, 'utf8').toString('base64url');

/** The id in a cursor issued for `scope` whose id is a positive integer. */
export function decodeIntegerCursor(scope: string, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(`${scope}:`) ? text.slice(scope.length + 1) : '';
  if (!/^[1-9][0-9]{0,18}$/.test(id)) throw new InvalidCursorError(cursor);
  return id;
}
