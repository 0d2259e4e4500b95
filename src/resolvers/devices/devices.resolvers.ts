/**
 * Devices: the `devices` connection and the Device type. Thin: filters map to UEM's own search
 * parameters, paging to UEM pages, and every device listed primes the by-id loader.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { checkFirst, pagedWindow, toConnection } from '../../graphql/connection.js';
import { toCompliance, toEnrollment, toOwnership, toPlatform } from './device-enums.js';
import { toUemDeviceFilter } from './device-filter.js';

export const devicesResolvers: Resolvers = {
  Query: {
    devices: async (_root, { filter, first, after }, ctx) => {
      const size = checkFirst(first, ctx.services.config.maxPageSize);
      const offset = ctx.services.cursors.startAfter(after, filter);
      const uemFilter = toUemDeviceFilter(filter);
      const page = await pagedWindow(offset, size, async (p, s) => {
        const result = await ctx.uem.searchDevices(uemFilter, p, s);
        ctx.loaders.uem.primeDevices(result.items);
        return result;
      });
      return toConnection(page, offset, filter, ctx.services.cursors);
    },
  },
  Device: {
    id: (d) => String(d.id),
    friendlyName: (d) => d.friendlyName,
    platform: (d) => toPlatform(d.platform),
    ownership: (d) => toOwnership(d.ownership),
    enrollmentStatus: (d) => toEnrollment(d.enrollmentStatus),
    complianceStatus: (d) => toCompliance(d.complianceStatus),
    user: (d) => (d.userId === null ? null : { id: String(d.userId), userName: d.userName, email: d.userEmail }),
  },
};
