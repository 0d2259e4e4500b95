/**
 * Device commands, on one device (202, empty body) or many (`commands/bulk`, a BulkResponse).
 * EnterpriseWipe and DeviceWipe move the device to the matching pending enrollment status; every
 * accepted command lands in the device's command history (`state.commandHistory(id)`), which the
 * device's event log (`GET /devices/{id}/eventlog`, UEM's EventLog API) shows, newest first.
 */
import type { CaseInsensitiveQuery } from '../common/router.js';
import { deviceNotFoundFault, readBulkValues, runBulk } from './uem.bulk.js';
import { bulkLimitFor, type UemRouteContext } from './uem.context.js';
import { deviceParam } from './uem.devices.routes.js';
import { badRequest, fail, UemErrorCode } from './uem.errors.js';
import { formatUemDate, DAY_MS } from './uem.dates.js';
import { paged, readPaging } from './uem.paging.js';
import { integerParam, text } from './uem.query.js';
import { SEARCH_BY_FIELDS } from './uem.state.js';
import { DEVICE_COMMANDS, type DeviceCommand } from './uem.types.js';

/** The event-log text of an accepted command (our choice of wording). */
export const COMMAND_EVENTS: Record<DeviceCommand, string> = {
  SyncDevice: 'Sync Device Requested',
  DeviceQuery: 'Device Query Requested',
  Lock: 'Lock Device Requested',
  ClearPasscode: 'Clear Passcode Requested',
  EnterpriseWipe: 'Enterprise Wipe Requested',
  DeviceWipe: 'Device Wipe Requested',
};

const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'information', 'debug'];

/** The canonical command for a case-insensitive `command=`; 400 with 5072 when unknown. */
export function commandParam(query: CaseInsensitiveQuery): DeviceCommand {
  const asked = text(query, 'command');
  if (asked === undefined) badRequest('The command query parameter is required.', UemErrorCode.UNKNOWN_COMMAND);
  const command = DEVICE_COMMANDS.find((c) => c.toLowerCase() === asked.toLowerCase());
  return command ?? badRequest(`Unknown command '${asked}'.`, UemErrorCode.UNKNOWN_COMMAND);
}

export function registerCommandRoutes(ctx: UemRouteContext): void {
  const { state } = ctx;

  ctx.route('POST', '/API/mdm/devices/{id}/commands', 'devices', (req) => {
    const device = deviceParam(state, req.params.id);
    const command = commandParam(req.query);
    if (device.enrollmentStatus === 'Unenrolled') {
      fail(400, UemErrorCode.DEVICE_NOT_ENROLLED, `Device ${device.id} is not enrolled.`);
    }
    state.applyCommand(device, command, 'single');
    return { status: 202 };
  });

  ctx.route('POST', '/API/mdm/devices/commands/bulk', 'bulk', (req) => {
    const command = commandParam(req.query);
    const searchBy = (text(req.query, 'searchby') ?? 'DeviceId').toLowerCase();
    const field = SEARCH_BY_FIELDS[searchBy as keyof typeof SEARCH_BY_FIELDS];
    if (field === undefined) badRequest(`Unsupported searchby '${searchBy}'.`);
    const values = readBulkValues(req);
    const result = runBulk(values, bulkLimitFor(command, ctx.bulkSettings), (value) => {
      const device = state.findDevice(field, value);
      if (!device) return deviceNotFoundFault(value);
      if (device.enrollmentStatus === 'Unenrolled') {
        return { ErrorCode: UemErrorCode.DEVICE_NOT_ENROLLED, ItemValue: value, Message: 'Device is not enrolled.' };
      }
      state.applyCommand(device, command, 'bulk');
      return undefined;
    });
    return { status: 200, body: result };
  });

  ctx.route('GET', '/API/mdm/devices/{id}/eventlog', 'devices', (req) => {
    const device = deviceParam(state, req.params.id);
    const paging = readPaging(req.query);
    const severity = text(req.query, 'severity')?.toLowerCase();
    if (severity !== undefined && !SEVERITIES.includes(severity)) badRequest(`Unknown severity '${severity}'.`);
    const dayRange = integerParam(req.query, 'dayrange');
    const since = dayRange === undefined ? -Infinity : state.now() - dayRange * DAY_MS;
    const entries = severity !== undefined && severity !== 'information' ? [] : state.commandHistory(device.id).filter((c) => c.at >= since).reverse();
    const rows = entries.slice(paging.start, paging.start + paging.pageSize).map((c) => ({
      DeviceId: device.id,
      TimeStamp: formatUemDate(c.at),
      Severity: 'Information',
      Source: 'Server',
      Category: 'Command',
      Event: COMMAND_EVENTS[c.command],
    }));
    return paged('DeviceEventLogEntries', rows, paging, entries.length);
  });
}
