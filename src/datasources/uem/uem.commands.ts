/**
 * What happened to commands sent to devices: the CommandUuid a single-device command answers,
 * a device's command history (newest first, paged) and one command by its CommandUuid. Statuses
 * are UEM's words (`Queued`, `Sent`, `Completed`, `Failed`); the resolvers map them.
 */
import { z } from 'zod';
import type { UemDeviceCommand } from './uem.bulk.js';
import { seg, type UemContext } from './uem.context.js';
import { orNull } from './uem.devices.js';
import { pageSchema, toPage, type UemPage } from './uem.paging.js';
import { optionalId, text, uemDate } from './uem.wire.js';

export const deviceCommandRecordSchema = z
  .object({
    CommandUuid: text,
    DeviceId: optionalId,
    CommandName: text,
    Status: text,
    QueuedOn: uemDate,
    SentOn: uemDate,
    CompletedOn: uemDate,
    ErrorMessage: text,
  })
  .transform((c) => ({
    uuid: c.CommandUuid,
    deviceId: c.DeviceId,
    /** UEM's command name, e.g. `SyncDevice`. */
    command: c.CommandName,
    status: c.Status,
    queuedAt: c.QueuedOn,
    sentAt: c.SentOn,
    completedAt: c.CompletedOn,
    errorMessage: c.ErrorMessage,
  }));
export type UemDeviceCommandRecord = z.output<typeof deviceCommandRecordSchema>;

const acceptedSchema = z.object({ CommandUuid: text }).passthrough();

/** Sends a command to one device; UEM's CommandUuid for it, or null when the answer names none. */
export async function sendCommand(ctx: UemContext, id: number | string, command: UemDeviceCommand): Promise<string | null> {
  const spec = { method: 'POST', path: `/mdm/devices/${seg(id)}/commands`, query: { command }, operation: 'devices.command' } as const;
  return (await ctx.api.json(spec, acceptedSchema))?.CommandUuid ?? null;
}

export interface CommandHistoryFilter {
  command?: UemDeviceCommand;
}

/** One page of a device's commands, newest first; null when UEM has no such device. */
export async function deviceCommands(
  ctx: UemContext,
  id: number | string,
  page: number,
  pageSize: number,
  filter: CommandHistoryFilter = {},
): Promise<UemPage<UemDeviceCommandRecord> | null> {
  const spec = { method: 'GET', path: `/mdm/devices/${seg(id)}/commands`, query: { page, pagesize: pageSize, command: filter.command }, operation: 'devices.commands' } as const;
  const parsed = await orNull(ctx.api.json(spec, pageSchema('DeviceCommands', deviceCommandRecordSchema)));
  return parsed === null ? null : toPage(parsed, page, pageSize);
}

/** One command by its CommandUuid; null when UEM knows none. */
export async function deviceCommand(ctx: UemContext, uuid: string): Promise<UemDeviceCommandRecord | null> {
  return orNull(ctx.api.json({ method: 'GET', path: `/mdm/devices/commands/${seg(uuid)}`, operation: 'devices.commandByUuid' }, deviceCommandRecordSchema));
}
