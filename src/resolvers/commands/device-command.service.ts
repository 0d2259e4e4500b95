/**
 * sendDeviceCommand: typed confirmation, idempotency, per-device permission, dry run, one bulk
 * upstream call per batch (or a single call for one device), per-device results, audit.
 */
import { createHash } from 'node:crypto';
import type { DeviceCommand, SendDeviceCommandInput } from '../../__generated__/resolvers-types.js';
import type { CapabilityName } from '../../auth/capabilities.js';
import type { GraphQLContext } from '../../context.js';
import type { UemDeviceCommand } from '../../datasources/uem/uem.bulk.js';
import { badInput, isUpstreamError } from '../../errors.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { authorizeTargets, distinctIds, outcomeOf, type TargetResult } from './device-targets.js';
import { errorCodesOf } from '../uem-write.js';

const UPSTREAM_COMMAND: Record<DeviceCommand, UemDeviceCommand> = {
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

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export interface CommandPayload {
  command: DeviceCommand;
  dryRun: boolean;
  replayed: boolean;
  results: TargetResult[];
}

export async function sendDeviceCommand(ctx: GraphQLContext, input: SendDeviceCommandInput): Promise<CommandPayload> {
  const dryRun = input.dryRun ?? false;
  const key = input.idempotencyKey?.trim();
  const targets = [...new Set(input.deviceIds)].slice(0, 5_000).map((id) => ({ type: 'Device', id: id.slice(0, 40) }));
  const variables = { command: input.command, dryRun, deviceCount: input.deviceIds.length, idempotencyKey: key ?? null };
  return withAudit(ctx, { field: 'sendDeviceCommand', targets, variables }, async () => {
    if ((input.command === 'ENTERPRISE_WIPE' || input.command === 'DEVICE_WIPE') && input.confirm !== 'WIPE') {
      throw badInput('A wipe needs the typed confirmation confirm: "WIPE".', { argument: 'input.confirm', reason: 'CONFIRMATION_REQUIRED' });
    }
    const ids = distinctIds(input.deviceIds);
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw badInput('"idempotencyKey" must be 1 to 200 characters.', { argument: 'input.idempotencyKey' });
    }
    const requestHash = createHash('sha256').update(JSON.stringify([input.command, dryRun, [...ids].sort()])).digest('hex');
    const lookup = key ? { principalEmail: ctx.principal.email, key } : undefined;
    const stored = lookup && (await ctx.services.store.idempotency.findIdempotent(lookup));
    if (stored) return audited(replay(stored.operation, stored.requestHash, requestHash, stored.response));

    let payload: CommandPayload = { command: input.command, dryRun, replayed: false, results: await run(ctx, input.command, ids, dryRun) };
    if (lookup) {
      const saved = await ctx.services.store.idempotency.saveIdempotent({
        ...lookup,
        operation: 'sendDeviceCommand',
        requestHash,
        response: payload as unknown as JsonValue,
        ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
      });
      if (saved.status !== 'saved') payload = replay(saved.record.operation, saved.record.requestHash, requestHash, saved.record.response);
    }
    return audited(payload);
  });
}

function audited(payload: CommandPayload) {
  const errorCodes = errorCodesOf(payload.results);
  return {
    result: payload,
    outcome: outcomeOf(payload.results),
    errorCodes,
    details: { replayed: payload.replayed, results: payload.results as unknown as JsonValue },
  };
}

function replay(operation: string, storedHash: string, requestHash: string, response: JsonValue): CommandPayload {
  if (operation !== 'sendDeviceCommand' || storedHash !== requestHash) {
    throw badInput('This idempotency key was used for another request: use a new key for a new request.', {
      argument: 'input.idempotencyKey',
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
  }
  return { ...(response as unknown as CommandPayload), replayed: true };
}

async function run(ctx: GraphQLContext, command: DeviceCommand, ids: string[], dryRun: boolean): Promise<TargetResult[]> {
  const targets = await authorizeTargets(ctx, ids, CAPABILITY[command]);
  const sent = new Map<string, TargetResult>();
  const allowedIds = targets.allowed.map((d) => String(d.id));
  if (dryRun) {
    for (const id of allowedIds) sent.set(id, { deviceId: id, status: 'WOULD_SEND', errorCode: null, message: null });
  } else if (allowedIds.length === 1) {
    const id = allowedIds[0] as string;
    try {
      await ctx.uem.sendCommand(id, UPSTREAM_COMMAND[command]);
      sent.set(id, { deviceId: id, status: 'ACCEPTED', errorCode: null, message: null });
    } catch (err) {
      if (!isUpstreamError(err)) throw err;
      sent.set(id, { deviceId: id, status: 'FAILED', errorCode: String(err.details.upstreamCode ?? err.code), message: err.message });
    }
  } else if (allowedIds.length > 1) {
    for (const r of await ctx.uem.sendBulkCommand(allowedIds, UPSTREAM_COMMAND[command])) {
      sent.set(r.item, { deviceId: r.item, status: r.status, errorCode: r.errorCode, message: r.message });
    }
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
