/**
 * Per-device authorization of a write (docs/design.md §4): each device is loaded (one batched call),
 * its environment found through ENV_MAP, and the capability checked there. Devices the caller may
 * not act on, and unknown ones, get their own result; the rest go ahead. A device outside the
 * caller's row scope gets exactly the result of one UEM does not have (NOT_FOUND, "No device with
 * this id.": `seenDevice` decides it), so FORBIDDEN names only environments the caller reads.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemDeviceCommand } from '../../datasources/uem/uem.bulk.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { capabilities, holds, type CapabilityName } from '../../auth/capabilities.js';
import { badInput } from '../../errors.js';
import { deviceScope, seenDevice } from '../devices/device-scope.service.js';
import { itemsOutcome } from '../uem-write.js';

export interface TargetResult {
  deviceId: string;
  status: 'ACCEPTED' | 'FAILED' | 'SKIPPED' | 'WOULD_SEND' | 'OUTCOME_UNKNOWN';
  errorCode: string | null;
  message: string | null;
  /** UEM's CommandUuid of the command sent (a single-device send answers it). */
  commandId?: string | null;
  /**
   * A send whose answer named no command (a bulk send): the command is the device's newest of this
   * kind in UEM's history queued since `since` (command-status.service.ts).
   */
  sentVia?: { command: UemDeviceCommand; since: string };
}

export interface AuthorizedTargets {
  /** Distinct ids, in the order given. */
  ids: string[];
  allowed: UemDevice[];
  /** Results already decided (refused or unknown devices). */
  decided: Map<string, TargetResult>;
}

export const MAX_TARGETS = 5_000;

export function distinctIds(deviceIds: readonly string[]): string[] {
  const ids = [...new Set(deviceIds.map((id) => id.trim()))];
  if (ids.length === 0) throw badInput('"deviceIds" must name at least one device.', { argument: 'deviceIds' });
  if (ids.length > MAX_TARGETS) throw badInput(`At most ${MAX_TARGETS} devices per call.`, { argument: 'deviceIds', max: MAX_TARGETS });
  const bad = ids.find((id) => !/^\d{1,12}$/.test(id));
  if (bad !== undefined) throw badInput(`"${bad.slice(0, 40)}" is not a UEM device id.`, { argument: 'deviceIds' });
  return ids;
}

export async function authorizeTargets(ctx: GraphQLContext, deviceIds: readonly string[], capability: CapabilityName): Promise<AuthorizedTargets> {
  const ids = distinctIds(deviceIds);
  const [devices, environments, scope] = await Promise.all([
    ctx.loaders.uem.deviceById.loadMany(ids),
    ctx.loaders.harmony.environments(),
    deviceScope(ctx),
  ]);
  const envs = environments.map((e) => ({ id: e.envId, name: e.envName }));
  const allowed: UemDevice[] = [];
  const decided = new Map<string, TargetResult>();
  ids.forEach((id, i) => {
    const found = devices[i];
    if (found instanceof Error) throw found;
    const device = seenDevice(scope, found);
    if (!device) {
      decided.set(id, { deviceId: id, status: 'FAILED', errorCode: 'NOT_FOUND', message: 'No device with this id.' });
      return;
    }
    const env = ctx.services.environmentMap.environmentOf(device.organizationGroupName, envs);
    if (!holds(ctx.principal, capability, env?.id)) {
      decided.set(id, {
        deviceId: id,
        status: 'SKIPPED',
        errorCode: 'FORBIDDEN',
        message: `Needs "${capability}" in this device's environment${env ? ` (${env.name})` : ''}: ${capabilities[capability].who}.`,
      });
      return;
    }
    allowed.push(device);
  });
  return { ids, allowed, decided };
}

/** The audit outcome of a set of results. */
export function outcomeOf(results: readonly TargetResult[]): 'SUCCESS' | 'PARTIAL' | 'FAILURE' | 'DENIED' {
  return itemsOutcome(results.map((r) => ({ ok: r.status === 'ACCEPTED' || r.status === 'WOULD_SEND', errorCode: r.errorCode })));
}
