/**
 * DataLoader's contract: a batch function answers one value per key, in key order. This helper
 * builds that array from whatever order the upstream answered in; missing keys become null.
 */
export function inKeyOrder<K, T>(keys: readonly K[], items: Iterable<T>, keyOf: (item: T) => K | null | undefined): (T | null)[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== null && key !== undefined) byKey.set(String(key), item);
  }
  return keys.map((k) => byKey.get(String(k)) ?? null);
}
