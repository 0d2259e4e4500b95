/**
 * Following commands sent to devices through UEM's command history (issue 18, job 3):
 *
 * - `deviceCommand(id)`: one command by UEM's CommandUuid, then (for a non-admin) its device,
 *   batched, for the row scope (`ctx.access.command`). A command of a device the caller may not
 *   read answers exactly like an unknown one (null, as `device(id)` answers an unknown device).
 * - `Device.commands`: a page of the device's history (the device was reached in scope).
 * - A send result's command id: the id UEM answered (single sends), or else the device's newest
 *   command of that kind queued since the send (bulk sends: the BulkResponse names no command).
 */
import type { GraphQLContext } from '../../context.js';
import type { UemDeviceCommandRecord } from '../../datasources/uem/uem.commands.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { badInput } from '../../errors.js';
import { checkFirst, pagedWindow, toConnection, type Connection } from '../../graphql/connection.js';
import type { TargetResult } from './device-targets.js';

/** UEM's clock and the gateway's may differ: commands queued this much before the send still count. */
const CLOCK_SKEW_MS = 120_000;
/** How many of a device's newest commands of one kind are searched for a bulk send's command. */
const LOOKUP_PAGE = 10;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export async function deviceCommandById(ctx: GraphQLContext, id: string): Promise<UemDeviceCommandRecord | null> {
  const uuid = id.trim();
  if (!UUID.test(uuid)) throw badInput(`"${uuid.slice(0, 40)}" is not a UEM command id (a UUID).`, { argument: 'id' });
  return ctx.access.command(await ctx.loaders.uem.deviceCommand.load(uuid));
}

export async function deviceCommandConnection(
  ctx: GraphQLContext,
  device: UemDevice,
  args: { first?: number | null; after?: string | null },
): Promise<Connection<UemDeviceCommandRecord>> {
  const first = checkFirst(args.first, ctx.services.config.maxPageSize, 20);
  const deviceId = String(device.id);
  const scope = { list: 'deviceCommands', deviceId };
  const offset = ctx.services.cursors.startAfter(args.after, scope);
  const page = await pagedWindow(offset, first, async (p, pageSize) => {
    const answer = await ctx.loaders.uem.deviceCommandPage.load({ deviceId, page: p, pageSize });
    return answer ?? { items: [], total: 0 };
  });
  return toConnection({ items: page.items.filter((c) => c.uuid !== null), total: page.total }, offset, scope, ctx.services.cursors);
}

/** The CommandUuid of what a send result sent, when there is one. */
export async function commandIdOf(ctx: GraphQLContext, result: TargetResult): Promise<string | null> {
  if (result.commandId) return result.commandId;
  if (result.status !== 'ACCEPTED' || !result.sentVia) return null;
  const { command, since } = result.sentVia;
  const page = await ctx.loaders.uem.deviceCommandPage.load({ deviceId: result.deviceId, page: 0, pageSize: LOOKUP_PAGE, command });
  const from = Date.parse(since) - CLOCK_SKEW_MS;
  const match = page?.items.find((c) => c.uuid !== null && c.queuedAt !== null && Date.parse(c.queuedAt) >= from);
  return match?.uuid ?? null;
}

/** The command a send result sent, as UEM's history has it now. */
export async function sentCommandOf(ctx: GraphQLContext, result: TargetResult): Promise<UemDeviceCommandRecord | null> {
  const id = await commandIdOf(ctx, result);
  return id === null ? null : ctx.loaders.uem.deviceCommand.load(id);
}
