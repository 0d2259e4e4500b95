/**
 * Device commands: the resolver only hands the input to the service.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { sendDeviceCommand } from './device-command.service.js';
import { createTag } from './create-tag.service.js';
import { changeTagMembers } from './tag-devices.service.js';
import { updateDeviceTags } from './update-device-tags.service.js';

export const deviceCommandsResolvers: Resolvers = {
  Mutation: {
    sendDeviceCommand: (_root, { input }, ctx) => sendDeviceCommand(ctx, input),
    addDevicesToTag: (_root, { tagId, tag, deviceIds, idempotencyKey }, ctx) => changeTagMembers(ctx, { tagId, tag }, deviceIds, true, idempotencyKey),
    removeDevicesFromTag: (_root, { tagId, tag, deviceIds, idempotencyKey }, ctx) => changeTagMembers(ctx, { tagId, tag }, deviceIds, false, idempotencyKey),
    updateDeviceTags: (_root, args, ctx) => updateDeviceTags(ctx, args),
    createTag: (_root, args, ctx) => createTag(ctx, args),
  },
};
