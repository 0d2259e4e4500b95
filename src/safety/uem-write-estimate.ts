/**
 * Upstream requests of the UEM write mutations of issue 11, estimated before execution from their
 * arguments (a cold cache; one write per user, group membership or smart group, as UEM has no bulk
 * call for them). What the arguments cannot tell is left out and said so: the devices of smart
 * groups a non-admin's check reads, and the installs `retryFailedInstalls` sends (one per failed
 * device, 8 at a time, known only once the app's failed installs are read).
 */

/** From this many users, provisioning reads the user directory (2 requests for 800 users) instead of one search per user. */
const USER_LOOKUP_THRESHOLD = 20;
const USER_DIRECTORY = 2;

type Args = Record<string, unknown>;
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function provisioning(args: Args): number {
  const users = listOf(args.input) as { userGroups?: unknown }[];
  const groupNames = users.flatMap((u) => listOf(u?.userGroups)).map((n) => String(n).trim().toLowerCase());
  const lookups = users.length >= USER_LOOKUP_THRESHOLD ? USER_DIRECTORY : users.length;
  const writes = args.dryRun === true ? 0 : users.length + groupNames.length;
  // Organization groups and user groups (one list each), then each named group's members once.
  return lookups + 2 + new Set(groupNames).size + writes;
}

/** UEM requests of one of these mutations, or undefined for any other field. */
export function uemWriteEstimate(field: string, args: Args): number | undefined {
  switch (field) {
    case 'createUemUser':
      return 4; // group list, user name lookup, create, read back
    case 'updateUemUser':
    case 'setUemUserStatus':
      return 5; // read, group list, update, activate or deactivate, read back
    case 'provisionUemUsers':
      return provisioning(args);
    case 'addUsersToUserGroup':
    case 'removeUsersFromUserGroup':
      return 3 + 2 * listOf(args.userIds).length; // group list, members, group list; a read and a write per user
    case 'assignAppToSmartGroups':
    case 'unassignAppFromSmartGroups':
      return 3 + 2 * listOf(args.smartGroupIds).length; // catalog, internal app, smart groups; members and a write per group
    case 'retryFailedInstalls':
      return 4; // catalog, internal app, the app's device list, the devices (the installs are not known in advance)
    default:
      return undefined;
  }
}
