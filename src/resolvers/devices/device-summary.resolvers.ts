/**
 * `deviceSummary` for analysts (the work is in device-summary.service.ts).
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { deviceSummary } from './device-summary.service.js';

export const deviceSummaryResolvers: Resolvers = {
  Query: {
    deviceSummary: (_root, { filter, groupBy }, ctx) => deviceSummary(ctx, filter, groupBy),
  },
};
