/**
 * Reads a request body with a size limit. Oversized bodies are refused before they are buffered;
 * JSON nested deeper than the limit (in the body, or in a GET's `variables` and `extensions`) is
 * refused before anything walks it.
 */
import type { IncomingMessage } from 'node:http';
import { jsonDepthExceeds, jsonTooDeepMessage } from './json-depth.js';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
    /** More for `extensions` (e.g. a `reason`). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const tooDeep = (what: string, max: number) => new BodyError(400, jsonTooDeepMessage(what, max), { reason: 'JSON_TOO_DEEP', max });

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyError(413, `The request body is larger than ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw new BodyError(413, `The request body is larger than ${limit} bytes.`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a POST body by its content type into what Apollo Server expects. */
export function parseBody(raw: Buffer, contentType: string | undefined, maxJsonDepth = Number.POSITIVE_INFINITY): unknown {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return undefined;
  if (type === 'application/json' || type === 'application/graphql-response+json' || type.endsWith('+json')) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new BodyError(400, 'The request body is not valid UTF-8.');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw new BodyError(400, 'The request body is not valid JSON.');
    }
    if (jsonDepthExceeds(parsed, maxJsonDepth)) throw tooDeep('The request body', maxJsonDepth);
    return parsed;
  }
  // Other types reach Apollo as text, which refuses them (and guards against CSRF) with a 400.
  return raw.toString('utf8');
}

/**
 * The JSON parameters of a GET (`variables`, `extensions`): refused when nested too deeply. Ones
 * that do not parse are left to Apollo Server, which answers them with its own 400.
 */
export function checkQueryJson(search: string, maxJsonDepth: number): void {
  const params = new URLSearchParams(search);
  for (const name of ['variables', 'extensions']) {
    const raw = params.get(name);
    if (!raw) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw) as unknown;
    } catch {
      continue;
    }
    if (jsonDepthExceeds(parsed, maxJsonDepth)) throw tooDeep(`The "${name}" parameter`, maxJsonDepth);
  }
}
