/**
 * Tags: search, one tag, create a tag (`addtag`), the devices of a tag, and tag or untag many
 * devices (BulkValues of device ids, limited by the SendMessage bulk setting). Tagging a tagged
 * device, or untagging an untagged one, is accepted and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { deviceNotFoundFault, readBulkValues, readJson, runBulk } from './uem.bulk.js';
import { bulkLimitFor, type UemRouteContext } from './uem.context.js';
import { formatUemDate } from './uem.dates.js';
import { badRequest, fail, UemErrorCode } from './uem.errors.js';
import { relatedGroups } from './uem.groups.routes.js';
import { paged, pageOf, readPaging } from './uem.paging.js';
import { contains, integerParam, text } from './uem.query.js';
import type { UemState } from './uem.state.js';
import type { UemTag } from './uem.types.js';

function tagParam(state: UemState, id: string | undefined): UemTag {
  const tag = id !== undefined && /^\d+$/.test(id) ? state.tags.get(Number(id)) : undefined;
  return tag ?? fail(404, UemErrorCode.TAG_NOT_FOUND, `Tag not found for id '${id ?? ''}'.`);
}

/** A tag as search items and the single read carry it. */
const tagV1 = (t: UemTag) => ({
  Id: { Value: t.id },
  Uuid: t.uuid,
  TagName: t.name,
  TagType: t.tagType,
  LocationGroupId: t.locationGroupId,
  TagAvatar: t.name.slice(0, 2).toUpperCase(),
});

/** Tag names: 1 to 50 characters once trimmed (our limit), unique per organization group ignoring case. */
export const MAX_TAG_NAME = 50;

/** `addtag`'s body: TagName, LocationGroupId (an organization group), TagType 1 or "Device" (default); TagAvatar ignored. */
function readNewTag(state: UemState, raw: unknown): Omit<UemTag, 'id' | 'members'> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) badRequest('The body must be a JSON object.');
  const body = raw as Record<string, unknown>;
  const name = typeof body.TagName === 'string' ? body.TagName.trim() : '';
  if (name === '' || name.length > MAX_TAG_NAME) badRequest(`TagName is required (1 to ${MAX_TAG_NAME} characters).`);
  const group = body.LocationGroupId;
  const groupId = typeof group === 'number' ? group : typeof group === 'string' && /^\d+$/.test(group.trim()) ? Number(group) : Number.NaN;
  if (!state.orgGroups.has(groupId)) badRequest(`LocationGroupId '${String(group ?? '')}' is not an organization group.`);
  const type = body.TagType ?? 1;
  if (type !== 1 && type !== '1' && (typeof type !== 'string' || type.toLowerCase() !== 'device')) {
    badRequest(`TagType '${String(type)}' is not supported: only Device tags (1).`);
  }
  const taken = [...state.tags.values()].some((t) => t.locationGroupId === groupId && t.name.toLowerCase() === name.toLowerCase());
  if (taken) badRequest(`A tag named '${name}' already exists at this organization group.`, UemErrorCode.DUPLICATE_TAG_NAME);
  return { uuid: randomUUID(), name, tagType: 'Device', locationGroupId: groupId };
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
      .map(tagV1);
    return paged('Tags', pageOf(all, paging), paging, all.length);
  });

  ctx.route('GET', '/API/mdm/tags/{id}', 'tags', (req) => ({ status: 200, body: tagV1(tagParam(state, req.params.id)) }));

  ctx.route('POST', '/API/mdm/tags/addtag', 'tags', (req) => {
    const tag = state.addTag(readNewTag(state, readJson(req)));
    return { status: 200, body: { Value: tag.id } };
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
