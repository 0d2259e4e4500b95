/**
 * One device's answer to updateDeviceTags, from the results of each tag change for it: ACCEPTED
 * when every change reached UEM, otherwise the worst failure's status with every failed change in
 * the message; the tags after are the tags before with the accepted changes applied.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemTag } from '../../datasources/uem/uem.catalog-schemas.js';
import type { TargetResult } from '../device-commands/device-targets.js';

export interface TagChange {
  tag: UemTag;
  add: boolean;
}

export interface DeviceTagsResult extends TargetResult {
  previousTags: string[] | null;
  updatedTags: string[] | null;
}

const SEVERITY: Record<TargetResult['status'], number> = { OUTCOME_UNKNOWN: 0, FAILED: 1, SKIPPED: 2, WOULD_SEND: 3, ACCEPTED: 4 };

const tagName = (tag: UemTag) => tag.name ?? String(tag.id);

export function combineDevice(deviceId: string, per: readonly { change: TagChange; result: TargetResult }[], previous: string[] | null): DeviceTagsResult {
  const failed = per.filter((p) => p.result.status !== 'ACCEPTED').sort((a, b) => SEVERITY[a.result.status] - SEVERITY[b.result.status]);
  const known = previous !== null && !failed.some((p) => p.result.status === 'OUTCOME_UNKNOWN');
  let updated: string[] | null = null;
  if (known) {
    const accepted = per.filter((p) => p.result.status === 'ACCEPTED');
    const removed = new Set(accepted.filter((p) => !p.change.add).map((p) => tagName(p.change.tag).toLowerCase()));
    updated = previous.filter((n) => !removed.has(n.toLowerCase()));
    for (const p of accepted) if (p.change.add && !updated.some((n) => n.toLowerCase() === tagName(p.change.tag).toLowerCase())) updated.push(tagName(p.change.tag));
  }
  const worst = failed[0];
  if (!worst) return { deviceId, status: 'ACCEPTED', errorCode: null, message: null, previousTags: previous, updatedTags: updated };
  const message = failed.map((p) => `${p.change.add ? 'Not added to' : 'Not removed from'} "${tagName(p.change.tag)}": ${p.result.message ?? p.result.errorCode ?? 'failed'}`).join(' ');
  return { deviceId, status: worst.result.status, errorCode: worst.result.errorCode, message, previousTags: previous, updatedTags: updated };
}

/** Each device's tag names, from the tags' member lists (cached; no request per device). */
export async function tagNamesOf(ctx: GraphQLContext, ids: readonly string[]): Promise<Map<string, string[]>> {
  const tags = await ctx.loaders.uem.tags();
  const members = await Promise.all(tags.map(async (t) => new Set(await ctx.loaders.uem.tagMembers(t.id))));
  return new Map(ids.map((id) => [id, tags.filter((_t, i) => members[i]?.has(Number(id))).map(tagName)]));
}
