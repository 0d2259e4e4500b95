/**
 * Apps of the UEM catalog: `app`, `apps`, and the App type. The catalog is cached reference data;
 * install counts are one GET per app (batched with bounded concurrency), and for a non-admin two
 * more (the app's assigned and installed devices), cut to the devices they could list.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { toPlatform } from '../devices/device-enums.js';
import { appConnection, appDeviceConnection, appDeviceIds, toAppStatus } from './apps.service.js';

export const appsResolvers: Resolvers = {
  Query: {
    app: (_root, { id }, ctx) => ctx.loaders.uem.appById(id),
    apps: (_root, args, ctx) => appConnection(ctx, args),
  },
  App: {
    id: (a) => String(a.id),
    uuid: (a) => a.uuid,
    name: (a) => a.name,
    bundleId: (a) => a.bundleId,
    version: (a) => a.version,
    platform: (a) => toPlatform(a.platform),
    status: (a) => toAppStatus(a.status),
    smartGroups: async (a, _args, ctx) => {
      const index = await ctx.loaders.uem.smartGroups();
      return a.smartGroups.flatMap((ref) => index.find((g) => g.id === ref.id) ?? []);
    },
    installSummary: async (a, _args, ctx) => {
      const app = await ctx.loaders.uem.internalApp.load(String(a.id));
      const uem = app && { assigned: app.devicesAssignedCount, installed: app.devicesInstalledCount, notInstalled: app.devicesNotInstalledCount };
      return uem && app.uuid ? ctx.access.installCounts(uem, (status) => appDeviceIds(ctx, app.uuid as string, status)) : uem;
    },
    devices: (a, args, ctx) => appDeviceConnection(ctx, a, args),
  },
};
