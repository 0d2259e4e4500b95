/**
 * Parses an upstream JSON body with a zod schema (docs/contributing.md habit 7). A body of the wrong shape is
 * an UPSTREAM_UNAVAILABLE error: the upstream is not speaking the contract we rely on. The zod
 * issues stay in the error's cause for logs; they never reach the message.
 */
import type { z } from 'zod';
import type { UpstreamError } from '../../errors.js';
import { unexpectedShape, type CallInfo } from './error-map.js';

export function parseShape<S extends z.ZodType>(schema: S, value: unknown, call: CallInfo, status?: number): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const error: UpstreamError = unexpectedShape(call, status);
  Object.defineProperty(error, 'cause', { value: result.error, enumerable: false });
  throw error;
}
