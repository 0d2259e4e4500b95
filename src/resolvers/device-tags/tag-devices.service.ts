/**
 * Tag changes: the tag must exist, each device is checked for WRITE in its environment, allowed
 * devices go to UEM in bulk, and the tag's member list is forgotten so reads show the change.
 * With an idempotency key the key is claimed before anything is sent and each batch's progress is
 * recorded (src/idempotency/); a retry after an interruption reconciles with the tag's member list
 * in UEM instead of sending again (a late re-send could undo someone else's change since).
 */
import type { GraphQLContext } from '../../context.js';
import type { UemTag } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput } from '../../errors.js';
import { fingerprint } from '../../idempotency/fingerprint.js';
import { checkIdempotencyKey, type Interruption, type Progress, type Settlement } from '../../idempotency/idempotent-run.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { findTag } from './tag-lookup.js';
import { errorCodesOf, failureOf, forgetTags } from '../uem-write.js';
import { authorizeTargets, distinctIds, outcomeOf, type TargetResult } from '../device-commands/device-targets.js';
import { asJson, NO_PROGRESS, recordedSends } from '../device-commands/recorded-sends.js';

export interface TagChangePayload {
  tag: UemTag;
  results: TargetResult[];
  replayed: boolean;
  interrupted: boolean;
}

/** The tag a mutation names: `tagId` (an id) or `tag` (an id or a name), exactly one of them. */
export interface TagArgument {
  tagId?: string | null;
  tag?: string | null;
}

async function namedTag(ctx: GraphQLContext, { tagId, tag }: TagArgument): Promise<UemTag> {
  if ((tagId == null) === (tag == null)) throw badInput('Name the tag with exactly one of "tagId" and "tag".', { argument: 'tagId' });
  if (tagId != null) {
    if (!/^\d{1,12}$/.test(tagId.trim()) || Number(tagId) <= 0) throw badInput('"tagId" must be a UEM tag id.', { argument: 'tagId' });
    return findTag(ctx, tagId, 'tagId');
  }
  return findTag(ctx, tag as string, 'tag');
}

export async function changeTagMembers(
  ctx: GraphQLContext,
  which: TagArgument,
  deviceIds: readonly string[],
  add: boolean,
  idempotencyKey?: string | null,
): Promise<TagChangePayload> {
  const field = add ? 'addDevicesToTag' : 'removeDevicesFromTag';
  const key = idempotencyKey?.trim();
  const named = (which.tagId ?? which.tag ?? '').slice(0, 40);
  const targets = [{ type: 'Tag', id: named }, ...[...new Set(deviceIds)].slice(0, 5_000).map((id) => ({ type: 'Device', id: id.slice(0, 40) }))];
  const variables = { tagId: which.tagId ?? null, tag: which.tag?.slice(0, 200) ?? null, deviceCount: deviceIds.length, idempotencyKey: key ?? null };
  return withAudit(ctx, { field, targets, variables }, async (auditId) => {
    const tag = await namedTag(ctx, which);
    const id = tag.id;
    const ids = distinctIds(deviceIds);
    let payload: TagChangePayload;
    let reconciled: JsonValue | undefined;
    if (key === undefined) {
      payload = { tag, results: await tagDevices(ctx, id, ids, add, NO_PROGRESS), replayed: false, interrupted: false };
    } else {
      checkIdempotencyKey(key, 'idempotencyKey');
      const run = await ctx.services.idempotency.run<JsonValue>(
        { principalEmail: ctx.principal.email, key, operation: field, fingerprint: fingerprint(field, { tagId: id, deviceIds: [...ids].sort() }), targets: ids, auditEventId: auditId },
        {
          execute: async (progress) => ({ interrupted: false, results: (await tagDevices(ctx, id, ids, add, progress)) as unknown as JsonValue }),
          recover: (interruption, progress) => reconcileTag(ctx, id, add, interruption, progress),
        },
      );
      const stored = run.response as unknown as { interrupted: boolean; results: TargetResult[] };
      payload = { tag, results: stored.results, interrupted: stored.interrupted, replayed: run.source !== 'executed' };
      reconciled = run.reconciled;
    }
    return {
      result: payload,
      outcome: outcomeOf(payload.results),
      errorCodes: errorCodesOf(payload.results),
      details: { results: payload.results as unknown as JsonValue, replayed: payload.replayed, interrupted: payload.interrupted, ...(reconciled ? { reconciliation: reconciled } : {}) },
    };
  });
}

async function tagDevices(ctx: GraphQLContext, tagId: number, ids: string[], add: boolean, progress: Progress): Promise<TargetResult[]> {
  const authorized = await authorizeTargets(ctx, ids, 'sendStateChangingCommand');
  if (authorized.decided.size > 0) await progress.decided(asJson(authorized.decided.values()));
  const allowed = authorized.allowed.map((d) => String(d.id));
  const sent = new Map<string, TargetResult>();
  if (allowed.length > 0) {
    const sends = recordedSends(ctx, progress, sent);
    await (add ? ctx.uem.addDevicesToTag(tagId, allowed, sends) : ctx.uem.removeDevicesFromTag(tagId, allowed, sends));
    forgetTags(ctx, [tagId]);
  }
  return authorized.ids.map(
    (d) => authorized.decided.get(d) ?? sent.get(d) ?? { deviceId: d, status: 'FAILED' as const, errorCode: 'INTERNAL_SERVER_ERROR', message: 'No result.' },
  );
}

/** An interrupted tag change, settled against the tag's member list in UEM; nothing is sent again. */
async function reconcileTag(ctx: GraphQLContext, tagId: number, add: boolean, interruption: Interruption, progress: Progress): Promise<Settlement<JsonValue>> {
  const results = new Map<string, TargetResult>();
  const final: TargetResult[] = [];
  const notSent = (deviceId: string, why: string): TargetResult => ({
    deviceId,
    status: 'SKIPPED',
    errorCode: 'NOT_SENT',
    message: `${why} Nothing was sent now: change it again, with a new idempotency key, if it is still wanted.`,
  });
  for (const t of interruption.targets) {
    if (t.state === 'DONE' && t.result) results.set(t.target, t.result as unknown as TargetResult);
    else if (t.state !== 'UNKNOWN') final.push(notSent(t.target, 'The first attempt was interrupted before this device was sent.'));
  }
  const open = interruption.targets.filter((t) => t.state === 'UNKNOWN').map((t) => t.target);
  let settled = true;
  if (open.length > 0) {
    try {
      const members = new Set((await ctx.uem.tagDevices(tagId)).map((d) => String(d.deviceId)));
      for (const id of open) {
        const done = members.has(id) === add;
        final.push(
          done
            ? { deviceId: id, status: 'ACCEPTED', errorCode: null, message: `Confirmed with UEM after an interruption: the device is ${add ? 'tagged' : 'not tagged'}.` }
            : notSent(id, `UEM shows the device ${add ? 'not tagged' : 'still tagged'}: the change did not reach it.`),
        );
      }
      forgetTags(ctx, [tagId]);
    } catch (err) {
      settled = false;
      const { errorCode } = failureOf(err);
      for (const id of open) {
        results.set(id, {
          deviceId: id,
          status: 'OUTCOME_UNKNOWN',
          errorCode: 'OUTCOME_UNKNOWN',
          message: `UEM could not be asked whether the change reached this device (${errorCode}). Nothing was sent. Retry with the same idempotency key to reconcile again.`,
        });
      }
    }
  }
  for (const r of final) results.set(r.deviceId, r);
  if (final.length > 0) await progress.done(asJson(final));
  const ordered = interruption.targets.map((t) => results.get(t.target) as TargetResult);
  const openSet = new Set(open);
  const reconciled = [...results.values()]
    .filter((r) => openSet.has(r.deviceId) || final.includes(r))
    .map((r) => ({ deviceId: r.deviceId, status: r.status, evidence: openSet.has(r.deviceId) ? "the tag's member list in UEM" : 'never sent (the record shows its batch did not go)' }));
  return { response: { interrupted: true, results: ordered as unknown as JsonValue }, settled, reconciled: reconciled as unknown as JsonValue };
}
