/**
 * How the gateway says no before executing: QUERY_TOO_COMPLEX naming the limit, its configured
 * value and the measured figure (HTTP 400), and RATE_LIMITED with `Retry-After` (HTTP 429).
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError, Lexer, Source, TokenKind, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, httpStatusOf } from '../errors.js';

/** The name of a limit as it appears in `extensions.limit` (and, upper-cased, as `LIMIT_*`). */
export type LimitName =
  | 'depth'
  | 'aliases'
  | 'rootFields'
  | 'fields'
  | 'tokens'
  | 'directives'
  | 'documentBytes'
  | 'variables'
  | 'variablesBytes'
  | 'validationWork'
  | 'cost'
  | 'upstreamRequests'
  | 'uemQuotaRemaining'
  | 'memoryBytes'
  | 'introspectionSchema'
  | 'introspectionTypes'
  | 'introspectionOfType'
  | 'introspectionDepth';

export interface Measured {
  limit: LimitName;
  /** The configured maximum. */
  max: number;
  /** What this operation measured (or was estimated at). */
  measured: number;
}

const describe: Record<LimitName, string> = {
  depth: 'is nested too deeply',
  aliases: 'has too many aliases',
  rootFields: 'has too many root fields',
  fields: 'selects too many fields once its fragments are expanded',
  tokens: 'has too many tokens',
  directives: 'uses too many directives',
  documentBytes: 'is too large',
  variables: 'declares too many variables',
  variablesBytes: 'has variables that are too large',
  validationWork: 'would take too much work to validate (same-named fields and fragment spreads compared pairwise)',
  cost: 'costs too much',
  upstreamRequests: 'would make too many upstream requests',
  uemQuotaRemaining: "would make more UEM requests than UEM's quota has left (once the day's snapshot refreshes are set aside)",
  memoryBytes: "would hold more memory than the gateway's whole memory budget (estimated bytes)",
  introspectionSchema: 'selects __schema more than once',
  introspectionTypes: 'selects too many __type fields',
  introspectionOfType: 'nests ofType too deeply',
  introspectionDepth: 'is an introspection query nested too deeply',
};

/** The first figure over its maximum, if any. */
export function firstExceeded(figures: readonly Measured[]): Measured | undefined {
  return figures.find((f) => f.measured > f.max);
}

/** `extra`: more extensions (the upstream estimate and its plans for the upstream limits). */
export function tooComplex(figure: Measured, extra?: Record<string, unknown>): GraphQLError {
  return new GraphQLError(`The operation ${describe[figure.limit]}: ${figure.measured} where the limit is ${figure.max} (${figure.limit}).`, {
    extensions: {
      code: ErrorCode.QUERY_TOO_COMPLEX,
      limit: figure.limit,
      max: figure.max,
      measured: figure.measured,
      ...extra,
      http: { status: httpStatusOf.QUERY_TOO_COMPLEX },
    },
  });
}

export function rateLimited(retryAfterSeconds: number, bucket: 'principal' | 'apiKey'): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new GraphQLError(`Too many requests from this ${bucket === 'apiKey' ? 'API key' : 'caller'}: retry in ${seconds} s.`, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      bucket,
      retryAfterSeconds: seconds,
      http: { status: httpStatusOf.RATE_LIMITED, headers: new HeaderMap([['retry-after', String(seconds)]]) },
    },
  });
}

const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\. Parsing aborted\.$/;

/**
 * graphql's parser stops at `maxTokens` with a syntax error; this turns that error into the
 * QUERY_TOO_COMPLEX refusal (the document is lexed again to report the measured figure).
 */
export function tokenRefusal(error: GraphQLError, source: string | undefined): Measured | undefined {
  const match = TOKEN_LIMIT.exec(error.message);
  if (!match) return undefined;
  const max = Number(match[1]);
  return { limit: 'tokens', max, measured: source === undefined ? max + 1 : countTokens(source) };
}

function countTokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // A lexical error further on: what was counted is still over the limit.
  }
  return count;
}

/** A request refused before Apollo runs: the status, the errors and the headers to send. */
export interface Refusal {
  status: number;
  errors: GraphQLFormattedError[];
  headers?: Record<string, string>;
}

/** A refusal error as the HTTP layer sends it (see `httpRefusal`). */
export function refusalOfError(error: GraphQLError): Refusal {
  const { status, message, extensions, headers } = httpRefusal(error);
  return { status, errors: [{ message, extensions }], headers };
}

/**
 * A refusal raised before Apollo runs, as the HTTP layer sends it: the status and headers of
 * `extensions.http`, the other extensions as they are.
 */
export function httpRefusal(error: GraphQLError): { status: number; message: string; extensions: Record<string, unknown>; headers: Record<string, string> } {
  const { http, ...extensions } = error.extensions as { http?: { status?: number; headers?: HeaderMap } } & Record<string, unknown>;
  return { status: http?.status ?? 400, message: error.message, extensions, headers: Object.fromEntries(http?.headers ?? []) };
}
