/**
 * A connection over device ids the gateway already holds (a tag's or smart group's members, an
 * app's devices): only the window's ids are read, in one batch (`POST /devices/id`). Ids outside
 * the caller's row scope are dropped first (`ctx.access.visibleDeviceIds`), so `totalCount` counts only
 * what the caller may see.
 */
import type { GraphQLContext } from '../../context.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { checkFirst, type Connection } from '../../graphql/connection.js';
import { listWindow, windowConnection } from '../../graphql/list-window.js';

export async function devicesOfIds(
  ctx: GraphQLContext,
  allIds: readonly number[],
  args: { first?: number | null; after?: string | null },
  scope: unknown,
): Promise<Connection<UemDevice>> {
  const size = checkFirst(args.first, ctx.services.config.maxPageSize);
  const offset = ctx.services.cursors.startAfter(args.after, scope);
  const ids = await ctx.access.visibleDeviceIds(allIds);
  const window = listWindow(ids.length, size, offset);
  const loaded = await ctx.loaders.uem.deviceById.loadMany(ids.slice(window.offset, window.end).map(String));
  const nodes = loaded.map((d) => {
    if (d instanceof Error) throw d;
    return d;
  });
  return windowConnection(window, nodes, ids.length, scope, ctx.services.cursors);
}
