/**
 * Parses an upstream JSON body with a zod schema (docs/contributing.md habit 7). A body of the wrong shape is
 * an UPSTREAM_UNAVAILABLE error: the upstream is not speaking the contract we rely on. The zod
 * issues stay in the error's cause for logs; they never reach the message.
 *
 * A body is validated once per schema, however many requests share it: identical GETs in flight
 * at the same moment share one response (http-client.ts), and each caller used to parse it
 * again. The outcome is remembered on the body object itself (weakly: it goes with the body), so
 * parsed values may be shared between requests and must be treated as read-only.
 */
import type { z } from 'zod';
import type { UpstreamError } from '../../errors.js';
import { unexpectedShape, type CallInfo } from './error-map.js';

const parsedBodies = new WeakMap<object, Map<z.ZodType, z.ZodSafeParseResult<unknown>>>();

function safeParseOnce<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  if (typeof value !== 'object' || value === null) return schema.safeParse(value);
  let bySchema = parsedBodies.get(value);
  if (!bySchema) {
    bySchema = new Map();
    parsedBodies.set(value, bySchema);
  }
  let result = bySchema.get(schema) as z.ZodSafeParseResult<z.output<S>> | undefined;
  if (!result) {
    result = schema.safeParse(value);
    bySchema.set(schema, result);
  }
  return result;
}

export function parseShape<S extends z.ZodType>(schema: S, value: unknown, call: CallInfo, status?: number): z.output<S> {
  const result = safeParseOnce(schema, value);
  if (result.success) return result.data;
  const error: UpstreamError = unexpectedShape(call, status);
  Object.defineProperty(error, 'cause', { value: result.error, enumerable: false });
  throw error;
}
