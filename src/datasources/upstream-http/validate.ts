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

/**
 * A hand-written reader of a shape read on the hot path (a page of devices: `readerPage` in
 * uem.paging.ts), answering as a zod schema's `safeParse` does. zod's per-item transforms keep what
 * they return alive through the next scavenges (measured: the devices of every page read since the
 * last scavenge were promoted to the old generation; read by hand, none were).
 */
export interface BodyReader<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error };
}

/** What a body is read with: a zod schema, or a reader of a hot shape. */
export type BodyShape = z.ZodType | BodyReader<unknown>;

type Outcome<T> = { success: true; data: T } | { success: false; error: Error };

const parsedBodies = new WeakMap<object, Map<BodyShape, Outcome<unknown>>>();

function safeParseOnce(schema: BodyShape, value: unknown): Outcome<unknown> {
  if (typeof value !== 'object' || value === null) return schema.safeParse(value) as Outcome<unknown>;
  let bySchema = parsedBodies.get(value);
  if (!bySchema) {
    bySchema = new Map();
    parsedBodies.set(value, bySchema);
  }
  let result = bySchema.get(schema);
  if (!result) {
    result = schema.safeParse(value) as Outcome<unknown>;
    bySchema.set(schema, result);
  }
  return result;
}

export function parseShape<T>(schema: BodyReader<T>, value: unknown, call: CallInfo, status?: number): T;
export function parseShape<S extends z.ZodType>(schema: S, value: unknown, call: CallInfo, status?: number): z.output<S>;
export function parseShape(schema: BodyShape, value: unknown, call: CallInfo, status?: number): unknown {
  const result = safeParseOnce(schema, value);
  if (result.success) return result.data;
  const error: UpstreamError = unexpectedShape(call, status);
  Object.defineProperty(error, 'cause', { value: result.error, enumerable: false });
  throw error;
}
