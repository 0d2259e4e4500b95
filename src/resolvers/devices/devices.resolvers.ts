/**
 * Devices: `device`, the `devices` connection and the Device type. Thin: filters (with the caller's
 * row scope, decided by the access service `ctx.access`) are planned and paged by device-search.service.ts, every device listed primes the by-id loader, and each
 * relation goes through a batching loader (see src/loaders/).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { deviceConnection } from './device-search.service.js';
import { deviceUser } from './device-user.js';

export const devicesResolvers: Resolvers = {
  Query: {
    device: (_root, { id }, ctx) => ctx.access.device(id),
    devices: (_root, args, ctx) => deviceConnection(ctx, args),
  },
  // Fields read straight off the device (`id` a number, which ID serializes as its digits; platform,
  // ownership, enrollment and compliance its getters' kinds: UemDevice) have no resolver: the compiled
  // operation reads them in place, with no call and no resolve info per device.
  Device: {
    user: (d, _args, ctx, info) => deviceUser(ctx, d, info),
    imei: (d) => d.imei,
    macAddress: (d) => d.macAddress,
    phoneNumber: (d) => d.phoneNumber,
    compromised: (d) => d.compromised,
    lastEnrolledOn: (d) => d.lastEnrolledOn,
    lastComplianceCheck: (d) => d.lastComplianceCheckOn,
    organizationGroup: (d) =>
      d.organizationGroupId === null ? null : { id: d.organizationGroupId, name: d.organizationGroupName, uuid: d.organizationGroupUuid },
    environment: (d, _args, ctx) => ctx.access.environmentOfGroup(d.organizationGroupName),
    apps: (d, _args, ctx) => ctx.loaders.uem.deviceApps.load(String(d.id)),
    compliance: (d, _args, ctx) => ctx.loaders.uem.deviceCompliance.load(String(d.id)),
    tags: async (d, _args, ctx) => (await ctx.loaders.uem.tagIndex()).ofDevice.get(String(d.id)) ?? [],
    smartGroups: async (d, _args, ctx) => (await ctx.loaders.uem.smartGroupIndex()).ofDevice.get(String(d.id)) ?? [],
  },
};
