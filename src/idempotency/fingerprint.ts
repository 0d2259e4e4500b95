/**
 * The fingerprint of a mutation's input under an idempotency key: sha256 of its canonical JSON
 * (object keys sorted), so the same input always hashes alike whatever order its fields came in.
 * Callers normalise what means the same (trimmed ids, sorted target sets) before hashing.
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../store/database.types.js';

function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fingerprint(operation: string, input: JsonValue): string {
  return createHash('sha256').update(canonical({ operation, input })).digest('hex');
}
