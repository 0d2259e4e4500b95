/**
 * Device commands: the resolver only hands the input to the service.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { sendDeviceCommand } from './device-command.service.js';

export const deviceCommandsResolvers: Resolvers = {
  Mutation: {
    sendDeviceCommand: (_root, { input }, ctx) => sendDeviceCommand(ctx, input),
  },
};
