/**
 * Every error code the gateway can send is documented in docs/errors.md with its HTTP status, so
 * a code added in src/errors.ts cannot ship undocumented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, httpStatusOf } from '../../../src/errors.js';

const doc = readFileSync('docs/errors.md', 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()] as const),
);

describe('docs/errors.md', () => {
  for (const code of Object.values(ErrorCode)) {
    it(`documents ${code} with its HTTP status`, () => {
      expect(rows.has(code), `${code} has no row in docs/errors.md`).toBe(true);
      const status = httpStatusOf[code];
      if (status !== undefined) expect(rows.get(code)).toContain(String(status));
    });
  }
});
