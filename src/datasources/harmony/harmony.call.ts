/**
 * One authenticated Harmony call: the session token in the `authToken` header, the envelope
 * checked in the body (Harmony reports failures with HTTP 200 and `status: false`), the payload
 * parsed with its schema, and exactly one re-login and retry when the token was rejected
 * (INVALID_TOKEN or an auth failure). A write is safe to resend then: Harmony refused it unread.
 */
import type { z } from 'zod';
import type { HttpClient, HttpMethod, UpstreamCallObserver } from '../upstream-http/http-client.js';
import { parseResponse, parseShape } from '../upstream-http/validate.js';
import type { HarmonySession } from './harmony.auth.js';
import { harmonyBodyError, isInvalidToken } from './harmony.errors.js';
import { HARMONY_AUTH_HEADER } from './harmony.routes.js';
import { envelopeSchema } from './harmony.schemas.js';

export interface HarmonyShared {
  client: HttpClient;
  session: HarmonySession;
  orgId: string;
}

export interface HarmonyCallSpec<S extends z.ZodType> {
  method: HttpMethod;
  path: string;
  body?: unknown;
  operation: string;
  schema: S;
  /** A readiness probe (HttpRequest.probe). */
  probe?: { timeoutMs: number };
}

export async function harmonyCall<S extends z.ZodType>(
  shared: HarmonyShared,
  spec: HarmonyCallSpec<S>,
  onUpstreamCall?: UpstreamCallObserver,
): Promise<z.output<S>> {
  const call = { upstream: 'harmony' as const, operation: spec.operation };
  for (let attempt = 0; ; attempt++) {
    const token = await shared.session.token(onUpstreamCall);
    try {
      const res = await shared.client.request({
        method: spec.method,
        path: spec.path,
        body: spec.body,
        headers: { [HARMONY_AUTH_HEADER]: token },
        operation: spec.operation,
        onUpstreamCall,
        probe: spec.probe,
      });
      const envelope = parseShape(envelopeSchema, res.body ?? {}, call, res.status);
      if (envelope.status === false || envelope.success === false) {
        const error = harmonyBodyError(call, envelope.errorCode, res.status);
        shared.client.recordError(spec.operation, error);
        throw error;
      }
      return parseResponse(spec.schema, res, call);
    } catch (err) {
      if (attempt > 0 || !isInvalidToken(err)) throw err;
      shared.session.invalidate(token);
    }
  }
}
