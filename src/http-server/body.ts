/**
 * Reads a request body with a size limit and a deadline. Oversized bodies are refused before they
 * are buffered (413); a body that has not fully arrived within the deadline is refused with 408 and
 * its connection closed, so a client that dribbles its body holds a socket for a bounded time and
 * nothing else (bodies are read before a request takes an admission slot: src/http-server/intake.ts).
 * Every chunk can be accounted against the process's memory budget as it arrives. JSON nested
 * deeper than the limit (in the body, or in a GET's `variables` and `extensions`) is refused
 * before anything walks it.
 */
import type { IncomingMessage } from 'node:http';
import { jsonDepthExceeds, jsonTooDeepMessage } from '../safety/json-depth.js';

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413 | 415 | 503,
    message: string,
    /** More for `extensions` (e.g. a short machine-readable `reason`). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const tooDeep = (what: string, max: number) => new BodyError(400, jsonTooDeepMessage(what, max), { reason: 'JSON_TOO_DEEP', max });

/** The client went away before its body arrived: nothing to answer. */
export class ClientGone extends Error {}

export interface BodyLimits {
  maxBytes: number;
  /** From the first byte of the request being handled to the body's last byte. */
  timeoutMs: number;
  /** Accounts `bytes` more of this body; false refuses the request (the budget is spent). */
  reserve?(bytes: number): boolean;
}

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const { maxBytes } = limits;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.reject(new BodyError(413, `The request body is larger than ${maxBytes} bytes.`));
  }
  if (Number.isFinite(declared) && declared > 0 && limits.reserve && !limits.reserve(declared)) {
    req.resume();
    return Promise.reject(overloaded());
  }
  // Bytes accounted so far: the declared length up front, then whatever arrives beyond it.
  let accounted = Number.isFinite(declared) && declared > 0 ? declared : 0;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      finish();
      reject(new BodyError(408, `The request body did not arrive within ${limits.timeoutMs} ms.`, { reason: 'body_timeout' }));
    }, limits.timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish();
        req.resume();
        return reject(new BodyError(413, `The request body is larger than ${maxBytes} bytes.`));
      }
      if (size > accounted && limits.reserve) {
        if (!limits.reserve(size - accounted)) {
          finish();
          req.resume();
          return reject(overloaded());
        }
        accounted = size;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      finish();
      resolve(Buffer.concat(chunks, size));
    };
    const onGone = () => {
      finish();
      reject(new ClientGone('the client closed the connection before its body arrived'));
    };
    function finish() {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}

function overloaded(): BodyError {
  return new BodyError(503, 'The gateway is at its memory budget; retry shortly.', { reason: 'memory' });
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
