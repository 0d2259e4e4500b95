/**
 * Reads a request body with a size limit. Oversized bodies are refused before they are buffered.
 */
import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message);
  }
}

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
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return undefined;
  if (type === 'application/json' || type === 'application/graphql-response+json' || type.endsWith('+json')) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new BodyError(400, 'The request body is not valid UTF-8.');
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BodyError(400, 'The request body is not valid JSON.');
    }
  }
  // Other types reach Apollo as text, which refuses them (and guards against CSRF) with a 400.
  return raw.toString('utf8');
}
