/**
 * The app catalog as a connection (filtered in memory over the cached catalog) and the devices
 * of an app by state (UEM's per-app device list, which filters by installed and assigned only:
 * PENDING and FAILED are read as "not installed" and narrowed here), scoped to the devices the
 * caller may see (the catalog itself is organization-wide: any `readInventory` holder reads it).
 */
import type { AppDeviceStatus, AppFilter, AppStatus } from '../../__generated__/resolvers-types.js';
import type { GraphQLContext } from '../../context.js';
import type { UemApp } from '../../datasources/uem/uem.catalog-schemas.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { checkFirst, type Connection } from '../../graphql/connection.js';
import { sliceConnection } from '../../graphql/list-window.js';
import { devicesOfIds } from '../devices/device-window.js';
import { toPlatform } from '../devices/device-enums.js';

const same = (a: string | null, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

export const toAppStatus = (v: string | null): AppStatus => (same(v, 'Active') ? 'ACTIVE' : same(v, 'Retired') ? 'RETIRED' : 'OTHER');

function matches(app: UemApp, filter: AppFilter | null | undefined): boolean {
  if (!filter) return true;
  return (
    (!filter.name || (app.name ?? '').toLowerCase().includes(filter.name.toLowerCase())) &&
    (!filter.platform || toPlatform(app.platform) === filter.platform) &&
    (!filter.bundleId || same(app.bundleId, filter.bundleId)) &&
    (!filter.status || toAppStatus(app.status) === filter.status)
  );
}

export async function appConnection(
  ctx: GraphQLContext,
  args: { filter?: AppFilter | null; first?: number | null; after?: string | null },
): Promise<Connection<UemApp>> {
  const size = checkFirst(args.first, ctx.services.config.maxPageSize);
  const offset = ctx.services.cursors.startAfter(args.after, args.filter);
  const apps = (await ctx.loaders.uem.apps()).filter((a) => matches(a, args.filter)).sort((a, b) => a.id - b.id);
  return sliceConnection(apps, size, offset, args.filter, ctx.services.cursors);
}

/**
 * The ids of an app's devices in a state, ascending, in every environment (callers scope them):
 * the `appDevices` loader, so one request per question per request. Also what
 * `retryFailedInstalls` retries (status FAILED).
 */
export async function appDeviceIds(ctx: GraphQLContext, uuid: string, status: AppDeviceStatus | null): Promise<number[]> {
  const rows = await ctx.loaders.uem.appDevices.load({
    uuid,
    installed: status === 'INSTALLED' ? true : status === 'PENDING' || status === 'FAILED' ? false : undefined,
    assigned: status === 'ASSIGNED' ? true : undefined,
  });
  const wanted = status === 'PENDING' ? 'pending' : status === 'FAILED' ? 'failed' : undefined;
  const ids = rows.filter((r) => wanted === undefined || (r.installedStatus ?? '').toLowerCase() === wanted).map((r) => r.deviceId);
  return [...new Set(ids)].sort((a, b) => a - b);
}

export async function appDeviceConnection(
  ctx: GraphQLContext,
  app: UemApp,
  args: { status?: AppDeviceStatus | null; first?: number | null; after?: string | null },
): Promise<Connection<UemDevice>> {
  const scope = { app: app.id, status: args.status ?? null };
  const ids = app.uuid && !(await ctx.access.seesNothing()) ? await appDeviceIds(ctx, app.uuid, args.status ?? null) : [];
  return devicesOfIds(ctx, ids, args, scope);
}
