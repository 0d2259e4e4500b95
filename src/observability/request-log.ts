/**
 * The one log line per GraphQL request and its metrics: request id, operation, caller kind,
 * document hash, status, duration, upstream requests and error codes. Never bodies, variables,
 * emails or credentials (the caller is named by kind only; the audit trail names who did what).
 */
import type { Logger } from '../logger.js';
import type { RequestRecord } from '../server.js';
import { operationLabel, type GatewayMetrics } from './metrics.js';

const REFUSALS = new Set(['QUERY_TOO_COMPLEX', 'RATE_LIMITED', 'OVERLOADED', 'PERSISTED_QUERY_REQUIRED', 'PERSISTED_QUERY_NOT_FOUND']);

export function outcomeOf(record: RequestRecord): string {
  if (record.errorCodes.includes('UNAUTHENTICATED')) return 'unauthenticated';
  if (record.errorCodes.some((c) => REFUSALS.has(c))) return 'refused';
  if (record.status >= 400) return 'error';
  return record.errorCodes.length > 0 ? 'partial' : 'ok';
}

export function requestObserver(logger: Logger, metrics: GatewayMetrics) {
  // The line's fields are the fixed ones below, none of them a secret: the logger's redaction (its
  // wildcard paths walk every line, ~25 KB allocated per request) is not run on it.
  const log = logger.child({}, { redact: [] });
  return (record: RequestRecord): void => {
    const caller = record.caller;
    const outcome = outcomeOf(record);
    const operation = operationLabel(record.operationName);
    metrics.requests.inc({ operation, kind: record.operationKind ?? 'unknown', outcome });
    metrics.duration.observe({ operation, outcome }, record.durationMs / 1000);
    caller?.trace?.end({
      status: record.status,
      outcome,
      operation: record.operationName ? operation : null,
      operationKind: record.operationKind ?? null,
      errorCodes: [...new Set(record.errorCodes)],
    });
    const refusal = record.errorCodes.find((code) => REFUSALS.has(code) || code === 'UNAUTHENTICATED');
    if (refusal) metrics.refusals.inc({ code: refusal, reason: record.reason ?? refusal.toLowerCase() });
    log.info(
      {
        requestId: record.requestId,
        method: record.method,
        operation: record.operationName ?? null,
        operationKind: record.operationKind ?? null,
        principalKind: caller?.principalKind ?? null,
        documentHash: caller?.documentHash ?? null,
        status: record.status,
        outcome,
        durationMs: Math.round(record.durationMs * 10) / 10,
        upstreamRequests: caller ? { ...caller.upstreamCalls } : { uem: 0, harmony: 0 },
        errorCodes: [...new Set(record.errorCodes)],
        ...(record.reason ? { reason: record.reason } : {}),
        ...(record.endpoint ? { endpoint: record.endpoint } : {}),
      },
      'graphql request',
    );
  };
}
