/**
 * The error codes of docs/interfaces.md and helpers to raise them. Three tiers (docs/contributing.md habit 8): expected
 * outcomes as coded GraphQLErrors, upstream failures with `extensions.upstream`, and everything
 * else masked as INTERNAL_SERVER_ERROR with a request id. This module imports nothing from the app.
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  /** The gateway is at capacity (its memory budget, or its exports): retry after `Retry-After`. */
  OVERLOADED: 'OVERLOADED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The idempotency key is being worked on by another request that did not finish in time (retry later). */
  IDEMPOTENCY_IN_PROGRESS: 'IDEMPOTENCY_IN_PROGRESS',
  /** The idempotency key was used for another mutation or other input. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type UpstreamName = 'uem' | 'harmony';

/** HTTP status a request-level error maps to, where it ends the whole request. */
export const httpStatusOf: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_REQUIRED: 400,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 502,
  UPSTREAM_TIMEOUT: 504,
  OVERLOADED: 503,
  INTERNAL_SERVER_ERROR: 500,
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
};

export interface CodedErrorOptions {
  /** Extra fields for `extensions` (never secrets or upstream bodies). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** A GraphQLError with one of the contract's codes in `extensions.code`. */
export function codedError(code: ErrorCode, message: string, options: CodedErrorOptions = {}): GraphQLError {
  return new GraphQLError(message, {
    extensions: { ...options.extensions, code },
    originalError: options.cause instanceof Error ? options.cause : undefined,
  });
}

export const badInput = (message: string, extensions?: Record<string, unknown>) =>
  codedError(ErrorCode.BAD_USER_INPUT, message, { extensions });

export const forbidden = (message: string, extensions?: Record<string, unknown>) =>
  codedError(ErrorCode.FORBIDDEN, message, { extensions });

export const notFound = (message: string, extensions?: Record<string, unknown>) =>
  codedError(ErrorCode.NOT_FOUND, message, { extensions });

/**
 * An upstream failure, raised by the HTTP layer and passed through to clients: which upstream,
 * which operation, and the contract code. `upstreamCode` carries the upstream's own error code
 * when it has one (e.g. Harmony's `ROLE_NAME_EXISTS`, UEM's `5061`).
 */
export interface UpstreamErrorDetails {
  operation?: string;
  status?: number;
  upstreamCode?: string | number;
  retryAfterMs?: number;
  /** Why, in the gateway's words, when the upstream's code alone does not say (e.g. `UEM_ROLE_CATEGORY_MISSING`). */
  reason?: string;
  /** UEM: the permission category the gateway's API admin role lacks, as the console names it. */
  roleCategory?: string;
}

export class UpstreamError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly upstream: UpstreamName,
    message: string,
    readonly details: UpstreamErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }

  toGraphQLError(): GraphQLError {
    const extensions: Record<string, unknown> = { upstream: this.upstream };
    if (this.details.upstreamCode !== undefined) extensions.upstreamCode = this.details.upstreamCode;
    if (this.details.retryAfterMs !== undefined) extensions.retryAfterSeconds = Math.ceil(this.details.retryAfterMs / 1000);
    if (this.details.reason !== undefined) extensions.reason = this.details.reason;
    if (this.details.roleCategory !== undefined) extensions.roleCategory = this.details.roleCategory;
    return codedError(this.code, this.message, { extensions, cause: this });
  }
}

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}

/** The contract code an error carries (`extensions.code`, or `code`); INTERNAL_SERVER_ERROR when none. */
export const codeOf = (err: unknown): string => {
  const e = err as { extensions?: { code?: unknown }; code?: unknown };
  const code = e?.extensions?.code ?? e?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
};
