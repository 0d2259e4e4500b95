/**
 * The one place where upstream failures become the contract's codes (docs/interfaces.md): timeouts →
 * UPSTREAM_TIMEOUT, 404 → NOT_FOUND (an HTML 404 page is an unknown route: UPSTREAM_UNAVAILABLE), 429 → RATE_LIMITED with `retryAfterMs`, network errors, 5xx,
 * unreadable bodies and an open breaker → UPSTREAM_UNAVAILABLE. Messages are ours and fixed: an
 * upstream body never reaches a message (only its error code, as `upstreamCode`).
 */
import { ErrorCode, UpstreamError, type UpstreamName } from '../../errors.js';
import type { BodyProblem } from './parse.js';

export interface CallInfo {
  upstream: UpstreamName;
  /** A route name such as `devices.search` (bounded: never an id). */
  operation: string;
}

/** A failed attempt: the error to raise, and what the retry policy and the breaker need to know. */
export interface AttemptFailure {
  error: UpstreamError;
  /** Worth another attempt (for idempotent calls). */
  transient: boolean;
  /** Says the upstream is unhealthy: counts towards opening the route's breaker. */
  unhealthy: boolean;
  /**
   * The upstream's host could not be reached at all (refused, unknown host, connect timeout): it
   * counts towards the connection breaker, which pauses every route, and not towards the route's.
   */
  connection?: boolean;
  /** The `status` label of the request metric: an HTTP status, `timeout`, `network_error`, `unreadable`. */
  label: string;
}

export const upstreamDisplayName: Record<UpstreamName, string> = { uem: 'UEM', harmony: 'Harmony' };

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
/** Failures to reach the host at all: no route of it can answer. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The error code of a network error, or of its cause (undici wraps some). */
function networkCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
  }
  return undefined;
}

function make(call: CallInfo, code: ErrorCode, message: string, details: UpstreamError['details'] = {}, cause?: unknown): UpstreamError {
  const name = upstreamDisplayName[call.upstream];
  return new UpstreamError(code, call.upstream, `${name} ${message} (${call.operation}).`, { operation: call.operation, ...details }, { cause });
}

/** A connection or protocol error raised while sending or reading (undici's `UND_ERR_*`, `ECONN*`). */
export function fromNetworkError(call: CallInfo, err: unknown): AttemptFailure {
  const code = networkCode(err);
  const connection = code !== undefined && CONNECTION_CODES.has(code);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return { error: make(call, ErrorCode.UPSTREAM_TIMEOUT, 'did not answer in time', {}, err), transient: true, unhealthy: true, connection, label: 'timeout' };
  }
  return { error: make(call, ErrorCode.UPSTREAM_UNAVAILABLE, 'is unreachable', {}, err), transient: true, unhealthy: true, connection, label: 'network_error' };
}

/** A non-2xx answer. */
export function fromStatus(
  call: CallInfo,
  status: number,
  extra: { retryAfterMs?: number; upstreamCode?: string | number; htmlBody?: boolean } = {},
): AttemptFailure {
  const details = { status, upstreamCode: extra.upstreamCode };
  const label = String(status);
  if (status === 404 && extra.htmlBody) {
    // A web server's HTML page, not the API's own 404: the route does not exist (wrong base URL or
    // path), which must not read as "no such object".
    const error = make(call, ErrorCode.UPSTREAM_UNAVAILABLE, 'has no such route (HTTP 404 with an HTML page)', { status, upstreamCode: 'html' });
    return { error, transient: false, unhealthy: false, label };
  }
  if (status === 404) {
    return { error: make(call, ErrorCode.NOT_FOUND, 'has no such object', details), transient: false, unhealthy: false, label };
  }
  if (status === 429) {
    const after = extra.retryAfterMs === undefined ? '' : `; retry after ${Math.ceil(extra.retryAfterMs / 1000)} s`;
    const error = make(call, ErrorCode.RATE_LIMITED, `rate limit reached${after}`, { ...details, retryAfterMs: extra.retryAfterMs });
    return { error, transient: true, unhealthy: false, label };
  }
  if (status === 408 || status === 504) {
    const error = make(call, ErrorCode.UPSTREAM_TIMEOUT, `did not answer in time (HTTP ${status})`, details);
    return { error, transient: true, unhealthy: status === 504, label };
  }
  if (status >= 500) {
    const transient = status !== 501 && status !== 505;
    return { error: make(call, ErrorCode.UPSTREAM_UNAVAILABLE, `failed (HTTP ${status})`, details), transient, unhealthy: true, label };
  }
  if (status === 401 || status === 403) {
    const error = make(call, ErrorCode.UPSTREAM_UNAVAILABLE, `refused the gateway's credentials (HTTP ${status})`, details);
    return { error, transient: false, unhealthy: false, label };
  }
  if (status === 400 || status === 409 || status === 422) {
    const error = make(call, ErrorCode.BAD_USER_INPUT, `rejected the request (HTTP ${status})`, details);
    return { error, transient: false, unhealthy: false, label };
  }
  return { error: make(call, ErrorCode.UPSTREAM_UNAVAILABLE, `answered with HTTP ${status}`, details), transient: false, unhealthy: false, label };
}

/** A 2xx answer whose body cannot be read (HTML, truncated or malformed JSON, too large). */
export function fromUnreadableBody(call: CallInfo, status: number, problem: BodyProblem | 'too-large'): AttemptFailure {
  const what = problem === 'html' ? 'an HTML page' : problem === 'too-large' ? 'a body over the size limit' : 'malformed JSON';
  const error = make(call, ErrorCode.UPSTREAM_UNAVAILABLE, `sent an unreadable response: ${what}`, { status, upstreamCode: problem });
  return { error, transient: problem !== 'too-large', unhealthy: true, label: 'unreadable' };
}

/** The request's overall deadline passed (queueing, attempts and waits together). */
export function deadlineExceeded(call: CallInfo, timeoutMs: number, cause?: unknown): UpstreamError {
  return make(call, ErrorCode.UPSTREAM_TIMEOUT, `did not answer within ${timeoutMs} ms`, {}, cause);
}

/**
 * A breaker is open: refused without a call. `scope` says which: this route's (its calls failed
 * repeatedly; the upstream's other routes still serve) or the connection's (the host could not be
 * reached repeatedly; every route is paused).
 */
export function breakerOpen(call: CallInfo, retryInMs: number, scope: 'route' | 'connection' = 'route'): UpstreamError {
  const why = scope === 'route' ? 'failed repeatedly on this route; its calls are paused' : 'could not be reached repeatedly; calls are paused';
  return make(call, ErrorCode.UPSTREAM_UNAVAILABLE, why, {
    upstreamCode: 'CIRCUIT_OPEN',
    retryAfterMs: retryInMs > 0 ? retryInMs : undefined,
  });
}

/** The upstream's quota is spent until its reset, beyond this request's retry budget. */
export function quotaExhausted(call: CallInfo, retryAfterMs: number): UpstreamError {
  return make(call, ErrorCode.RATE_LIMITED, `request quota is exhausted; retry after ${Math.ceil(retryAfterMs / 1000)} s`, {
    upstreamCode: 'QUOTA_EXHAUSTED',
    retryAfterMs,
  });
}

/** A 2xx JSON body that does not have the documented shape. */
export function unexpectedShape(call: CallInfo, status?: number): UpstreamError {
  return make(call, ErrorCode.UPSTREAM_UNAVAILABLE, 'sent a response of an unexpected shape', { status, upstreamCode: 'UNEXPECTED_SHAPE' });
}

/**
 * A failure the upstream reports in the body (Harmony's `status: false`, UEM's bulk faults): the
 * caller decides the contract code from the upstream's own code.
 */
export function upstreamRejected(call: CallInfo, code: ErrorCode, upstreamCode: string | number | undefined, summary: string, status?: number): UpstreamError {
  return make(call, code, summary, { status, upstreamCode });
}
