/**
 * OpenTelemetry tracing, off unless an OTLP endpoint is configured (README, "Tracing"). One span
 * per GraphQL request (continuing the caller's trace when a `traceparent` came in), a CLIENT span
 * per upstream call with `traceparent` sent to the upstream, and a span per DataLoader batch
 * (otel-tracing.ts). Off, the cost is one shared no-op object per request, and the OpenTelemetry
 * SDK is never loaded (its modules are some megabytes of heap and code, and ~0.4 s of CPU at start).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config.js';

export interface UpstreamCallSpan {
  /** Headers to send with the call (`traceparent`, `tracestate`). */
  headers: Record<string, string>;
  end(status: string): void;
}

export interface RequestTrace {
  upstreamCall(upstream: string, operation: string): UpstreamCallSpan | undefined;
  /** Starts the span of one loader batch; call the result when the batch is answered. */
  loaderBatch(loader: string, keys: number): (() => void) | undefined;
  end(attributes: { status: number; outcome: string; operation: string | null; operationKind: string | null; errorCodes: string[] }): void;
}

export interface Tracing {
  readonly enabled: boolean;
  startRequest(headers: IncomingHttpHeaders, requestId: string): RequestTrace;
  /** Flushes spans not yet exported and stops the exporter. */
  shutdown(): Promise<void>;
}

const NOOP_TRACE: RequestTrace = { upstreamCall: () => undefined, loaderBatch: () => undefined, end: () => undefined };
export const TRACING_OFF: Tracing = { enabled: false, startRequest: () => NOOP_TRACE, shutdown: async () => undefined };

export async function createTracing(settings: Config['tracing'], version: string): Promise<Tracing> {
  if (!settings) return TRACING_OFF;
  const { createOtelTracing } = await import('./otel-tracing.js');
  return createOtelTracing(settings, version);
}
