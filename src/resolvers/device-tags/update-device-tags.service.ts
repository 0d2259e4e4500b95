/**
 * `updateDeviceTags`: "add these tags, remove those" on a set of devices in one call, answered per
 * device with its tags before and after (the guide's TagsToAdd / TagsToRemove script). Each device
 * is checked for WRITE in its environment once; each tag change is UEM's bulk tag call, one per
 * batch of allowed devices (removals first). A device's tags before come from the tags' member
 * lists, the touched tags' read fresh; its tags after are those less what UEM accepted removing,
 * plus what it accepted adding.
 *
 * With an idempotency key every (tag change, device) pair is a target of the claim (`+12:345`,
 * `-13:345`), recorded before its batch is sent; a retry after an interruption settles the pairs
 * that may have been sent against the tag's member list in UEM and sends nothing again.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemTag } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput } from '../../errors.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import { checkIdempotencyKey, type Interruption, type Progress, type Settlement } from '../../idempotency/idempotent-run.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { errorCodesOf, forgetTags } from '../uem-write.js';
import { findTag } from './tag-lookup.js';
import { authorizeTargets, distinctIds, MAX_TARGETS, outcomeOf, type TargetResult } from '../device-commands/device-targets.js';
import { NO_PROGRESS, recordedSends } from '../device-commands/recorded-sends.js';
import { combineDevice, tagNamesOf, type DeviceTagsResult, type TagChange } from './device-tags-result.js';
import { settleChanges } from './device-tags-recovery.js';

export const MAX_TAGS_PER_SIDE = 20;

export interface UpdateDeviceTagsPayload {
  added: UemTag[];
  removed: UemTag[];
  results: DeviceTagsResult[];
  replayed: boolean;
  interrupted: boolean;
}

interface Stored {
  interrupted: boolean;
  results: DeviceTagsResult[];
}

export interface UpdateDeviceTagsArgs {
  deviceIds: readonly string[];
  add?: readonly string[] | null;
  remove?: readonly string[] | null;
  idempotencyKey?: string | null;
}

export async function updateDeviceTags(ctx: GraphQLContext, args: UpdateDeviceTagsArgs): Promise<UpdateDeviceTagsPayload> {
  const key = args.idempotencyKey?.trim();
  const add = args.add ?? [];
  const remove = args.remove ?? [];
  const targets = [
    ...[...add, ...remove].slice(0, 40).map((t) => ({ type: 'Tag', id: t.slice(0, 40) })),
    ...[...new Set(args.deviceIds)].slice(0, MAX_TARGETS).map((id) => ({ type: 'Device', id: id.slice(0, 40) })),
  ];
  const variables = { add: add.slice(0, 40).map((t) => t.slice(0, 200)), remove: remove.slice(0, 40).map((t) => t.slice(0, 200)), deviceCount: args.deviceIds.length, idempotencyKey: key ?? null };
  return withAudit(ctx, { field: 'updateDeviceTags', targets, variables }, async (auditId) => {
    const ids = distinctIds(args.deviceIds);
    const changes = await resolveChanges(ctx, add, remove);
    if (ids.length * changes.length > MAX_TARGETS) {
      throw badInput(`At most ${MAX_TARGETS} device-tag changes per call (devices × tags): split the devices.`, { argument: 'deviceIds', max: MAX_TARGETS });
    }
    let stored: Stored;
    let replayed = false;
    let reconciled: JsonValue | undefined;
    if (key === undefined) {
      stored = { interrupted: false, results: await applyChanges(ctx, ids, changes, NO_PROGRESS) };
    } else {
      checkIdempotencyKey(key, 'idempotencyKey');
      const pairs = changes.flatMap((c) => ids.map((id) => pairKey(c, id)));
      const print = fingerprint('updateDeviceTags', { deviceIds: [...ids].sort(), add: tagIds(changes, true), remove: tagIds(changes, false) });
      const run = await ctx.services.idempotency.run<JsonValue>(
        { principalEmail: ctx.principal.email, key, operation: 'updateDeviceTags', fingerprint: print, targets: pairs, auditEventId: auditId },
        {
          execute: async (progress) => ({ interrupted: false, results: (await applyChanges(ctx, ids, changes, progress)) as unknown as JsonValue }),
          recover: (interruption, progress) => recoverChanges(ctx, ids, changes, interruption, progress),
        },
      );
      stored = run.response as unknown as Stored;
      replayed = run.source !== 'executed';
      reconciled = run.reconciled;
    }
    const payload: UpdateDeviceTagsPayload = {
      added: changes.filter((c) => c.add).map((c) => c.tag),
      removed: changes.filter((c) => !c.add).map((c) => c.tag),
      results: stored.results,
      replayed,
      interrupted: stored.interrupted,
    };
    return {
      result: payload,
      outcome: outcomeOf(payload.results),
      errorCodes: errorCodesOf(payload.results),
      details: { results: payload.results as unknown as JsonValue, replayed, interrupted: payload.interrupted, ...(reconciled ? { reconciliation: reconciled } : {}) },
    };
  });
}

const pairKey = (c: TagChange, deviceId: string) => `${c.add ? '+' : '-'}${c.tag.id}:${deviceId}`;
const tagIds = (changes: readonly TagChange[], add: boolean) => changes.filter((c) => c.add === add).map((c) => c.tag.id).sort((a, b) => a - b);

/** The named tags, removals first; BAD_USER_INPUT for none, too many, or a tag on both sides. */
async function resolveChanges(ctx: GraphQLContext, add: readonly string[], remove: readonly string[]): Promise<TagChange[]> {
  if (add.length === 0 && remove.length === 0) throw badInput('Name at least one tag in "add" or "remove".', { argument: 'add' });
  for (const [side, list] of [['add', add], ['remove', remove]] as const) {
    if (list.length > MAX_TAGS_PER_SIDE) throw badInput(`At most ${MAX_TAGS_PER_SIDE} tags in "${side}".`, { argument: side, max: MAX_TAGS_PER_SIDE });
  }
  const removed = await Promise.all(remove.map((ref, i) => findTag(ctx, ref, `remove[${i}]`)));
  const added = await Promise.all(add.map((ref, i) => findTag(ctx, ref, `add[${i}]`)));
  const both = added.find((t) => removed.some((r) => r.id === t.id));
  if (both) throw badInput(`Tag "${both.name ?? both.id}" is both in "add" and "remove".`, { argument: 'add' });
  const unique = (tags: UemTag[]) => tags.filter((t, i) => tags.findIndex((o) => o.id === t.id) === i);
  return [...unique(removed).map((tag) => ({ tag, add: false })), ...unique(added).map((tag) => ({ tag, add: true }))];
}

/** A progress that records one tag change's devices as that change's pair targets. */
function pairProgress(progress: Progress, change: TagChange): Progress {
  const rekey = <V>(m: ReadonlyMap<string, V>) => new Map([...m].map(([id, v]) => [pairKey(change, id), v]));
  return {
    decided: (results) => progress.decided(rekey(results)),
    sending: (ids) => progress.sending(ids.map((id) => pairKey(change, id))),
    done: (results) => progress.done(rekey(results)),
  };
}

async function applyChanges(ctx: GraphQLContext, ids: string[], changes: TagChange[], progress: Progress): Promise<DeviceTagsResult[]> {
  const authorized = await authorizeTargets(ctx, ids, 'sendStateChangingCommand');
  for (const change of changes) if (authorized.decided.size > 0) await pairProgress(progress, change).decided(asJsonMap(authorized.decided));
  const allowed = authorized.allowed.map((d) => String(d.id));
  const outcomes = new Map<string, Map<string, TargetResult>>(); // pair key → result
  let previous = new Map<string, string[]>();
  if (allowed.length > 0) {
    // The tags before the change are read live, not from the snapshot (which the change makes wrong).
    forgetTags(ctx, changes.map((c) => c.tag.id));
    previous = await tagNamesOf(ctx, allowed);
    for (const change of changes) {
      const sent = new Map<string, TargetResult>();
      const sends = recordedSends(ctx, pairProgress(progress, change), sent);
      try {
        await (change.add ? ctx.uem.addDevicesToTag(change.tag.id, allowed, sends) : ctx.uem.removeDevicesFromTag(change.tag.id, allowed, sends));
      } finally {
        forgetTags(ctx, [change.tag.id]);
      }
      outcomes.set(String(change.tag.id) + (change.add ? '+' : '-'), sent);
    }
  }
  return authorized.ids.map((id) => {
    const decided = authorized.decided.get(id);
    if (decided) return { ...decided, previousTags: null, updatedTags: null };
    const per = changes.map((change) => ({
      change,
      result: outcomes.get(String(change.tag.id) + (change.add ? '+' : '-'))?.get(id) ?? { deviceId: id, status: 'FAILED' as const, errorCode: 'INTERNAL_SERVER_ERROR', message: 'No result.' },
    }));
    return combineDevice(id, per, previous.get(id) ?? []);
  });
}

/** A pair the interrupted request's record lacks (it claims every pair, so only a damaged record). */
const unrecorded = (deviceId: string): TargetResult => ({ deviceId, status: 'OUTCOME_UNKNOWN', errorCode: 'OUTCOME_UNKNOWN', message: 'The record of the first attempt does not show this change: check the device in the UEM console.' });

const asJsonMap = (results: ReadonlyMap<string, TargetResult>) => new Map([...results].map(([id, r]) => [id, r as unknown as JsonValue]));

async function recoverChanges(ctx: GraphQLContext, ids: string[], changes: TagChange[], interruption: Interruption, progress: Progress): Promise<Settlement<JsonValue>> {
  const settled = await settleChanges(ctx, changes, interruption, progress, pairKey);
  const results = ids.map((id) => {
    const per = changes.map((change) => ({ change, result: settled.results.get(pairKey(change, id)) ?? unrecorded(id) }));
    const refused = per.find((p) => p.result.errorCode === 'FORBIDDEN' || p.result.errorCode === 'NOT_FOUND');
    if (refused) return { ...refused.result, previousTags: null, updatedTags: null };
    const combined = combineDevice(id, per, null);
    return { ...combined, updatedTags: settled.current.get(id) ?? null };
  });
  return { response: { interrupted: true, results } as unknown as JsonValue, settled: settled.settled, reconciled: settled.reconciled };
}
