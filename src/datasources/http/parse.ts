/**
 * Defensive reading of upstream bodies. Upstreams answer 204 with nothing, HTML error pages from a
 * proxy or an unknown route, and now and then JSON cut short; none of it may crash the gateway.
 * The result says what was found; error-map.ts turns a bad body into a coded error.
 */
export type BodyProblem = 'html' | 'malformed';

export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: BodyProblem };

/** Parses a response body: empty → `undefined`, JSON → its value, anything else → a problem. */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { ok: true, value: undefined };
  if (isHtml(trimmed, contentType)) return { ok: false, problem: 'html' };
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown };
  } catch {
    return { ok: false, problem: 'malformed' };
  }
}

function isHtml(text: string, contentType: string | undefined): boolean {
  if (contentType?.toLowerCase().includes('text/html')) return true;
  return text.startsWith('<');
}

/** A string field of an error body such as `{ errorCode, message }`, when there is one. */
export function upstreamCodeOf(body: unknown): string | number | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  const code = record.errorCode ?? record.ErrorCode;
  return typeof code === 'string' || typeof code === 'number' ? code : undefined;
}
