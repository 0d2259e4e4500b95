/**
 * Tags: search, the devices of a tag, and tag or untag many devices (BulkValues of device ids,
 * limited by the SendMessage bulk setting). Tagging a tagged device, or untagging an untagged one,
 * is accepted and changes nothing.
 */
import { deviceNotFoundFault, readBulkValues, runBulk } from './uem.bulk.js';
import { bulkLimitFor, type UemRouteContext } from './uem.context.js';
import { formatUemDate } from './uem.dates.js';
import { fail, UemErrorCode } from './uem.errors.js';
import { relatedGroups } from './uem.groups.routes.js';
import { paged, pageOf, readPaging } from './uem.paging.js';
import { contains, integerParam, text } from './uem.query.js';
import type { UemState } from './uem.state.js';
import type { UemTag } from './uem.types.js';

function tagParam(state: UemState, id: string | undefined): UemTag {
  const tag = id !== undefined && /^\d+$/.test(id) ? state.tags.get(Number(id)) : undefined;
  return tag ?? fail(404, UemErrorCode.TAG_NOT_FOUND, `Tag not found for id '${id ?? ''}'.`);
}

export function registerTagRoutes(ctx: UemRouteContext): void {
  const { state } = ctx;

  ctx.route('GET', '/API/mdm/tags/search', 'tags', (req) => {
    const paging = readPaging(req.query);
    const name = text(req.query, 'name');
    const related = relatedGroups(state, integerParam(req.query, 'organizationgroupid'));
    if (related === null) return { status: 204 };
    const all = [...state.tags.values()]
      .filter((t) => contains(t.name, name) && (related === undefined || related.has(t.locationGroupId)))
      .map((t) => ({
        Id: { Value: t.id },
        Uuid: t.uuid,
        TagName: t.name,
        TagType: t.tagType,
        LocationGroupId: t.locationGroupId,
        TagAvatar: t.name.slice(0, 2).toUpperCase(),
      }));
    return paged('Tags', pageOf(all, paging), paging, all.length);
  });

  ctx.route('GET', '/API/mdm/tags/{id}/devices', 'tags', (req) => {
    const tag = tagParam(state, req.params.id);
    const device = [...tag.members]
      .sort(([a], [b]) => a - b)
      .map(([id, taggedAt]) => ({
        DeviceId: id,
        DeviceUuid: state.devices.get(id)?.uuid ?? '',
        FriendlyName: state.devices.get(id)?.friendlyName ?? '',
        DateTagged: formatUemDate(taggedAt),
      }));
    return { status: 200, body: { Device: device } };
  });

  for (const action of ['adddevices', 'removedevices'] as const) {
    ctx.route('POST', `/API/mdm/tags/{id}/${action}`, 'tags', (req) => {
      const tag = tagParam(state, req.params.id);
      const values = readBulkValues(req);
      const result = runBulk(values, bulkLimitFor('Tag', ctx.bulkSettings), (value) => {
        const device = state.findDevice('id', value);
        if (!device) return deviceNotFoundFault(value);
        if (action === 'adddevices') {
          if (!tag.members.has(device.id)) tag.members.set(device.id, state.now());
        } else {
          tag.members.delete(device.id);
        }
        return undefined;
      });
      return { status: 200, body: result };
    });
  }
}
