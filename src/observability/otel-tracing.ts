/**
 * The OpenTelemetry side of tracing.ts, loaded only when tracing is on. Spans are parented
 * explicitly through the request's context: no global context manager.
 */
import { context as otelContext, defaultTextMapGetter, defaultTextMapSetter, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config.js';
import type { RequestTrace, Tracing } from './tracing.js';

export function createOtelTracing(settings: NonNullable<Config['tracing']>, version: string): Tracing {
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
