/**
 * sendDeviceCommand: typed confirmation, per-device permission, dry run, one bulk upstream call per
 * batch (or a single call for one device), per-device results, audit. With an idempotency key the
 * key is claimed in the database before anything is sent and every batch's progress is recorded
 * (src/idempotency/): a retry, a concurrent duplicate or a second gateway instance never sends a
 * command twice, and after a crash the retry reconciles with UEM (device-command.recovery.ts).
 */
import type { DeviceCommand, SendDeviceCommandInput } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import { badInput } from '../../errors.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import { checkIdempotencyKey } from '../../idempotency/idempotent-run.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { errorCodesOf } from '../uem-write.js';
import { recoverDeviceCommand } from './device-command.recovery.js';
import { sendToDevices } from './device-command.send.js';
import { NO_PROGRESS } from './recorded-sends.js';
import { distinctIds, outcomeOf, type TargetResult } from './device-targets.js';

export interface CommandPayload {
  command: DeviceCommand;
  dryRun: boolean;
  replayed: boolean;
  /** The first request with this key was interrupted; this answer was reconciled with UEM. */
  interrupted: boolean;
  results: TargetResult[];
}

/** What is stored under the key (and replayed). */
interface StoredAnswer {
  command: DeviceCommand;
  dryRun: boolean;
  interrupted: boolean;
  results: TargetResult[];
}

export async function sendDeviceCommand(ctx: GraphQLContext, input: SendDeviceCommandInput): Promise<CommandPayload> {
  const dryRun = input.dryRun ?? false;
  const key = input.idempotencyKey?.trim();
  const targets = [...new Set(input.deviceIds)].slice(0, 5_000).map((id) => ({ type: 'Device', id: id.slice(0, 40) }));
  const variables = { command: input.command, dryRun, deviceCount: input.deviceIds.length, idempotencyKey: key ?? null };
  return withAudit(ctx, { field: 'sendDeviceCommand', targets, variables }, async (auditId) => {
    if ((input.command === 'ENTERPRISE_WIPE' || input.command === 'DEVICE_WIPE') && input.confirm !== 'WIPE') {
      throw badInput('A wipe needs the typed confirmation confirm: "WIPE".', { argument: 'input.confirm', reason: 'CONFIRMATION_REQUIRED' });
    }
    const ids = distinctIds(input.deviceIds);
    if (key === undefined) {
      const results = await sendToDevices(ctx, input.command, ids, dryRun, NO_PROGRESS);
      return audited({ command: input.command, dryRun, replayed: false, interrupted: false, results });
    }
    checkIdempotencyKey(key, 'input.idempotencyKey');
    const run = await ctx.services.idempotency.run<JsonValue>(
      {
        principalEmail: ctx.principal.email,
        key,
        operation: 'sendDeviceCommand',
        fingerprint: fingerprint('sendDeviceCommand', { command: input.command, dryRun, deviceIds: [...ids].sort() }),
        targets: ids,
        auditEventId: auditId,
      },
      {
        execute: async (progress) => stored({ command: input.command, dryRun, interrupted: false, results: await sendToDevices(ctx, input.command, ids, dryRun, progress) }),
        recover: async (interruption, progress) => {
          // A dry run sends nothing: answering it again is always safe.
          const recovered = dryRun
            ? { results: await sendToDevices(ctx, input.command, ids, true, progress), settled: true, reconciled: [] }
            : await recoverDeviceCommand(ctx, input.command, interruption, progress);
          ctx.services.logger.warn({ requestId: ctx.requestId, key, reconciled: recovered.reconciled.length, settled: recovered.settled }, 'device command reconciled after an interruption');
          return { response: stored({ command: input.command, dryRun, interrupted: true, results: recovered.results }), settled: recovered.settled, reconciled: recovered.reconciled as unknown as JsonValue };
        },
      },
    );
    const answer = run.response as unknown as StoredAnswer;
    const payload: CommandPayload = { ...answer, replayed: run.source !== 'executed' };
    return audited(payload, run.source === 'recovered' ? { reconciliation: run.reconciled ?? null } : {});
  });
}

const stored = (answer: StoredAnswer): JsonValue => answer as unknown as JsonValue;

function audited(payload: CommandPayload, extra: { [key: string]: JsonValue } = {}) {
  return {
    result: payload,
    outcome: outcomeOf(payload.results),
    errorCodes: errorCodesOf(payload.results),
    details: { replayed: payload.replayed, interrupted: payload.interrupted, results: payload.results as unknown as JsonValue, ...extra },
  };
}
