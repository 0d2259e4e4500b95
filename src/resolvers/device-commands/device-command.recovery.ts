/**
 * The answer to a request whose first attempt was interrupted (the process holding its idempotency
 * key died). The record says, per device: done (its result stands), not sent (never reached UEM),
 * or unknown (its batch was being sent). Nothing destructive is sent again blindly:
 *
 * - SYNC and QUERY are harmless to repeat: whatever is not confirmed is sent again.
 * - Wipes are reconciled with the device's enrollment status (UEM moves a device to
 *   EnterpriseWipePending / DeviceWipePending as soon as it accepts the wipe).
 * - LOCK, CLEAR_PASSCODE, ENABLE_DEVICE_ENCRYPTION and INSTALL_OS_UPDATE are reconciled with the
 *   device's event log since the first attempt.
 *
 * What UEM confirms is answered as ACCEPTED or not sent; what it cannot confirm is OUTCOME_UNKNOWN
 * with what to check. When UEM cannot be asked at all, the answer is not final: the key stays
 * interrupted and the next retry reconciles again.
 */
import type { DeviceCommand } from '../../__generated__/resolvers-types.js';
import { mapConcurrent } from '../../concurrency.js';
import type { GraphQLContext } from '../../context.js';
import type { UemDeviceCommand } from '../../datasources/uem/uem.bulk.js';
import type { Interruption, Progress } from '../../idempotency/idempotent-run.js';
import { failureOf } from '../uem-write.js';
import { DESTRUCTIVE, sendToDevices, UPSTREAM_COMMAND } from './device-command.send.js';
import { asJson } from './recorded-sends.js';
import type { TargetResult } from './device-targets.js';

/** A reconciled device; `final: false` when UEM could not be asked (reconcile again later). */
interface Verdict {
  result: TargetResult;
  final: boolean;
}

export interface Recovered {
  results: TargetResult[];
  /** False when some device could not be reconciled now. */
  settled: boolean;
  /** For the audit row: how each device not done before was settled. */
  reconciled: { deviceId: string; status: string; evidence: string }[];
}

const DAY_MS = 86_400_000;
/** UEM's clock and the database's may differ: events this much before the first attempt still count. */
const CLOCK_SKEW_MS = 120_000;

/** How UEM words each command in a device's event log (matched loosely: wording varies by version). */
export const EVENT_PATTERN: Record<UemDeviceCommand, RegExp> = {
  SyncDevice: /\bsync\b/i,
  DeviceQuery: /\bquery\b/i,
  Lock: /\block\b/i,
  ClearPasscode: /\bclear\s*passcode\b/i,
  EnterpriseWipe: /\benterprise\s*wipe\b/i,
  DeviceWipe: /\bdevice\s*wipe\b|\bwipe\s*device\b/i,
  EnableDeviceEncryption: /\bencrypt/i,
  InstallOSUpdate: /\bos\s*update\b|\bsoftware\s*update\b/i,
};

const notSent = (deviceId: string, why: string): TargetResult => ({
  deviceId,
  status: 'SKIPPED',
  errorCode: 'NOT_SENT',
  message: `${why} Nothing was sent now: send the command again, with a new idempotency key, if it is still wanted.`,
});
const unknown = (deviceId: string, message: string): TargetResult => ({ deviceId, status: 'OUTCOME_UNKNOWN', errorCode: 'OUTCOME_UNKNOWN', message });
const confirmed = (deviceId: string, evidence: string): TargetResult => ({
  deviceId,
  status: 'ACCEPTED',
  errorCode: null,
  message: `Confirmed with UEM after an interruption: ${evidence}`,
});
const unreachable = (deviceId: string, err: unknown): Verdict => ({
  final: false,
  result: unknown(
    deviceId,
    `UEM could not be asked whether the command reached this device (${failureOf(err).errorCode}). Nothing was sent. Retry with the same idempotency key to reconcile again, or check the device in the UEM console.`,
  ),
});

async function reconcileWipes(ctx: GraphQLContext, command: DeviceCommand, ids: string[]): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  let devices;
  try {
    devices = new Map((await ctx.uem.getDevicesByIds(ids)).map((d) => [String(d.id), d]));
  } catch (err) {
    for (const id of ids) verdicts.set(id, unreachable(id, err));
    return verdicts;
  }
  const pending = command === 'ENTERPRISE_WIPE' ? 'EnterpriseWipePending' : 'DeviceWipePending';
  for (const id of ids) {
    // UEM's own spelling, not the device's kind (`enrollmentStatus`): the kind reads a value it does
    // not know as UNENROLLED, which here would confirm a wipe; an unknown status must stay unknown.
    const status = devices.get(id)?.uemEnrollmentStatus;
    let result: TargetResult;
    if (!devices.has(id)) {
      result = unknown(id, 'UEM no longer knows this device (a completed wipe may have removed it): check its history in the UEM console.');
    } else if (status === pending || status === 'Unenrolled') {
      result = confirmed(id, `the device is ${status}.`);
    } else if (status === 'Enrolled') {
      result = notSent(id, 'UEM shows the device still Enrolled: the wipe did not reach it.');
    } else {
      result = unknown(id, `UEM shows the device ${status ?? 'without an enrollment status'}: check its commands in the UEM console before sending anything.`);
    }
    verdicts.set(id, { result, final: true });
  }
  return verdicts;
}

async function reconcileByEventLog(ctx: GraphQLContext, command: DeviceCommand, ids: string[], since: Date): Promise<Map<string, Verdict>> {
  const upstream = UPSTREAM_COMMAND[command];
  const from = since.getTime() - CLOCK_SKEW_MS;
  const dayRange = Math.max(1, Math.ceil((Date.now() - from) / DAY_MS) + 1);
  const verdicts = await mapConcurrent(ids, ctx.loaderSettings.uem.perIdConcurrency, async (id): Promise<Verdict> => {
    let log;
    try {
      log = await ctx.uem.deviceEventLog(id, dayRange);
    } catch (err) {
      return unreachable(id, err);
    }
    if (log === null) return { final: true, result: unknown(id, 'UEM no longer knows this device: check its history in the UEM console.') };
    const match = log.find((e) => e.at !== null && Date.parse(e.at) >= from && EVENT_PATTERN[upstream].test(e.event));
    // Its command id is then found in the device's command history, as after a bulk send.
    if (match) return { final: true, result: { ...confirmed(id, `its event log shows "${match.event}" at ${match.at}.`), sentVia: { command: upstream, since: new Date(from).toISOString() } } };
    return {
      final: true,
      result: unknown(
        id,
        `UEM's event log shows no ${upstream} for this device since ${since.toISOString()}: it was probably not sent, but that cannot be confirmed. Check the device's commands in the UEM console (Troubleshooting > Commands) before sending it again.`,
      ),
    };
  });
  return new Map(ids.map((id, i) => [id, verdicts[i] as Verdict]));
}

export async function recoverDeviceCommand(ctx: GraphQLContext, command: DeviceCommand, interruption: Interruption, progress: Progress): Promise<Recovered> {
  const results = new Map<string, TargetResult>();
  const reconciled: Recovered['reconciled'] = [];
  const open = interruption.targets.filter((t) => t.state === 'UNKNOWN').map((t) => t.target);
  const neverSent = interruption.targets.filter((t) => t.state !== 'DONE' && t.state !== 'UNKNOWN').map((t) => t.target);
  for (const t of interruption.targets) if (t.state === 'DONE' && t.result) results.set(t.target, t.result as unknown as TargetResult);
  let settled = true;

  if (!DESTRUCTIVE.has(command)) {
    const again = [...open, ...neverSent];
    if (again.length > 0) {
      for (const r of await sendToDevices(ctx, command, again, false, progress)) {
        const result = r.status === 'ACCEPTED' ? { ...r, message: 'Sent again after an interruption (this command is harmless to repeat).' } : r;
        results.set(r.deviceId, result);
        reconciled.push({ deviceId: r.deviceId, status: result.status, evidence: 'sent again' });
      }
    }
  } else {
    const final: TargetResult[] = neverSent.map((id) => notSent(id, 'The first attempt was interrupted before this command was sent.'));
    for (const r of final) reconciled.push({ deviceId: r.deviceId, status: r.status, evidence: 'never sent (the record shows its batch did not go)' });
    if (open.length > 0) {
      const wipe = command === 'ENTERPRISE_WIPE' || command === 'DEVICE_WIPE';
      const verdicts = wipe ? await reconcileWipes(ctx, command, open) : await reconcileByEventLog(ctx, command, open, interruption.startedAt);
      for (const [id, v] of verdicts) {
        results.set(id, v.result);
        reconciled.push({ deviceId: id, status: v.result.status, evidence: wipe ? 'enrollment status in UEM' : "the device's event log in UEM" });
        if (v.final) final.push(v.result);
        else settled = false;
      }
    }
    for (const r of final) results.set(r.deviceId, r);
    if (final.length > 0) await progress.done(asJson(final));
  }
  const ordered = interruption.targets.map(
    (t) => results.get(t.target) ?? unknown(t.target, 'No result was recorded for this device: check it in the UEM console.'),
  );
  return { results: ordered, settled, reconciled };
}
