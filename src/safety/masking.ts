/**
 * Masked errors carry the request id, and the full error goes to the log under that id. With the
 * development setting EXPOSE_ERRORS (refused in production) they also carry the original message
 * and stack. `formatError` (src/http-server/format-error.ts) has already decided what is masked: an
 * INTERNAL_SERVER_ERROR without a `reason`.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

export function maskErrors(
  formatted: readonly GraphQLFormattedError[] | undefined,
  originals: readonly unknown[] | undefined,
  requestId: string,
  options: { logger: Logger; exposeErrors: boolean },
): GraphQLFormattedError[] | undefined {
  if (!formatted?.some((e) => e.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR)) return undefined;
  return formatted.map((error, i) => {
    if (error.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR || error.extensions.requestId !== undefined) return error;
    const extensions: Record<string, unknown> = { ...error.extensions, requestId };
    if (typeof error.extensions.reason !== 'string') {
      const original = unwrapResolverError(originals?.[i]);
      options.logger.error({ err: original, requestId, path: error.path }, 'masked an unexpected error');
      if (options.exposeErrors && original instanceof Error) {
        extensions.details = { message: original.message, stacktrace: original.stack?.split('\n') ?? [] };
      }
    }
    return { ...error, extensions };
  });
}
