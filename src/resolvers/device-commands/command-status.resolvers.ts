/**
 * Commands sent to devices, read back from UEM's command history: thin resolvers over
 * command-status.service.ts.
 */
import type { DeviceCommand, DeviceCommandState, Resolvers } from '../../__generated__/resolvers-types.js';
import { UPSTREAM_COMMAND } from './device-command.send.js';
import { commandIdOf, deviceCommandById, deviceCommandConnection, sentCommandOf } from './command-status.service.js';

const STATES: Record<string, DeviceCommandState> = { queued: 'QUEUED', sent: 'SENT', completed: 'COMPLETED', failed: 'FAILED' };
const GATEWAY_COMMAND = new Map<string, DeviceCommand>(Object.entries(UPSTREAM_COMMAND).map(([ours, theirs]) => [theirs.toLowerCase(), ours as DeviceCommand]));

export const commandStatusResolvers: Resolvers = {
  Query: {
    deviceCommand: (_root, { id }, ctx) => deviceCommandById(ctx, id),
  },
  Device: {
    commands: (d, args, ctx) => deviceCommandConnection(ctx, d, args),
  },
  DeviceCommandResult: {
    commandId: (r, _args, ctx) => commandIdOf(ctx, r),
    sentCommand: (r, _args, ctx) => sentCommandOf(ctx, r),
  },
  DeviceCommandRecord: {
    id: (c) => c.uuid ?? '',
    deviceId: (c) => String(c.deviceId ?? ''),
    command: (c) => GATEWAY_COMMAND.get((c.command ?? '').toLowerCase()) ?? null,
    upstreamCommand: (c) => c.command ?? '',
    state: (c) => STATES[(c.status ?? '').toLowerCase()] ?? 'UNKNOWN',
    upstreamState: (c) => c.status,
    queuedAt: (c) => c.queuedAt,
    sentAt: (c) => c.sentAt,
    completedAt: (c) => c.completedAt,
    message: (c) => c.errorMessage,
    // Reached through a device or a command the caller reads; the access service answers anyway (batched).
    device: (c, _args, ctx) => (c.deviceId === null ? null : ctx.access.device(String(c.deviceId))),
  },
};
