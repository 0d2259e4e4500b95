/**
 * Every resolver map, merged. Each domain keeps its own file.
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { devicesResolvers } from './devices/devices.resolvers.js';
import { uemUsersResolvers } from './uem-users/uem-users.resolvers.js';
import { viewerResolvers } from './viewer/viewer.resolvers.js';

export const resolvers: Resolvers[] = [viewerResolvers, devicesResolvers, uemUsersResolvers];
