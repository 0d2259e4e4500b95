/**
 * The JSON of a value in pieces whose concatenation is exactly `JSON.stringify(value)`, none of
 * them much larger than a long list's CHUNK_ITEMS elements.
 *
 * Why: V8 keeps every string or buffer over 128 KB in memory of its own, mapped when it is made
 * and unmapped when it is collected. A 500-device page is ~250 KB of JSON: its text, the flat copy
 * V8 makes of it before encoding, and the encoded bytes each cost fresh pages, and the page faults
 * were a fifth of such a request's CPU. Pieces of a few tens of KB come from memory the process
 * reuses.
 *
 * How: plain objects are walked down to MAX_DEPTH levels, key by key; an array longer than
 * CHUNK_ITEMS is cut into runs of that many elements, each given to `JSON.stringify` whole; every
 * other value (a short array too: walking it would cost more than it saves) is given to
 * `JSON.stringify` as it is. What `JSON.stringify` decides is kept: a
 * `toJSON` is called with the property name or index the value has, properties whose value
 * serializes to nothing are left out and array elements that do become `null`, keys come in
 * `Object.keys` order (the order `JSON.stringify` uses), and what throws (a BigInt, a cycle below
 * MAX_DEPTH) throws.
 */

/** Elements of a long array given to `JSON.stringify` at once (~20 KB for devices). */
export const CHUNK_ITEMS = 64;
const MAX_DEPTH = 8;

/** The pieces of `JSON.stringify(value)`; undefined where that is undefined. */
export function jsonPieces(value: unknown): string[] | undefined {
  const out: string[] = [];
  return piece(value, '', out, 0) ? out : undefined;
}

/** `JSON.stringify` of `value` as the property `key` of its parent (its `toJSON` called with `key`). */
function keyed(key: string, value: unknown): string | undefined {
  const wrapped = JSON.stringify({ [key]: value });
  return wrapped === '{}' ? undefined : wrapped.slice(JSON.stringify(key).length + 2, -1);
}

/** Whether `JSON.stringify` of `value` alone is what it is as an element or property (no `toJSON` to give a key). */
const keyless = (value: unknown): boolean => {
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return true;
  return type === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
};

/** A long array, or a plain object: what is cut or walked (anything else goes to JSON.stringify whole). */
function isWalkable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null || 'toJSON' in value) return false;
  if (Array.isArray(value)) return value.length > CHUNK_ITEMS;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Appends the JSON of `value` (the property `key` of its parent); false when it serializes to nothing. */
function piece(value: unknown, key: string, out: string[], depth: number): boolean {
  if (depth < MAX_DEPTH && isWalkable(value)) {
    if (Array.isArray(value)) arrayPieces(value, out);
    else objectPieces(value, out, depth);
    return true;
  }
  const json = keyless(value) ? (JSON.stringify(value) as string | undefined) : keyed(key, value);
  if (json === undefined) return false;
  out.push(json);
  return true;
}

function objectPieces(object: Record<string, unknown>, out: string[], depth: number): void {
  out.push('{');
  let first = true;
  for (const key of Object.keys(object)) {
    const mark = out.length;
    out.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
    if (piece(object[key], key, out, depth + 1)) first = false;
    else out.length = mark;
  }
  out.push('}');
}

/** A long array, in runs of CHUNK_ITEMS elements (a short one is given to JSON.stringify whole). */
function arrayPieces(array: unknown[], out: string[]): void {
  out.push('[');
  for (let start = 0; start < array.length; start += CHUNK_ITEMS) {
    const run = array.slice(start, start + CHUNK_ITEMS);
    if (start > 0) out.push(',');
    if (run.every(keyless)) {
      out.push((JSON.stringify(run) as string).slice(1, -1));
    } else {
      // An element with a `toJSON` is told its index in the whole array, as JSON.stringify tells it.
      const items: string[] = [];
      for (let i = 0; i < run.length; i++) items.push(keyed(String(start + i), run[i]) ?? 'null');
      out.push(items.join(','));
    }
  }
  out.push(']');
}
