/**
 * The plain parts of one HTTP exchange: the URL from a base and a path, the encoded body, the
 * response headers as plain strings, and a body read with a size cap.
 */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Readonly<Record<string, QueryValue>>;

/**
 * `path` is joined to the base URL's own path (`http://host/API` + `/mdm/devices` →
 * `http://host/API/mdm/devices`); an absolute `http(s)://` path is used as is (a token endpoint
 * on another origin). Undefined and null query values are left out; arrays repeat the name.
 */
export function buildUrl(baseUrl: string, path: string, query: Query = {}): URL {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(path);
  } else {
    const base = new URL(baseUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    url = new URL(`${prefix}${path.startsWith('/') ? path : `/${path}`}`, base.origin);
  }
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number)[]) url.searchParams.append(name, String(item));
    } else {
      url.searchParams.append(name, String(value));
    }
  }
  return url;
}

/** JSON for plain values, a form for URLSearchParams, nothing for undefined. */
export function encodeBody(body: unknown): { payload?: string; contentType?: string } {
  if (body === undefined) return {};
  if (body instanceof URLSearchParams) return { payload: body.toString(), contentType: 'application/x-www-form-urlencoded' };
  if (typeof body === 'string') return { payload: body, contentType: 'text/plain; charset=utf-8' };
  return { payload: JSON.stringify(body), contentType: 'application/json' };
}

/** Response headers as lower-case names with string values (repeated headers joined). */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * A value handed over once. A promise keeps what it was resolved with for as long as it lives; one
 * that waited on the network has been promoted to the old generation by then (under load, always),
 * and after the request it stays until the next mark-compact, and so would its value (a body's
 * text: 127 KB for 100 devices). Resolved with a handoff that the receiver empties (`take`), the old
 * promise keeps an empty box.
 */
export class Handoff<T> {
  #value: T | undefined;

  constructor(value: T) {
    this.#value = value;
  }

  /** The value; the box is empty afterwards. */
  take(): T {
    const value = this.#value as T;
    this.#value = undefined;
    return value;
  }
}

/** Reads a body stream to text, or answers `too-large` (and stops reading) past `maxBytes`. */
export async function readText(body: AsyncIterable<Buffer | Uint8Array> & { destroy(): unknown }, maxBytes: number): Promise<Handoff<string> | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return 'too-large';
    }
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return new Handoff(Buffer.concat(chunks).toString('utf8'));
}
