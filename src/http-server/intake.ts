/**
 * The way into GraphQL execution for one request. Its body is read and size-checked first (with
 * the HTTP_BODY_TIMEOUT_MS deadline, each byte accounted against the memory budget) and only then
 * does it wait for an admission slot (MAX_CONCURRENT_REQUESTS): a client that sends its body
 * slowly holds a socket and a few bytes, never a slot, so a flood of slow bodies cannot stall the
 * requests that arrived whole. A client that leaves while waiting leaves the queue.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.js';
import type { ConcurrencyLimiter } from '../concurrency.js';
import { ErrorCode } from '../errors.js';
import type { MemoryLease } from '../safety/memory-budget.js';
import { OVERLOADED_RETRY_AFTER_SECONDS } from '../safety/memory-budget.js';
import type { RequestRecord } from '../server.js';
import { BodyError, checkQueryJson, ClientGone, parseBody, readBody } from './body.js';
import { sendGraphQLError } from './responses.js';

/** After answering a body that did not arrive in time, how long the response has to flush before the socket is closed. */
const CLOSE_AFTER_MS = 1_000;
/** A body is held as bytes, then as decoded text, then as parsed JSON: it is counted three times. */
const BODY_HEAP_FACTOR = 3;

export interface Admitted {
  /** The parsed POST body (undefined for GET). */
  body: unknown;
  /** Gives the admission slot back; call exactly once. */
  release(): void;
}

export interface IntakeDeps {
  config: Config;
  admission: ConcurrencyLimiter;
}

/** The body, then a slot; undefined when the request was answered here or its client left. */
export async function admit(req: IncomingMessage, res: ServerResponse, record: RequestRecord, lease: MemoryLease, deps: IntakeDeps): Promise<Admitted | undefined> {
  let body: unknown;
  const { jsonDepth } = deps.config.safety.limits;
  if ((req.method ?? 'GET').toUpperCase() === 'POST') {
    try {
      const raw = await readBody(req, { maxBytes: deps.config.maxBodyBytes, timeoutMs: deps.config.http.bodyTimeoutMs, reserve: (n) => lease.add(n * BODY_HEAP_FACTOR) });
      body = parseBody(raw, req.headers['content-type'], jsonDepth);
    } catch (err) {
      if (err instanceof ClientGone) return undefined;
      if (!(err instanceof BodyError)) throw err;
      refuseBody(req, res, record, err);
      return undefined;
    }
  } else {
    try {
      checkQueryJson(new URL(req.url ?? '/', 'http://gateway').search, jsonDepth);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      refuseBody(req, res, record, err);
      return undefined;
    }
  }
  const gone = new AbortController();
  const onClose = () => gone.abort(new Error('client closed the connection'));
  res.once('close', onClose);
  try {
    const release = await deps.admission.acquire(gone.signal);
    return { body, release };
  } catch {
    return undefined;
  } finally {
    res.off('close', onClose);
  }
}

function refuseBody(req: IncomingMessage, res: ServerResponse, record: RequestRecord, err: BodyError): void {
  const reason = typeof err.extensions.reason === 'string' ? err.extensions.reason : undefined;
  if (reason) record.reason = reason;
  if (err.status === 503) {
    record.errorCodes.push(ErrorCode.OVERLOADED);
    const seconds = OVERLOADED_RETRY_AFTER_SECONDS;
    sendGraphQLError(req, res, 503, err.message, { code: ErrorCode.OVERLOADED, ...err.extensions, retryAfterSeconds: seconds }, { 'retry-after': String(seconds) });
    return;
  }
  record.errorCodes.push(ErrorCode.BAD_USER_INPUT);
  const extensions = { code: ErrorCode.BAD_USER_INPUT, ...err.extensions };
  if (err.status !== 408) return sendGraphQLError(req, res, err.status, err.message, extensions);
  // The rest of the body may still be on its way: answer, then close the connection.
  sendGraphQLError(req, res, 408, err.message, extensions, { connection: 'close' });
  res.once('finish', () => setTimeout(() => req.socket.destroy(), CLOSE_AFTER_MS).unref());
}
