/**
 * Device verbs over UEM's v1 device routes: search (one page or all), one device, devices by id
 * list (the batch read), apps and compliance of a device, the extensive search, and commands on
 * one or many devices with per-item results.
 */
import { ErrorCode, UpstreamError } from '../../errors.js';
import { chunk, mapConcurrent } from '../concurrency.js';
import { bulkLimitFor, bulkValues, resultsFromBulk, resultsFromFailure, type BulkItemResult, type UemDeviceCommand } from './uem.bulk.js';
import { seg, type UemContext } from './uem.context.js';
import { fetchAllPages, pageSchema, readerPage, toPage, type UemPage } from './uem.paging.js';
import {
  bulkResponseSchema,
  deviceAppSchema,
  deviceComplianceSchema,
  deviceEventSchema,
  deviceSchema,
  extensiveDeviceSchema,
  UemDevice,
  type UemDeviceApp,
  type UemDeviceCompliance,
  type UemDeviceEvent,
  type UemExtensiveDevice,
} from './uem.schemas.js';
import { toUemDate } from './uem.wire.js';

export interface UemDeviceFilter {
  /** Enrollment user name. */
  userName?: string;
  model?: string;
  /** `Apple`, `Android`, `WinRT`, `AppleOsX`, … */
  platform?: string;
  /** `C`, `E`, `S`, `Undefined`. */
  ownership?: string;
  /** The group and the groups below it. */
  organizationGroupId?: number;
  complianceStatus?: 'Compliant' | 'NonCompliant';
  /** Seen at or after (ISO string or Date). */
  seenSince?: string | Date;
  /** Seen at or before (UEM's `lastseen`). */
  seenUntil?: string | Date;
}

export interface UemDeviceOrder {
  /** A v1 field name: `Id`, `LastSeen`, `DeviceFriendlyName`, `Model`, … */
  orderBy: string;
  sortOrder?: 'ASC' | 'DESC';
}

export interface UemExtensiveFilter {
  organizationGroupId?: number;
  platform?: string;
  startDateTime?: string | Date;
  endDateTime?: string | Date;
}

const devicesPage = readerPage('Devices', UemDevice.read, 'a device');
const date = (v: string | Date | undefined) => (v === undefined ? undefined : toUemDate(v));

export async function searchDevices(ctx: UemContext, filter: UemDeviceFilter, page: number, pageSize: number, order?: UemDeviceOrder): Promise<UemPage<UemDevice>> {
  const query = {
    user: filter.userName,
    model: filter.model,
    platform: filter.platform,
    ownership: filter.ownership,
    lgid: filter.organizationGroupId,
    compliantstatus: filter.complianceStatus,
    seensince: date(filter.seenSince),
    lastseen: date(filter.seenUntil),
    orderby: order?.orderBy,
    sortorder: order?.orderBy ? (order.sortOrder ?? 'ASC') : undefined,
    page,
    pagesize: pageSize,
  };
  const parsed = await ctx.api.json({ method: 'GET', path: '/mdm/devices/search', query, operation: 'devices.search' }, devicesPage);
  return toPage(parsed, page, pageSize);
}

export async function getDevice(ctx: UemContext, id: number | string): Promise<UemDevice | null> {
  return orNull(ctx.api.json({ method: 'GET', path: `/mdm/devices/${seg(id)}`, operation: 'devices.get' }, deviceSchema));
}

/** Devices by id through the batch read, chunked; unknown ids are simply absent. */
export async function getDevicesByIds(ctx: UemContext, ids: readonly (number | string)[]): Promise<UemDevice[]> {
  const unique = [...new Set(ids.map((id) => String(id).trim()))].filter((id) => /^\d+$/.test(id));
  const chunks = chunk(unique, ctx.tuning.maxIdsPerRead);
  const pages = await mapConcurrent(chunks, ctx.tuning.pageConcurrency, async (values) => {
    const spec = { method: 'POST', path: '/mdm/devices/id', body: bulkValues(values), operation: 'devices.byIds', idempotent: true } as const;
    return (await ctx.api.json(spec, devicesPage))?.items ?? [];
  });
  return pages.flat();
}

/**
 * Devices by serial number through the batch read (`POST /mdm/devices/serialnumber`, BulkValues),
 * chunked; unknown serial numbers are simply absent, and a serial number UEM holds twice comes back
 * twice (re-enrollments).
 */
export async function getDevicesBySerialNumbers(ctx: UemContext, serials: readonly string[]): Promise<UemDevice[]> {
  const unique = [...new Set(serials.map((s) => s.trim()))].filter((s) => s !== '');
  const chunks = chunk(unique, ctx.tuning.maxIdsPerRead);
  const pages = await mapConcurrent(chunks, ctx.tuning.pageConcurrency, async (values) => {
    const spec = { method: 'POST', path: '/mdm/devices/serialnumber', body: bulkValues(values), operation: 'devices.bySerialNumbers', idempotent: true } as const;
    return (await ctx.api.json(spec, devicesPage))?.items ?? [];
  });
  return pages.flat();
}

/** Every app of a device (all pages). */
export async function deviceApps(ctx: UemContext, id: number | string): Promise<UemDeviceApp[]> {
  const schema = pageSchema('DeviceApps', deviceAppSchema);
  const { items } = await fetchAllPages(
    async (page, pagesize) =>
      toPage(await ctx.api.json({ method: 'GET', path: `/mdm/devices/${seg(id)}/apps`, query: { page, pagesize }, operation: 'devices.apps' }, schema), page, pagesize),
    { concurrency: ctx.tuning.pageConcurrency },
  );
  return items;
}

export async function deviceCompliance(ctx: UemContext, id: number | string): Promise<UemDeviceCompliance | null> {
  return orNull(ctx.api.json({ method: 'GET', path: `/mdm/devices/${seg(id)}/compliance`, operation: 'devices.compliance' }, deviceComplianceSchema));
}

export async function extensiveSearch(ctx: UemContext, filter: UemExtensiveFilter, page: number, pageSize: number): Promise<UemPage<UemExtensiveDevice>> {
  const query = {
    organizationgroupid: filter.organizationGroupId,
    platform: filter.platform,
    startdatetime: date(filter.startDateTime),
    enddatetime: date(filter.endDateTime),
    page,
    pagesize: pageSize,
  };
  const spec = { method: 'GET', path: '/mdm/devices/extensivesearch', query, operation: 'devices.extensiveSearch' } as const;
  return toPage(await ctx.api.json(spec, pageSchema('Devices', extensiveDeviceSchema)), page, pageSize);
}

/**
 * Around each chunk of a bulk write: `beforeChunk` runs before the chunk is sent and may answer
 * results instead (the chunk is then not sent at all); `afterChunk` gets the chunk's results.
 * Callers record their progress here (issue 16: a batch is recorded before it is sent).
 */
export interface BulkHooks {
  beforeChunk?(values: readonly string[]): Promise<BulkItemResult[] | undefined>;
  afterChunk?(results: readonly BulkItemResult[]): Promise<void>;
}

/** A command on many devices: one result per id asked, in the order asked. */
export async function sendBulkCommand(ctx: UemContext, ids: readonly (number | string)[], command: UemDeviceCommand, hooks?: BulkHooks): Promise<BulkItemResult[]> {
  const spec = (values: string[]) =>
    ({ method: 'POST', path: '/mdm/devices/commands/bulk', query: { command, searchby: 'DeviceId' }, body: bulkValues(values), operation: 'devices.bulkCommand' }) as const;
  return bulkWrite(ctx, ids, bulkLimitFor(command, await ctx.bulkSettings()), spec, hooks);
}

/** Runs a BulkValues write in chunks of `limit`; never loses an item. */
export async function bulkWrite(
  ctx: UemContext,
  ids: readonly (number | string)[],
  limit: number,
  spec: (values: string[]) => Parameters<UemContext['api']['json']>[0],
  hooks: BulkHooks = {},
): Promise<BulkItemResult[]> {
  const asked = ids.map((id) => String(id).trim());
  const chunks = chunk([...new Set(asked)], limit);
  const results = await mapConcurrent(chunks, ctx.tuning.pageConcurrency, async (values) => {
    const instead = await hooks.beforeChunk?.(values);
    if (instead) return instead;
    let chunkResults: BulkItemResult[];
    try {
      chunkResults = resultsFromBulk(values, await ctx.api.json(spec(values), bulkResponseSchema));
    } catch (err) {
      chunkResults = resultsFromFailure(values, err);
    }
    await hooks.afterChunk?.(chunkResults);
    return chunkResults;
  });
  const byItem = new Map(results.flat().map((r) => [r.item, r]));
  return asked.map((item) => byItem.get(item) as BulkItemResult);
}

/**
 * A device's event log, newest first (`GET /devices/{id}/eventlog`, every page), limited to the last
 * `dayRange` days. Null when UEM has no such device.
 */
export async function deviceEventLog(ctx: UemContext, id: number | string, dayRange: number): Promise<UemDeviceEvent[] | null> {
  const schema = pageSchema('DeviceEventLogEntries', deviceEventSchema);
  try {
    const { items } = await fetchAllPages(
      async (page, pagesize) =>
        toPage(
          await ctx.api.json({ method: 'GET', path: `/mdm/devices/${seg(id)}/eventlog`, query: { page, pagesize, dayrange: dayRange }, operation: 'devices.eventLog' }, schema),
          page,
          pagesize,
        ),
      { concurrency: ctx.tuning.pageConcurrency },
    );
    return items;
  } catch (err) {
    if (err instanceof UpstreamError && err.code === ErrorCode.NOT_FOUND) return null;
    throw err;
  }
}

/** A lookup that answers null for NOT_FOUND (and for an empty answer). */
export async function orNull<T>(promise: Promise<T | undefined>): Promise<T | null> {
  try {
    return (await promise) ?? null;
  } catch (err) {
    if (err instanceof UpstreamError && err.code === ErrorCode.NOT_FOUND) return null;
    throw err;
  }
}
