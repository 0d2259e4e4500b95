/**
 * How errors leave the gateway. Coded errors (ours, with a contract code) and upstream errors pass
 * through; Apollo's own request errors are folded into BAD_USER_INPUT with the original code as
 * `reason`; anything else is logged and masked as INTERNAL_SERVER_ERROR (no stack, no upstream body).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isUpstreamError } from '../errors.js';
import type { Logger } from '../logger.js';

const CONTRACT_CODES = new Set<string>(Object.values(ErrorCode));
const APOLLO_INPUT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export function formatError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isUpstreamError(original)) {
    const gql = original.toGraphQLError();
    return { message: gql.message, path: formatted.path, locations: formatted.locations, extensions: gql.extensions };
  }
  const code = formatted.extensions?.code;
  // Our own INTERNAL_SERVER_ERRORs carry a `reason` (e.g. AUDIT_UNAVAILABLE) and a safe message.
  const ours = code === ErrorCode.INTERNAL_SERVER_ERROR && typeof formatted.extensions?.reason === 'string';
  if (typeof code === 'string' && CONTRACT_CODES.has(code) && (code !== ErrorCode.INTERNAL_SERVER_ERROR || ours)) {
    return withoutStack(formatted);
  }
  if (typeof code === 'string' && APOLLO_INPUT_CODES.has(code)) {
    return withoutStack({ ...formatted, extensions: { ...formatted.extensions, code: ErrorCode.BAD_USER_INPUT, reason: code } });
  }
  logger.error({ err: original, path: formatted.path }, 'unexpected error while executing an operation');
  return {
    message: 'Internal server error.',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _stack, ...rest } = formatted.extensions;
  return { ...formatted, extensions: rest };
}
