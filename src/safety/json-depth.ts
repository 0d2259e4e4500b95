/**
 * How deeply a parsed JSON value nests. `JSON.parse` copes with any depth, but whatever walks the
 * value afterwards recursively (`JSON.stringify`, variable coercion, redaction) overflows the stack
 * on a few hundred thousand levels: request JSON is measured here first, without recursion, and
 * refused past the limit (LIMIT_JSON_DEPTH).
 */

/** Whether `value` nests deeper than `max` levels (an object or array is one level; scalars none). */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** The message of the refusal, with the limit. */
export const jsonTooDeepMessage = (what: string, max: number) =>
  `${what} nests deeper than ${max} levels of objects and arrays (LIMIT_JSON_DEPTH).`;
