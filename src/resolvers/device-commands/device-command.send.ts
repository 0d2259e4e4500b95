/**
 * Sending a device command: per-device permission, then one bulk upstream call per batch (a single
 * call for one device), with the progress recorded around each call (recorded-sends.ts).
 */
import type { DeviceCommand } from '../../__generated__/resolvers-types.js';
import type { CapabilityName } from '../../auth/capabilities.js';
import type { GraphQLContext } from '../../context.js';
import type { UemDeviceCommand } from '../../datasources/uem/uem.bulk.js';
import { isUpstreamError } from '../../errors.js';
import type { Progress } from '../../idempotency/idempotent-run.js';
import { unsupportedReason } from '../../domain/command-support.js';
import { authorizeTargets, type TargetResult } from './device-targets.js';
import { asJson, fromBulk, recordedSends } from './recorded-sends.js';

export const UPSTREAM_COMMAND: Record<DeviceCommand, UemDeviceCommand> = {
  SYNC: 'SyncDevice',
  QUERY: 'DeviceQuery',
  LOCK: 'Lock',
  CLEAR_PASSCODE: 'ClearPasscode',
  ENTERPRISE_WIPE: 'EnterpriseWipe',
  DEVICE_WIPE: 'DeviceWipe',
  ENABLE_DEVICE_ENCRYPTION: 'EnableDeviceEncryption',
  INSTALL_OS_UPDATE: 'InstallOSUpdate',
};

const CAPABILITY: Record<DeviceCommand, CapabilityName> = {
  SYNC: 'sendNonDestructiveCommand',
  QUERY: 'sendNonDestructiveCommand',
  LOCK: 'sendStateChangingCommand',
  CLEAR_PASSCODE: 'sendStateChangingCommand',
  ENTERPRISE_WIPE: 'wipeDevice',
  DEVICE_WIPE: 'wipeDevice',
  // Compliance remediation at EXECUTE, as the guide runs it (the choice is explained in capabilities.ts).
  ENABLE_DEVICE_ENCRYPTION: 'sendNonDestructiveCommand',
  INSTALL_OS_UPDATE: 'sendNonDestructiveCommand',
};

/** Commands never sent twice blindly (they change the device): after an interruption they are reconciled with UEM. */
export const DESTRUCTIVE: ReadonlySet<DeviceCommand> = new Set<DeviceCommand>([
  'LOCK',
  'CLEAR_PASSCODE',
  'ENTERPRISE_WIPE',
  'DEVICE_WIPE',
  'ENABLE_DEVICE_ENCRYPTION',
  'INSTALL_OS_UPDATE',
]);

/** Sends `command` to those of `ids` the caller may act on; one result per id, in order. */
export async function sendToDevices(ctx: GraphQLContext, command: DeviceCommand, ids: string[], dryRun: boolean, progress: Progress): Promise<TargetResult[]> {
  const targets = await authorizeTargets(ctx, ids, CAPABILITY[command]);
  // A platform that takes no such command: a result of its own, and nothing sent (dry runs say so too).
  const allowed = targets.allowed.filter((d) => {
    const reason = unsupportedReason(command, d.platform);
    if (reason !== null) targets.decided.set(String(d.id), { deviceId: String(d.id), status: 'SKIPPED', errorCode: 'UNSUPPORTED', message: reason });
    return reason === null;
  });
  if (targets.decided.size > 0) await progress.decided(asJson(targets.decided.values()));
  const sent = new Map<string, TargetResult>();
  const allowedIds = allowed.map((d) => String(d.id));
  // Where the answer names no command (a bulk send), the command is found in the device's history from here on.
  const sentVia = { command: UPSTREAM_COMMAND[command], since: new Date().toISOString() };
  const sends = recordedSends(ctx, progress, sent, (r) => (r.status === 'ACCEPTED' && !r.commandId ? { ...r, sentVia } : r));

  if (dryRun) {
    for (const id of allowedIds) sent.set(id, { deviceId: id, status: 'WOULD_SEND', errorCode: null, message: null });
    if (allowedIds.length > 0) await progress.done(asJson(sent.values()));
  } else if (allowedIds.length === 1) {
    const id = allowedIds[0] as string;
    const refused = await sends.beforeSend([id]);
    if (refused) {
      await sends.record(refused.map(fromBulk));
    } else {
      let result: TargetResult;
      try {
        const commandId = await ctx.uem.sendCommand(id, UPSTREAM_COMMAND[command]);
        result = { deviceId: id, status: 'ACCEPTED', errorCode: null, message: null, commandId };
      } catch (err) {
        if (!isUpstreamError(err)) throw err;
        result = { deviceId: id, status: 'FAILED', errorCode: String(err.details.upstreamCode ?? err.code), message: err.message };
      }
      await sends.record([result]);
    }
  } else if (allowedIds.length > 1) {
    await ctx.uem.sendBulkCommand(allowedIds, UPSTREAM_COMMAND[command], sends);
  }
  if (!dryRun && allowedIds.length > 0) {
    ctx.loaders.uem.deviceById.clearAll();
    // A wipe changes the devices' enrollment status: the snapshot reads them again (summaries
    // and scoped lists show it at once). In the background: the command's answer does not wait.
    if (command === 'ENTERPRISE_WIPE' || command === 'DEVICE_WIPE') {
      ctx.services.snapshots.patchDevices(allowedIds).catch((err: unknown) => ctx.services.logger.warn({ err, requestId: ctx.requestId }, 'could not update the device snapshot after a wipe'));
    }
  }
  return targets.ids.map(
    (id) => targets.decided.get(id) ?? sent.get(id) ?? { deviceId: id, status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR', message: 'No result.' },
  );
}
