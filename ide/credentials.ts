/**
 * Who the IDE calls the gateway as: the Authorization or x-api-key header of the headers editor.
 * Without one, the IDE sends nothing (a request would only come back 401) and says how to add one.
 * In demo mode a link may carry a token in its fragment (`/graphql#token=<jwt>`): fragments never
 * leave the browser, and the page removes it from the address bar once read.
 */

/** Request headers as the headers editor holds them (JSON with comments, parsed by GraphiQL). */
export type Headers = Record<string, unknown> | undefined;

const JWT = /^Bearer\s+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/i;
const API_KEY_AUTH = /^ApiKey\s+\S{16,}$/i;

/** The credential the headers carry, or undefined when they carry none worth sending. */
export function credentialOf(headers: Headers): string | undefined {
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = typeof raw === 'string' ? raw.trim() : '';
    const key = name.toLowerCase();
    if (key === 'authorization' && (JWT.test(value) || API_KEY_AUTH.test(value))) return value;
    if (key === 'x-api-key' && value.length >= 16) return value;
  }
  return undefined;
}

export const NO_CREDENTIALS_MESSAGE =
  'No credentials yet, so nothing was sent. In the Headers tab below the editor, add an Authorization ' +
  'header with the value Bearer <your JWT> (partners: an x-api-key header). In demo mode, ' +
  '.data/demo-credentials.json holds a token for every persona, and /graphql#token=<token> opens the IDE with one.';

/** The JSON the headers editor starts with: a comment that says what to put there. */
export const HEADERS_HINT = `{
  // Your credentials; the IDE sends nothing without them:
  // "Authorization": "Bearer <JWT>"
  // "x-api-key": "<key>"   (partners run only registered documents)
}
`;

/**
 * Reads `#token=<jwt>` (demo mode only) and removes it from the address bar, so a screenshot or a
 * bookmark does not keep it. Returns the headers editor's text for it.
 */
export function headersFromFragment(location: { hash: string }, clear: () => void): string | undefined {
  const match = /^#token=([^&]+)$/.exec(location.hash);
  if (!match?.[1]) return undefined;
  clear();
  const token = decodeURIComponent(match[1]).trim();
  return `${JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2)}\n`;
}
