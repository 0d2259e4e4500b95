/**
 * Defensive reading of upstream bodies. Upstreams answer 204 with nothing, HTML error pages from a
 * proxy or an unknown route, and now and then JSON cut short; none of it may crash the gateway.
 * The result says what was found; error-map.ts turns a bad body into a coded error.
 */
export type BodyProblem = 'html' | 'malformed';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: BodyProblem };

/** Parses a response body: empty → `undefined`, JSON → its value, anything else → a problem. */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  // Large bodies (a 500-device page is ~600 KB) are never copied: JSON.parse skips the
  // whitespace itself; only a byte-order mark is cut off.
  const first = firstContent(text);
  if (first === -1) return { ok: true, value: undefined };
  if (isHtml(text, first, contentType)) return { ok: false, problem: 'html' };
  try {
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown };
  } catch {
    return { ok: false, problem: 'malformed' };
  }
}

/** The index of the first character that is neither whitespace nor a byte-order mark, or -1. */
function firstContent(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return i;
  }
  return -1;
}

function isHtml(text: string, first: number, contentType: string | undefined): boolean {
  if (contentType?.toLowerCase().includes('text/html')) return true;
  return text.charCodeAt(first) === 0x3c /* < */;
}

/** A string field of an error body such as `{ errorCode, message }`, when there is one. */
export function upstreamCodeOf(body: unknown): string | number | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const code = record.errorCode ?? record.ErrorCode;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}
