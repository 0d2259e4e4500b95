/**
 * Apps, organization groups, smart groups and tags: searches (the few-item lists come back whole),
 * members, app assignment to smart groups, installs, and tagging many devices with per-item results.
 */
import { z } from 'zod';
import type { BulkItemResult } from './uem.bulk.js';
import { bulkLimitFor, bulkValues } from './uem.bulk.js';
import { seg, type UemContext } from './uem.context.js';
import { bulkWrite, orNull, type BulkHooks } from './uem.devices.js';
import { fetchAllPages, pageSchema, toPage, type UemPage } from './uem.paging.js';
import {
  appDeviceSchema,
  appSchema,
  internalAppSchema,
  organizationGroupSchema,
  smartGroupDeviceSchema,
  smartGroupSchema,
  tagDeviceSchema,
  tagSchema,
  type UemApp,
  type UemAppDevice,
  type UemInternalApp,
  type UemOrganizationGroup,
  type UemSmartGroup,
  type UemSmartGroupDevice,
  type UemTag,
  type UemTagDevice,
} from './uem.catalog-schemas.js';
import { createdSchema } from './uem.schemas.js';
import { list } from './uem.wire.js';

const smartGroupMembersSchema = z.object({ Devices: list(smartGroupDeviceSchema) });
const tagMembersSchema = z.object({ Device: list(tagDeviceSchema) });

export interface UemAppFilter {
  name?: string;
  platform?: string;
  bundleId?: string;
  /** `Active`, `Retired`. */
  status?: string;
}

type Query = Record<string, string | number | boolean | undefined>;

/** Every page of a search whose item list is under `key`. */
async function allOf<S extends z.ZodType>(ctx: UemContext, path: string, operation: string, key: string, item: S, query: Query, totalKey?: string) {
  const schema = pageSchema(key, item, totalKey);
  const fetchPage = async (page: number, pagesize: number) =>
    toPage(await ctx.api.json({ method: 'GET', path, query: { ...query, page, pagesize }, operation }, schema), page, pagesize);
  return (await fetchAllPages(fetchPage, { concurrency: ctx.tuning.pageConcurrency })).items;
}

export async function searchApps(ctx: UemContext, filter: UemAppFilter, page: number, pageSize: number): Promise<UemPage<UemApp>> {
  const query = { applicationname: filter.name, platform: filter.platform, bundleid: filter.bundleId, status: filter.status, page, pagesize: pageSize };
  const spec = { method: 'GET', path: '/mam/apps/search', query, operation: 'apps.search' } as const;
  return toPage(await ctx.api.json(spec, pageSchema('Application', appSchema)), page, pageSize);
}

export async function getInternalApp(ctx: UemContext, id: number | string): Promise<UemInternalApp | null> {
  return orNull(ctx.api.json({ method: 'GET', path: `/mam/apps/internal/${seg(id)}`, operation: 'apps.internal' }, internalAppSchema));
}

/** The devices that have an app, filtered by install and assignment status (all pages). */
export function appDevices(ctx: UemContext, uuid: string, filter: { installed?: boolean; assigned?: boolean } = {}): Promise<UemAppDevice[]> {
  const query = { isinstalled: filter.installed, isassigned: filter.assigned };
  return allOf(ctx, `/mam/apps/${seg(uuid)}/devices`, 'apps.devices', 'devices', appDeviceSchema, query, 'TotalResults');
}

export async function setAppAssignment(ctx: UemContext, appId: number | string, smartGroupId: number | string, assigned: boolean, pushMode: 'Auto' | 'OnDemand' = 'Auto'): Promise<void> {
  const path = `/mam/apps/internal/${seg(appId)}/smartgroups/${seg(smartGroupId)}`;
  if (assigned) await ctx.api.send({ method: 'POST', path, body: { PushMode: pushMode }, operation: 'apps.assign' });
  else await ctx.api.send({ method: 'DELETE', path, operation: 'apps.unassign' });
}

/** Installs an internal app on a device (also the retry after a failed install). */
export async function installApp(ctx: UemContext, appId: number | string, deviceId: number | string): Promise<void> {
  const body = { DeviceId: Number(deviceId) };
  await ctx.api.send({ method: 'POST', path: `/mam/apps/internal/${seg(appId)}/install`, body, operation: 'apps.install' });
}

export function searchOrganizationGroups(ctx: UemContext, filter: { name?: string; groupId?: string } = {}): Promise<UemOrganizationGroup[]> {
  return allOf(ctx, '/system/groups/search', 'orgGroups.search', 'LocationGroups', organizationGroupSchema, { name: filter.name, groupid: filter.groupId });
}

export function searchSmartGroups(ctx: UemContext, filter: { name?: string; organizationGroupId?: number } = {}): Promise<UemSmartGroup[]> {
  const query = { name: filter.name, organizationgroupid: filter.organizationGroupId };
  return allOf(ctx, '/mdm/smartgroups/search', 'smartGroups.search', 'SmartGroups', smartGroupSchema, query);
}

export async function smartGroupDevices(ctx: UemContext, id: number | string): Promise<UemSmartGroupDevice[]> {
  const spec = { method: 'GET', path: `/mdm/smartgroups/${seg(id)}/devices`, operation: 'smartGroups.devices' } as const;
  return (await ctx.api.json(spec, smartGroupMembersSchema))?.Devices ?? [];
}

export function searchTags(ctx: UemContext, filter: { name?: string; organizationGroupId?: number } = {}): Promise<UemTag[]> {
  return allOf(ctx, '/mdm/tags/search', 'tags.search', 'Tags', tagSchema, { name: filter.name, organizationgroupid: filter.organizationGroupId });
}

/** One tag by id; null when UEM has none. */
export function getTag(ctx: UemContext, id: number | string): Promise<UemTag | null> {
  return orNull(ctx.api.json({ method: 'GET', path: `/mdm/tags/${seg(id)}`, operation: 'tags.get' }, tagSchema));
}

/** Creates a Device tag at an organization group (`POST /mdm/tags/addtag`); answers the new tag's id. */
export async function createTag(ctx: UemContext, name: string, organizationGroupId: number): Promise<number> {
  const body = { TagName: name, TagType: 1, LocationGroupId: organizationGroupId, TagAvatar: name.slice(0, 2).toUpperCase() };
  const created = await ctx.api.json({ method: 'POST', path: '/mdm/tags/addtag', body, operation: 'tags.create' }, createdSchema);
  if (created === undefined) throw new TypeError('UEM answered addtag without the new id');
  return created.Value;
}

export async function tagDevices(ctx: UemContext, tagId: number | string): Promise<UemTagDevice[]> {
  const spec = { method: 'GET', path: `/mdm/tags/${seg(tagId)}/devices`, operation: 'tags.devices' } as const;
  return (await ctx.api.json(spec, tagMembersSchema))?.Device ?? [];
}

/** Tags or untags many devices: one result per device id asked, in the order asked; `hooks` run around each chunk. */
export async function setDevicesTagged(
  ctx: UemContext,
  tagId: number | string,
  deviceIds: readonly (number | string)[],
  tagged: boolean,
  hooks?: BulkHooks,
): Promise<BulkItemResult[]> {
  const action = tagged ? 'adddevices' : 'removedevices';
  const spec = (values: string[]) =>
    ({ method: 'POST', path: `/mdm/tags/${seg(tagId)}/${action}`, body: bulkValues(values), operation: tagged ? 'tags.addDevices' : 'tags.removeDevices' }) as const;
  return bulkWrite(ctx, deviceIds, bulkLimitFor('Tag', await ctx.bulkSettings()), spec, hooks);
}
