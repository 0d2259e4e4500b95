/**
 * Sending a device command: per-device permission, then one bulk upstream call per batch (a single
 * call for one device), with the progress recorded around each call (issue 16): a batch is written
 * as being sent before it goes, and its per-device results after. A batch that cannot be recorded
 * first is not sent.
 */
import type { DeviceCommand } from '../../__generated__/resolvers-types.js';
import type { CapabilityName } from '../../auth/capabilities.js';
import type { GraphQLContext } from '../../context.js';
import type { BulkItemResult, UemDeviceCommand } from '../../datasources/uem/uem.bulk.js';
import { isUpstreamError } from '../../errors.js';
import { ClaimLostError, type Progress } from '../../idempotency/idempotent-run.js';
import type { JsonValue } from '../../store/database.types.js';
import { authorizeTargets, type TargetResult } from './device-targets.js';

export const UPSTREAM_COMMAND: Record<DeviceCommand, UemDeviceCommand> = {
  SYNC: 'SyncDevice',
  QUERY: 'DeviceQuery',
  LOCK: 'Lock',
  CLEAR_PASSCODE: 'ClearPasscode',
  ENTERPRISE_WIPE: 'EnterpriseWipe',
  DEVICE_WIPE: 'DeviceWipe',
};

const CAPABILITY: Record<DeviceCommand, CapabilityName> = {
  SYNC: 'sendNonDestructiveCommand',
  QUERY: 'sendNonDestructiveCommand',
  LOCK: 'sendStateChangingCommand',
  CLEAR_PASSCODE: 'sendStateChangingCommand',
  ENTERPRISE_WIPE: 'wipeDevice',
  DEVICE_WIPE: 'wipeDevice',
};

/** Commands never sent twice blindly: after an interruption they are reconciled with UEM. */
export const DESTRUCTIVE: ReadonlySet<DeviceCommand> = new Set<DeviceCommand>(['LOCK', 'CLEAR_PASSCODE', 'ENTERPRISE_WIPE', 'DEVICE_WIPE']);

/** Progress for a request without an idempotency key: nothing to record. */
export const NO_PROGRESS: Progress = { decided: async () => undefined, sending: async () => undefined, done: async () => undefined };

const NOT_RECORDED = 'Not sent: the gateway could not record this call before making it (its database did not answer). Send it again.';

export const asJson = (results: Iterable<TargetResult>): Map<string, JsonValue> =>
  new Map([...results].map((r) => [r.deviceId, r as unknown as JsonValue]));

const fromBulk = (r: BulkItemResult): TargetResult => ({
  deviceId: r.item,
  status: r.errorCode === 'NOT_SENT' ? 'SKIPPED' : r.status,
  errorCode: r.errorCode,
  message: r.message,
});

/** Sends `command` to those of `ids` the caller may act on; one result per id, in order. */
export async function sendToDevices(ctx: GraphQLContext, command: DeviceCommand, ids: string[], dryRun: boolean, progress: Progress): Promise<TargetResult[]> {
  const targets = await authorizeTargets(ctx, ids, CAPABILITY[command]);
  if (targets.decided.size > 0) await progress.decided(asJson(targets.decided.values()));
  const sent = new Map<string, TargetResult>();
  const allowedIds = targets.allowed.map((d) => String(d.id));
  const record = async (results: readonly TargetResult[]) => {
    for (const r of results) sent.set(r.deviceId, r);
    try {
      await progress.done(asJson(results));
    } catch (err) {
      // The results stand (they are answered); the claim is recovered if it cannot be completed either.
      ctx.services.logger.error({ err, requestId: ctx.requestId }, 'idempotency: results of a batch not recorded');
    }
  };
  /** Records the batch as being sent; results to answer instead when it cannot be (then it is not sent). */
  const beforeSend = async (values: readonly string[]): Promise<BulkItemResult[] | undefined> => {
    try {
      await progress.sending(values);
      return undefined;
    } catch (err) {
      ctx.services.logger.error({ err, requestId: ctx.requestId, devices: values.length }, 'idempotency: batch not recorded, so not sent');
      const message = err instanceof ClaimLostError ? `Not sent: ${err.message}` : NOT_RECORDED;
      return values.map((item) => ({ item, status: 'FAILED', errorCode: 'NOT_SENT', message }));
    }
  };

  if (dryRun) {
    for (const id of allowedIds) sent.set(id, { deviceId: id, status: 'WOULD_SEND', errorCode: null, message: null });
    if (allowedIds.length > 0) await progress.done(asJson(sent.values()));
  } else if (allowedIds.length === 1) {
    const id = allowedIds[0] as string;
    const refused = await beforeSend([id]);
    if (refused) {
      await record(refused.map(fromBulk));
    } else {
      let result: TargetResult;
      try {
        await ctx.uem.sendCommand(id, UPSTREAM_COMMAND[command]);
        result = { deviceId: id, status: 'ACCEPTED', errorCode: null, message: null };
      } catch (err) {
        if (!isUpstreamError(err)) throw err;
        result = { deviceId: id, status: 'FAILED', errorCode: String(err.details.upstreamCode ?? err.code), message: err.message };
      }
      await record([result]);
    }
  } else if (allowedIds.length > 1) {
    await ctx.uem.sendBulkCommand(allowedIds, UPSTREAM_COMMAND[command], {
      beforeChunk: beforeSend,
      afterChunk: (results) => record(results.map(fromBulk)),
    });
  }
  if (!dryRun && allowedIds.length > 0) ctx.loaders.uem.deviceById.clearAll();
  return targets.ids.map(
    (id) => targets.decided.get(id) ?? sent.get(id) ?? { deviceId: id, status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR', message: 'No result.' },
  );
}
