/**
 * Device commands, on one device (202 with `{ CommandUuid }`, as the API guide's scripts read it)
 * or many (`commands/bulk`, a BulkResponse, which names no command). EnterpriseWipe and DeviceWipe
 * move the device to the matching pending enrollment status; every accepted command lands in the
 * device's command history (`state.commandHistory(id)`), read back through
 * `GET /devices/{id}/commands` (the device's commands, newest first) and
 * `GET /devices/commands/{uuid}` (one command), with a status that moves Queued → Sent →
 * Completed or Failed on the simulator's clock (uem.command-queue.ts). The device's event log
 * (`GET /devices/{id}/eventlog`, UEM's EventLog API) shows them too.
 */
import type { CaseInsensitiveQuery } from '../common/router.js';
import { deviceNotFoundFault, readBulkValues, runBulk } from './uem.bulk.js';
import { bulkLimitFor, type UemRouteContext } from './uem.context.js';
import { deviceParam } from './uem.devices.routes.js';
import { badRequest, fail, UemErrorCode } from './uem.errors.js';
import { formatUemDate, DAY_MS } from './uem.dates.js';
import { commandShape, commandStatus, COMMAND_STATUSES, supportsCommand } from './uem.command-queue.js';
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
  EnableDeviceEncryption: 'Enable Device Encryption Requested',
  InstallOSUpdate: 'Install OS Update Requested',
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
    if (!supportsCommand(device, command)) {
      fail(400, UemErrorCode.COMMAND_NOT_SUPPORTED, `${command} is not supported on ${device.platform} devices.`);
    }
    const record = state.applyCommand(device, command, 'single');
    return { status: 202, body: { CommandUuid: record.uuid } };
  });

  ctx.route('GET', '/API/mdm/devices/{id}/commands', 'devices', (req) => {
    const device = deviceParam(state, req.params.id);
    const paging = readPaging(req.query);
    const asked = text(req.query, 'command');
    const command = asked === undefined ? undefined : commandParam(req.query);
    const askedStatus = text(req.query, 'status')?.toLowerCase();
    const status = askedStatus === undefined ? undefined : COMMAND_STATUSES.find((s) => s.toLowerCase() === askedStatus);
    if (askedStatus !== undefined && status === undefined) badRequest(`Unknown status '${askedStatus}'.`);
    const now = state.now();
    const all = state
      .commandHistory(device.id)
      .filter((c) => (command === undefined || c.command === command) && (status === undefined || commandStatus(c, now) === status))
      .reverse();
    const rows = all.slice(paging.start, paging.start + paging.pageSize).map((c) => commandShape(c, device, now));
    return paged('DeviceCommands', rows, paging, all.length);
  });

  ctx.route('GET', '/API/mdm/devices/commands/{uuid}', 'devices', (req) => {
    const record = state.commandByUuid(req.params.uuid ?? '');
    if (!record) fail(404, UemErrorCode.COMMAND_NOT_FOUND, `Command ${String(req.params.uuid).slice(0, 64)} not found.`);
    return { status: 200, body: commandShape(record, state.devices.get(record.deviceId), state.now()) };
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
      if (!supportsCommand(device, command)) {
        return { ErrorCode: UemErrorCode.COMMAND_NOT_SUPPORTED, ItemValue: value, Message: `${command} is not supported on ${device.platform} devices.` };
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
