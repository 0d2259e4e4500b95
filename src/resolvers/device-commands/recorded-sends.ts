/**
 * Per-device writes sent with their progress recorded (issue 16): a batch is written as being sent
 * before its upstream call, and its per-device results after. A batch that cannot be recorded first
 * is not sent (its devices answer NOT_SENT). Shared by device commands and tag changes.
 */
import type { GraphQLContext } from '../../context.js';
import type { BulkItemResult } from '../../datasources/uem/uem.bulk.js';
import type { BulkHooks } from '../../datasources/uem/uem.devices.js';
import { ClaimLostError, type Progress } from '../../idempotency/idempotent-run.js';
import type { JsonValue } from '../../store/database.types.js';
import type { TargetResult } from './device-targets.js';

/** Progress for a request without an idempotency key: nothing to record. */
export const NO_PROGRESS: Progress = { decided: async () => undefined, sending: async () => undefined, done: async () => undefined };

const NOT_RECORDED = 'Not sent: the gateway could not record this call before making it (its database did not answer). Send it again.';

export const asJson = (results: Iterable<TargetResult>): Map<string, JsonValue> => new Map([...results].map((r) => [r.deviceId, r as unknown as JsonValue]));

export const fromBulk = (r: BulkItemResult): TargetResult => ({
  deviceId: r.item,
  status: r.errorCode === 'NOT_SENT' ? 'SKIPPED' : r.status,
  errorCode: r.errorCode,
  message: r.message,
});

export interface RecordedSends extends BulkHooks {
  /** Records a batch as being sent; results to answer instead when it cannot be (then it must not be sent). */
  beforeSend(values: readonly string[]): Promise<BulkItemResult[] | undefined>;
  /** Keeps results (in `sent`) and records them; a failure to record is logged, the results stand. */
  record(results: readonly TargetResult[]): Promise<void>;
}

/** `annotate` completes each result before it is kept and recorded (e.g. with how to find the command sent). */
export function recordedSends(
  ctx: GraphQLContext,
  progress: Progress,
  sent: Map<string, TargetResult>,
  annotate: (r: TargetResult) => TargetResult = (r) => r,
): RecordedSends {
  const beforeSend = async (values: readonly string[]): Promise<BulkItemResult[] | undefined> => {
    try {
      await progress.sending(values);
      return undefined;
    } catch (err) {
      ctx.services.logger.error({ err, requestId: ctx.requestId, targets: values.length }, 'idempotency: batch not recorded, so not sent');
      const message = err instanceof ClaimLostError ? `Not sent: ${err.message}` : NOT_RECORDED;
      return values.map((item) => ({ item, status: 'FAILED', errorCode: 'NOT_SENT', message }));
    }
  };
  const record = async (given: readonly TargetResult[]) => {
    const results = given.map(annotate);
    for (const r of results) sent.set(r.deviceId, r);
    try {
      await progress.done(asJson(results));
    } catch (err) {
      // The results stand (they are answered); the claim is recovered if it cannot be completed either.
      ctx.services.logger.error({ err, requestId: ctx.requestId }, 'idempotency: results of a batch not recorded');
    }
  };
  return { beforeSend, record, beforeChunk: beforeSend, afterChunk: (results) => record(results.map(fromBulk)) };
}
