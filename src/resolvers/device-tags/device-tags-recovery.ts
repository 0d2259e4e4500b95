/**
 * Settling an interrupted updateDeviceTags (src/idempotency/): pairs recorded DONE keep their
 * result; pairs never sent are SKIPPED with NOT_SENT; pairs that may have been sent are checked
 * against the tag's member list in UEM (one read per touched tag), nothing is sent again. When UEM
 * cannot be asked they stay OUTCOME_UNKNOWN and the key stays interrupted (a retry asks again).
 */
import type { GraphQLContext } from '../../context.js';
import type { Interruption, Progress } from '../../idempotency/idempotent-run.js';
import type { JsonValue } from '../../store/database.types.js';
import { failureOf, forgetTags } from '../uem-write.js';
import { tagNamesOf, type TagChange } from './device-tags-result.js';
import type { TargetResult } from '../device-commands/device-targets.js';

export interface SettledChanges {
  /** Pair key → result. */
  results: Map<string, TargetResult>;
  /** Device id → its tag names now, as UEM lists them (absent when they could not be read). */
  current: Map<string, string[]>;
  settled: boolean;
  reconciled: JsonValue;
}

const notSent = (deviceId: string, why: string): TargetResult => ({
  deviceId,
  status: 'SKIPPED',
  errorCode: 'NOT_SENT',
  message: `${why} Nothing was sent now: change it again, with a new idempotency key, if it is still wanted.`,
});

export async function settleChanges(
  ctx: GraphQLContext,
  changes: readonly TagChange[],
  interruption: Interruption,
  progress: Progress,
  pairKey: (c: TagChange, deviceId: string) => string,
): Promise<SettledChanges> {
  const results = new Map<string, TargetResult>();
  const fresh = new Map<string, TargetResult>();
  const evidence: JsonValue[] = [];
  const byKey = new Map(interruption.targets.map((t) => [t.target, t]));
  let settled = true;
  const deviceIds = new Set<string>();
  for (const change of changes) {
    const pairs = interruption.targets.filter((t) => t.target.startsWith(pairKey(change, '')));
    const open: string[] = [];
    for (const t of pairs) {
      const deviceId = t.target.slice(pairKey(change, '').length);
      deviceIds.add(deviceId);
      if (t.state === 'DONE' && t.result) results.set(t.target, t.result as unknown as TargetResult);
      else if (t.state === 'UNKNOWN') open.push(deviceId);
      else fresh.set(t.target, notSent(deviceId, 'The first attempt was interrupted before this change was sent.'));
    }
    if (open.length === 0) continue;
    try {
      const members = new Set((await ctx.uem.tagDevices(change.tag.id)).map((d) => String(d.deviceId)));
      forgetTags(ctx, [change.tag.id]);
      for (const id of open) {
        const done = members.has(id) === change.add;
        fresh.set(
          pairKey(change, id),
          done
            ? { deviceId: id, status: 'ACCEPTED', errorCode: null, message: null }
            : notSent(id, `UEM shows the device ${change.add ? 'not tagged' : 'still tagged'}: the change did not reach it.`),
        );
        evidence.push({ pair: pairKey(change, id), evidence: "the tag's member list in UEM", done });
      }
    } catch (err) {
      settled = false;
      const { errorCode } = failureOf(err);
      for (const id of open) {
        results.set(pairKey(change, id), {
          deviceId: id,
          status: 'OUTCOME_UNKNOWN',
          errorCode: 'OUTCOME_UNKNOWN',
          message: `UEM could not be asked whether the change reached this device (${errorCode}). Nothing was sent. Retry with the same idempotency key to reconcile again.`,
        });
      }
    }
  }
  for (const [k, r] of fresh) results.set(k, r);
  if (fresh.size > 0) await progress.done(new Map([...fresh].map(([k, r]) => [k, r as unknown as JsonValue])));
  for (const t of byKey.keys()) if (!results.has(t)) results.set(t, notSent(t.split(':')[1] ?? t, 'No record of this change.'));
  return { results, current: await currentTags(ctx, [...deviceIds]), settled, reconciled: evidence };
}

/** Each device's tag names now; none (an empty map) when UEM cannot be asked: the results say what happened. */
async function currentTags(ctx: GraphQLContext, ids: readonly string[]): Promise<Map<string, string[]>> {
  try {
    return await tagNamesOf(ctx, ids);
  } catch (err) {
    ctx.services.logger.warn({ err, requestId: ctx.requestId }, 'updateDeviceTags recovery: current tags not readable');
    return new Map();
  }
}
