/**
 * Parses an upstream JSON body with a zod schema (docs/contributing.md habit 7). A body of the wrong shape is
 * an UPSTREAM_UNAVAILABLE error: the upstream is not speaking the contract we rely on. The zod
 * issues stay in the error's cause for logs; they never reach the message.
 *
 * A response's body is validated once per schema, however many requests share it: identical GETs
 * in flight at the same moment share one response (http-client.ts), and each caller used to parse
 * it again. The outcome is remembered on the response (`parseResponse`) until every call sharing
 * it has read it, so parsed values may be shared between requests and must be treated as read-only.
 */
import type { z } from 'zod';
import type { UpstreamError } from '../../errors.js';
import type { HttpResponse } from './http-client.js';
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

/**
 * Where a response keeps its readings: a field of the response object, not an entry of a WeakMap
 * keyed by the body. V8's scavenger keeps an ephemeron's value alive even when its key is garbage,
 * so every page read since the last scavenge (its devices, and through their strings its text) was
 * copied once more: ~85 KB a request for a page of 100 devices.
 */
export type Readings = Map<BodyShape, Outcome<unknown>>;

/** The body of `res` read with `schema`, once per schema for all who share the response. */
export function parseResponse<T>(schema: BodyReader<T>, res: HttpResponse, call: CallInfo): T;
export function parseResponse<S extends z.ZodType>(schema: S, res: HttpResponse, call: CallInfo): z.output<S>;
export function parseResponse(schema: BodyShape, res: HttpResponse, call: CallInfo): unknown;
export function parseResponse(schema: BodyShape, res: HttpResponse, call: CallInfo): unknown {
  const readings = (res.readings ??= new Map());
  let result = readings.get(schema);
  if (!result) {
    result = schema.safeParse(res.body) as Outcome<unknown>;
    readings.set(schema, result);
  }
  // Once every call sharing the response has read it, the response lets go of what it carried
  // (`HttpResponse.readers`): one reader when it was not shared.
  res.readers = (res.readers ?? 1) - 1;
  if (res.readers <= 0) {
    (res as { body: unknown }).body = undefined;
    res.readings = undefined;
  }
  return answer(result, call, res.status);
}

/** `value` read with `schema` (a body no one else shares, e.g. a token's). */
export function parseShape<T>(schema: BodyReader<T>, value: unknown, call: CallInfo, status?: number): T;
export function parseShape<S extends z.ZodType>(schema: S, value: unknown, call: CallInfo, status?: number): z.output<S>;
export function parseShape(schema: BodyShape, value: unknown, call: CallInfo, status?: number): unknown {
  return answer(schema.safeParse(value) as Outcome<unknown>, call, status);
}

function answer(result: Outcome<unknown>, call: CallInfo, status: number | undefined): unknown {
  if (result.success) return result.data;
  const error: UpstreamError = unexpectedShape(call, status);
  Object.defineProperty(error, 'cause', { value: result.error, enumerable: false });
  throw error;
}
