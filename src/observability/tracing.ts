/**
 * OpenTelemetry tracing, off unless an OTLP endpoint is configured (README, "Tracing"). One span
 * per GraphQL request (continuing the caller's trace when a `traceparent` came in), a CLIENT span
 * per upstream call with `traceparent` sent to the upstream, and a span per DataLoader batch.
 * Spans are parented explicitly through the request's context: no global context manager, so the
 * cost when tracing is off is one shared no-op object per request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { context as otelContext, defaultTextMapGetter, defaultTextMapSetter, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
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

export function createTracing(settings: Config['tracing'], version: string): Tracing {
  if (!settings) return TRACING_OFF;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': version }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }), { scheduledDelayMillis: 1000 })],
  });
  const tracer = provider.getTracer('uem-harmony-gateway', version);
  const propagator = new W3CTraceContextPropagator();
  return {
    enabled: true,
    startRequest(headers, requestId) {
      const parent = propagator.extract(otelContext.active(), headers, defaultTextMapGetter);
      const span = tracer.startSpan('graphql request', { kind: SpanKind.SERVER, attributes: { 'gateway.request_id': requestId } }, parent);
      return requestTrace(tracer, propagator, span, trace.setSpan(parent, span));
    },
    shutdown: () => provider.shutdown(),
  };
}

function requestTrace(tracer: Tracer, propagator: W3CTraceContextPropagator, span: Span, ctx: Context): RequestTrace {
  return {
    upstreamCall(upstream, operation) {
      const child = tracer.startSpan(
        `${upstream} ${operation}`,
        { kind: SpanKind.CLIENT, attributes: { 'gateway.upstream': upstream, 'gateway.upstream.operation': operation } },
        ctx,
      );
      const headers: Record<string, string> = {};
      propagator.inject(trace.setSpan(ctx, child), headers, defaultTextMapSetter);
      return {
        headers,
        end(status) {
          child.setAttribute('http.response.status_code', status);
          if (!/^2\d\d$/.test(status)) child.setStatus({ code: SpanStatusCode.ERROR, message: status });
          child.end();
        },
      };
    },
    loaderBatch(loader, keys) {
      const child = tracer.startSpan(`loader ${loader}`, { attributes: { 'gateway.loader': loader, 'gateway.loader.keys': keys } }, ctx);
      return () => child.end();
    },
    end({ status, outcome, operation, operationKind, errorCodes }) {
      span.updateName(operation ? `graphql ${operationKind ?? 'operation'} ${operation}` : 'graphql request');
      span.setAttributes({
        'http.response.status_code': status,
        'graphql.operation.name': operation ?? '',
        'graphql.operation.type': operationKind ?? '',
        'gateway.outcome': outcome,
        'gateway.error_codes': errorCodes,
      });
      if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
