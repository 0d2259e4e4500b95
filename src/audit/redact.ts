/**
 * What the audit trail keeps of a request's variables: everything but secrets and personal data,
 * which become "[REDACTED]" whatever their shape. Keys are matched case-insensitively on their
 * words (`newPassword`, `api_key`, `ownerEmail`), at any depth; a bare `name` only where it names
 * a person (next to an email), not a role or a tag.
 */
import type { JsonValue } from '../store/database.types.js';

export const REDACTED = '[REDACTED]';

/** Secrets (credentials of any kind) and personal data (contact details, names, device identifiers). */
const SENSITIVE = [
  /pass(word|phrase)?/i,
  /secret/i,
  /token/i,
  /(api|private)_?key$/i,
  /^key$/i,
  /credential/i,
  /authorization/i,
  /e_?mail/i,
  /phone/i,
  /^(contact|mobile)_?number$/i,
  /imei/i,
  /mac_?address/i,
  /serial/i,
  /^(first|last|full|user|display)_?name$/i,
  /address/i,
  /birth/i,
];

export const isSensitiveKey = (key: string): boolean => SENSITIVE.some((re) => re.test(key));

/** A bare `name` is a person's when the same object holds an email (an invitation), not a role's. */
const describesPerson = (object: object): boolean => Object.keys(object).some((k) => /e_?mail/i.test(k));

/** A deep copy of `value` with sensitive keys redacted; non-JSON values (undefined, functions) dropped. */
export function redact(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    const person = describesPerson(value);
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      const sensitive = isSensitiveKey(key) || (person && /^name$/i.test(key));
      out[key] = sensitive && v !== null ? REDACTED : redact(v);
    }
    return out;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  return null;
}
