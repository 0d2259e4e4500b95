/**
 * Every resolver map, merged. Each domain keeps its own file.
 */
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { deviceDetailsResolvers } from './devices/device-details.resolvers.js';
import { deviceSummaryResolvers } from './devices/device-summary.resolvers.js';
import { devicesResolvers } from './devices/devices.resolvers.js';
import { deviceCommandsResolvers } from './device-commands/device-commands.resolvers.js';
import { commandStatusResolvers } from './device-commands/command-status.resolvers.js';
import { apiKeysResolvers } from './api-keys/api-keys.resolvers.js';
import { auditEventsResolvers } from './audit-events/audit-events.resolvers.js';
import { documentsResolvers } from './documents/documents.resolvers.js';
import { appsResolvers } from './apps/apps.resolvers.js';
import { groupsResolvers } from './uem-groups/groups.resolvers.js';
import { organizationGroupsResolvers } from './uem-groups/organization-groups.resolvers.js';
import { tagsResolvers } from './device-tags/device-tags.resolvers.js';
import { externalResolvers } from './harmony/external.resolvers.js';
import { harmonyResolvers } from './harmony/harmony.resolvers.js';
import { harmonyMutationResolvers } from './harmony-mutations/harmony-mutations.resolvers.js';
import { personResolvers } from './person/person.resolvers.js';
import { uemUsersResolvers } from './uem-users/uem-users.resolvers.js';
import { viewerResolvers } from './viewer/viewer.resolvers.js';
import { userGroupsResolvers } from './uem-user-groups/user-groups.resolvers.js';
import { provisioningResolvers } from './uem-provisioning/provisioning.resolvers.js';
import { appDeploymentResolvers } from './app-deployment/app-deployment.resolvers.js';

export const resolvers: Resolvers[] = [viewerResolvers, devicesResolvers, deviceCommandsResolvers, commandStatusResolvers, apiKeysResolvers, deviceDetailsResolvers, deviceSummaryResolvers, appsResolvers, groupsResolvers, organizationGroupsResolvers, tagsResolvers, uemUsersResolvers, harmonyResolvers, harmonyMutationResolvers, externalResolvers, personResolvers, documentsResolvers, auditEventsResolvers, userGroupsResolvers, provisioningResolvers, appDeploymentResolvers];
