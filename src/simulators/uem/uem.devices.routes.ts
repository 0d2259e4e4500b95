/**
 * Device reads: search, one device, devices by id list, bulk settings, a device's apps and
 * compliance, and the extensive search (smart groups and custom attributes of many devices).
 */
import type { CaseInsensitiveQuery, SimRequest } from '../common/router.js';
import { readJson } from './uem.bulk.js';
import { MAX_IDS_PER_READ, type UemRouteContext } from './uem.context.js';
import { formatUemDate } from './uem.dates.js';
import { deviceSortKey, type DeviceFilter } from './uem.device-search.js';
import { badRequest, fail, UemErrorCode } from './uem.errors.js';
import { DEFAULT_PAGE_SIZE, paged, pageOf, readPaging } from './uem.paging.js';
import { booleanParam, dateParam, integerParam, text } from './uem.query.js';
import { deviceAppsV1, deviceComplianceV1, deviceV1 } from './uem.shapes.js';
import type { UemState } from './uem.state.js';
import type { UemDevice } from './uem.types.js';

/** Looks a device up by the `{id}` route parameter; 404 with 5061 when there is none. */
export function deviceParam(state: UemState, id: string | undefined): UemDevice {
  const device = id !== undefined && /^\d+$/.test(id) ? state.devices.get(Number(id)) : undefined;
  return device ?? fail(404, UemErrorCode.DEVICE_NOT_FOUND, `Device not found for id '${id ?? ''}'.`);
}

/** The `BulkValues.Value` list of a bulk read, within the per-call cap. */
function readBulkValues(req: SimRequest): unknown[] {
  const values = (readJson(req) as { BulkValues?: { Value?: unknown } } | undefined)?.BulkValues?.Value;
  if (!Array.isArray(values)) badRequest('The body must be { "BulkValues": { "Value": [ … ] } }.');
  if (values.length > MAX_IDS_PER_READ) {
    badRequest(`At most ${MAX_IDS_PER_READ} values per call (got ${values.length}).`, UemErrorCode.BULK_LIMIT_EXCEEDED);
  }
  return values;
}

/** The organization group filter: the group and its descendants; undefined = no filter. */
function groupFilter(state: UemState, query: CaseInsensitiveQuery, name: string): ReadonlySet<number> | undefined | null {
  const id = integerParam(query, name);
  if (id === undefined) return undefined;
  return state.groupWithDescendants(id) ?? null;
}

export function registerDeviceRoutes(ctx: UemRouteContext): void {
  const { state } = ctx;

  ctx.route('GET', '/API/mdm/devices/search', 'devices', (req) => {
    const q = req.query;
    const paging = readPaging(q, DEFAULT_PAGE_SIZE);
    const groupIds = groupFilter(state, q, 'lgid');
    const orderBy = text(q, 'orderby');
    const sortKey = orderBy === undefined ? 'Id' : (deviceSortKey(orderBy) ?? badRequest(`Unknown orderby '${orderBy}'.`));
    const sortOrder = (text(q, 'sortorder') ?? 'ASC').toUpperCase();
    if (sortOrder !== 'ASC' && sortOrder !== 'DESC') badRequest(`sortorder must be ASC or DESC, not '${sortOrder}'.`);
    const filter: DeviceFilter = {
      userName: text(q, 'user'),
      model: text(q, 'model'),
      platform: text(q, 'platform'),
      ownership: text(q, 'ownership'),
      groupIds: groupIds ?? undefined,
      compliant: booleanParam(q, 'compliantstatus', ['compliant'], ['noncompliant']),
      seenSince: dateParam(q, 'seensince'),
      seenUntil: dateParam(q, 'lastseen'),
    };
    if (groupIds === null) return { status: 204 };
    const result = state.search.search(filter, sortKey, sortOrder === 'DESC', paging.start, paging.pageSize);
    return paged('Devices', result.items.map((d) => deviceV1(state, d)), paging, result.total);
  });

  ctx.route('GET', '/API/mdm/devices/bulksettings', 'bulk', () => ({ status: 200, body: { ...ctx.bulkSettings } }));

  ctx.route('POST', '/API/mdm/devices/id', 'devices', (req) =>
    bulkRead(readBulkValues(req), (v) => {
      const id = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
      return state.devices.get(id);
    }),
  );

  ctx.route('POST', '/API/mdm/devices/serialnumber', 'devices', (req) =>
    bulkRead(readBulkValues(req), (v) => (typeof v === 'string' ? state.findDevice('serialNumber', v) : undefined)),
  );

  /** A bulk read: the devices found for the values, each once, in the order asked; unknown values are absent. */
  function bulkRead(values: unknown[], find: (value: unknown) => UemDevice | undefined) {
    const seen = new Set<number>();
    const devices: UemDevice[] = [];
    for (const v of values) {
      const device = find(v);
      if (device && !seen.has(device.id)) {
        seen.add(device.id);
        devices.push(device);
      }
    }
    const items = devices.map((d) => deviceV1(state, d));
    return { status: 200, body: { Devices: items, Page: 0, PageSize: items.length, Total: items.length } };
  }

  ctx.route('GET', '/API/mdm/devices/extensivesearch', 'reports', (req) => {
    const q = req.query;
    const paging = readPaging(q, DEFAULT_PAGE_SIZE);
    const groupIds = groupFilter(state, q, 'organizationgroupid');
    const filter: DeviceFilter = {
      platform: text(q, 'platform'),
      groupIds: groupIds ?? undefined,
      seenSince: dateParam(q, 'startdatetime'),
      seenUntil: dateParam(q, 'enddatetime'),
    };
    if (groupIds === null) return { status: 204 };
    const result = state.search.search(filter, 'Id', false, paging.start, paging.pageSize);
    return paged('Devices', result.items.map((d) => extensiveItem(state, d)), paging, result.total);
  });

  ctx.route('GET', '/API/mdm/devices/{id}', 'devices', (req) => ({ status: 200, body: deviceV1(state, deviceParam(state, req.params.id)) }));

  ctx.route('GET', '/API/mdm/devices/{id}/apps', 'devices', (req) => {
    const device = deviceParam(state, req.params.id);
    const paging = readPaging(req.query);
    const all = deviceAppsV1(state, device, state.deviceInstalls(device.id));
    return paged('DeviceApps', pageOf(all, paging), paging, all.length);
  });

  ctx.route('GET', '/API/mdm/devices/{id}/compliance', 'compliance', (req) => ({
    status: 200,
    body: deviceComplianceV1(deviceParam(state, req.params.id)),
  }));
}

const COST_CENTERS = ['CC-1010', 'CC-1020', 'CC-2040', 'CC-3100', 'CC-4500'];

function extensiveItem(state: UemState, d: UemDevice): Record<string, unknown> {
  const user = state.users.get(d.userId);
  return {
    DeviceId: d.id,
    DeviceUuid: d.uuid,
    Udid: d.udid,
    SerialNumber: d.serialNumber,
    FriendlyName: d.friendlyName,
    UserName: user?.userName ?? '',
    UserEmailAddress: user?.email ?? '',
    Platform: d.platform,
    Model: d.model,
    OperatingSystem: d.operatingSystem,
    OrganizationGroupId: d.locationGroupId,
    OrganizationGroupName: state.orgGroups.get(d.locationGroupId)?.name ?? '',
    EnrollmentStatus: d.enrollmentStatus,
    LastSeen: formatUemDate(d.lastSeen),
    Compliant: d.complianceStatus === 'Compliant',
    SmartGroups: state.smartGroupsOf(d.id).map((sg) => ({ SmartGroupId: sg.id, SmartGroupName: sg.name, SmartGroupUuid: sg.uuid })),
    CustomAttributes: [
      { Name: 'CostCenter', Value: COST_CENTERS[d.id % COST_CENTERS.length] ?? '', Application: 'com.demo.inventory' },
      { Name: 'Department', Value: user?.department ?? '', Application: 'com.demo.inventory' },
      { Name: 'AssetTag', Value: d.assetNumber, Application: 'com.demo.inventory' },
    ],
  };
}
