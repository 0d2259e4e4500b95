/**
 * Tag changes: the tag must exist, each device is checked for WRITE in its environment, allowed
 * devices go to UEM in bulk, and the tag's member list is forgotten so reads show the change.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemTag } from '../../datasources/uem/uem.catalog-schemas.js';
import { badInput, notFound } from '../../errors.js';
import { UEM_REFERENCE_KEYS } from '../../loaders/uem-reference.loaders.js';
import type { JsonValue } from '../../store/database.types.js';
import { withAudit } from '../audit.js';
import { authorizeTargets, outcomeOf, type TargetResult } from './device-targets.js';
import { errorCodesOf } from '../uem-write.js';

export async function changeTagMembers(
  ctx: GraphQLContext,
  tagId: string,
  deviceIds: readonly string[],
  add: boolean,
): Promise<{ tag: UemTag; results: TargetResult[] }> {
  const field = add ? 'addDevicesToTag' : 'removeDevicesFromTag';
  const targets = [{ type: 'Tag', id: tagId.slice(0, 40) }, ...[...new Set(deviceIds)].slice(0, 5_000).map((id) => ({ type: 'Device', id: id.slice(0, 40) }))];
  return withAudit(ctx, { field, targets, variables: { tagId, deviceCount: deviceIds.length } }, async () => {
    const id = Number(tagId);
    if (!Number.isInteger(id) || id <= 0) throw badInput('"tagId" must be a UEM tag id.', { argument: 'tagId' });
    const tag = (await ctx.loaders.uem.tags()).find((t) => t.id === id);
    if (!tag) throw notFound(`No tag with id ${id}.`, { argument: 'tagId' });
    const authorized = await authorizeTargets(ctx, deviceIds, 'sendStateChangingCommand');
    const allowed = authorized.allowed.map((d) => String(d.id));
    const sent = new Map<string, TargetResult>();
    if (allowed.length > 0) {
      const results = add ? await ctx.uem.addDevicesToTag(id, allowed) : await ctx.uem.removeDevicesFromTag(id, allowed);
      for (const r of results) sent.set(r.item, { deviceId: r.item, status: r.status, errorCode: r.errorCode, message: r.message });
      ctx.services.cache.invalidate(UEM_REFERENCE_KEYS.tagMembers(id));
      ctx.services.snapshots.invalidate('tags');
    }
    const results = authorized.ids.map(
      (d) => authorized.decided.get(d) ?? sent.get(d) ?? { deviceId: d, status: 'FAILED' as const, errorCode: 'INTERNAL_SERVER_ERROR', message: 'No result.' },
    );
    return {
      result: { tag, results },
      outcome: outcomeOf(results),
      errorCodes: errorCodesOf(results),
      details: { results: results as unknown as JsonValue },
    };
  });
}
