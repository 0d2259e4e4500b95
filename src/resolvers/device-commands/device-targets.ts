/**
 * The targets of a device write as per-device results (docs/design.md §4). The access service
 * decides each device (`ctx.access.authorizeDevices`: one batched load, the capability checked in
 * the device's environment): devices the caller may not act on get SKIPPED with FORBIDDEN, unknown
 * ones and those outside the caller's row scope alike get FAILED with NOT_FOUND ("No device with
 * this id."); the rest go ahead.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemDeviceCommand } from '../../datasources/uem/uem.bulk.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import type { CapabilityName } from '../../auth/capabilities.js';
import { badInput } from '../../errors.js';
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
  const allowed: UemDevice[] = [];
  const decided = new Map<string, TargetResult>();
  for (const decision of await ctx.access.authorizeDevices(ids, capability)) {
    const { id } = decision;
    if (decision.allowed) allowed.push(decision.device);
    else decided.set(id, { deviceId: id, status: decision.code === 'FORBIDDEN' ? 'SKIPPED' : 'FAILED', errorCode: decision.code, message: decision.message });
  }
  return { ids, allowed, decided };
}

/** The audit outcome of a set of results. */
export function outcomeOf(results: readonly TargetResult[]): 'SUCCESS' | 'PARTIAL' | 'FAILURE' | 'DENIED' {
  return itemsOutcome(results.map((r) => ({ ok: r.status === 'ACCEPTED' || r.status === 'WOULD_SEND', errorCode: r.errorCode })));
}
