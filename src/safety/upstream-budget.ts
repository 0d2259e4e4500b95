/**
 * An estimate, before execution, of the upstream requests an operation will cause, following the
 * batching strategies of README "Batching strategy, per relation" (figures of a cold cache, so
 * the estimate is an upper bound). The walk carries `n`, how many parent objects a field is
 * resolved for, from the page sizes (`first`, capped) and the lists' assumed sizes.
 */
import type { GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { UpstreamCallCounts } from '../context.js';
import { entityGroups, type EntityGroup } from './entities.js';
import { uemWriteEstimate } from './uem-write-estimate.js';
import { isList as isListType, resolvedFields, type NamedType, type ResolvedField, type WalkContext } from './walk.js';

/** Pages of a whole-device scan (500 devices a page; 2,000 on the demo tenant). */
const DEVICE_SCAN = 4;
/** Pages of the enrollment-user directory (800 users on the demo tenant). */
const USER_DIRECTORY = 2;
/** Tag (or smart group) list plus each member list, read once per TTL. */
const GROUP_INDEX = 21;
/** Fewer users than this are read one by one; more share the directory (or the device scan). */
const USER_READ_THRESHOLD = 20;
const USER_DEVICES_THRESHOLD = 8;
const DEFAULT_PAGE = 50;
const DEFAULT_LIST = 10;
/** Fields of `UemUser` a device payload already carries. */
const FREE_USER_FIELDS = new Set(['id', 'userName', 'email', '__typename']);

export interface UpstreamEstimate extends UpstreamCallCounts {
  total: number;
}

export function estimateUpstream(schema: GraphQLSchema, ctx: WalkContext, operation: OperationDefinitionNode, maxPageSize: number): UpstreamEstimate {
  const root = schema.getRootType(operation.operation) as NamedType | null | undefined;
  const counts = { uem: 0, harmony: 0 };
  /** Reads shared by the whole request (lists, caches, scans): counted once each. */
  const once = new Map<string, { upstream: 'uem' | 'harmony'; requests: number }>();
  let idsByBatch = 0;
  let serialsByBatch = 0;
  const shared = (key: string, requests: number, upstream: 'uem' | 'harmony' = 'uem') => once.set(key, { upstream, requests });
  const harmonyList = (name: string) => shared(`harmony:${name}`, 1, 'harmony');
  const page = (f: ResolvedField) => Math.min(typeof f.args.first === 'number' ? f.args.first : DEFAULT_PAGE, maxPageSize);
  const userDevices = (n: number) => (n >= USER_DEVICES_THRESHOLD ? shared('uem:deviceScan', DEVICE_SCAN) : (counts.uem += n));

  /** The upstream requests of one field resolved for `n` parents; returns how many objects its selections see. */
  function field(parent: string, f: ResolvedField, n: number): number {
    const key = `${parent}.${f.def.name}`;
    const filter = (f.args.filter ?? {}) as Record<string, unknown>;
    switch (key) {
      case 'Query.devices':
        counts.uem += n * (f.args.after ? 2 : 1);
        if (filter.environment !== undefined) shared('uem:deviceScan', DEVICE_SCAN);
        if (filter.tag !== undefined) counts.uem += 2 * n;
        return n * page(f);
      case 'Query.device':
        idsByBatch += n;
        return n;
      case 'Query.uemUsers':
        counts.uem += n;
        return n * page(f);
      case 'Query.uemUser':
        counts.uem += n;
        return n;
      case 'Query.person':
        shared('uem:userDirectory', USER_DIRECTORY);
        harmonyReads('Person', 'person');
        return n;
      case 'Person.uemUser':
      case 'HarmonyUser.uemUser':
        shared('uem:userDirectory', USER_DIRECTORY);
        return n;
      case 'Query.apps':
      case 'Query.app':
        shared('uem:catalog', 1);
        return f.def.name === 'apps' ? n * page(f) : n;
      case 'Query.deviceSummary':
        shared('uem:deviceScan', DEVICE_SCAN);
        return n;
      case 'Device.user':
        if (f.node.selectionSet?.selections.some((s) => s.kind !== 'Field' || !FREE_USER_FIELDS.has(s.name.value))) {
          if (n < USER_READ_THRESHOLD) counts.uem += n;
          else shared('uem:userDirectory', USER_DIRECTORY);
        }
        return n;
      case 'Device.apps':
      case 'Device.compliance':
        counts.uem += n;
        return n * (isList(f) ? DEFAULT_LIST : 1);
      case 'Device.tags':
      case 'Tag.devices':
        shared('uem:tagIndex', GROUP_INDEX);
        if (key === 'Tag.devices') counts.uem += n;
        return n * (key === 'Tag.devices' ? page(f) : DEFAULT_LIST);
      case 'Query.organizationGroups':
        shared('uem:groups', 1);
        return n * page(f);
      case 'OrganizationGroup.children':
        shared('uem:groups', 1);
        return n * DEFAULT_LIST;
      case 'Query.tags':
      case 'Query.tag':
        shared('uem:tags', 1);
        if (f.def.name === 'tag') counts.uem += n; // an id missing from the cached list is read alone
        return f.def.name === 'tags' ? n * page(f) : n;
      case 'Tag.deviceCount':
        // The member lists, and for a non-admin the members' groups (batch reads of at most the whole tenant).
        shared('uem:tagIndex', GROUP_INDEX);
        shared('uem:deviceScan', DEVICE_SCAN);
        return n;
      case 'SmartGroup.deviceCount':
        // UEM's count for ADMIN; for others (cell 12) the member lists and the members' groups, as Tag.deviceCount.
        shared('uem:smartGroupIndex', GROUP_INDEX);
        shared('uem:deviceScan', DEVICE_SCAN);
        return n;
      case 'App.installSummary':
        // The internal app's record; for a non-admin (cell 12) its assigned and installed devices and their groups.
        counts.uem += 3 * n;
        shared('uem:deviceScan', DEVICE_SCAN);
        return n;
      case 'OrganizationGroup.deviceCount':
      case 'OrganizationGroup.userCount':
        // Scoped from the cached group list's rolled-up counts (cell 12): nothing more.
        shared('uem:groups', 1);
        return n;
      case 'Device.smartGroups':
      case 'SmartGroup.devices':
      case 'App.smartGroups':
        shared('uem:smartGroupIndex', GROUP_INDEX);
        if (key === 'SmartGroup.devices') counts.uem += n;
        return n * (key === 'SmartGroup.devices' ? page(f) : DEFAULT_LIST);
      case 'Device.organizationGroup':
      case 'UemUser.organizationGroup':
        shared('uem:groups', 1);
        return n;
      case 'App.devices':
        counts.uem += 2 * n;
        return n * page(f);
      case 'Query.smartGroups':
        shared('uem:smartGroups', 1);
        return n * page(f);
      case 'Query.userGroups':
      case 'Query.userGroup':
        shared('uem:userGroups', 1);
        return f.def.name === 'userGroups' ? n * page(f) : n;
      case 'UserGroup.members':
      case 'UserGroup.userCount': // a non-admin's count is the member list's (cell 12)
        counts.uem += n;
        return n * page(f);
      case 'UserGroup.organizationGroup':
        shared('uem:groups', 1);
        return n;
      case 'HarmonyUser.devices':
      case 'Person.devices':
        shared('uem:userDirectory', USER_DIRECTORY);
        userDevices(n);
        return n * page(f);
      case 'UemUser.devices':
        userDevices(n);
        return n * page(f);
    }
    // A connection's edges and nodes, and an edge's node: the page is already counted in `n`.
    if (parent.endsWith('Connection') || parent.endsWith('Edge')) return n;
    harmonyReads(f.type.name, f.def.name);
    if (f.type.name.endsWith('Connection')) return n * page(f);
    return n * (isList(f) ? DEFAULT_LIST : 1);
  }

  /** Harmony answers every list whole: one call per list per request at most. */
  function harmonyReads(type: string, name: string) {
    if (type === 'HarmonyUser' || type === 'HarmonyUserConnection' || type === 'RoleAssignment') harmonyList('users');
    if (type === 'Role' || type === 'RoleAssignment' || type === 'RoleEnvironmentAccess') harmonyList('roles');
    if (type === 'EnvironmentAccess' || type === 'RoleEnvironmentAccess' || name === 'environmentAccess') harmonyList('access');
    if (type === 'ExternalUser' || type === 'ExternalUserConnection') harmonyList('externalUsers');
    if (type === 'ApiGroup') harmonyList('apiGroups');
    if (type === 'Person') {
      harmonyList('users');
      harmonyList('externalUsers');
    }
  }

  function mutation(f: ResolvedField) {
    const uemWrite = uemWriteEstimate(f.def.name, f.args);
    if (uemWrite !== undefined) {
      counts.uem += uemWrite;
    } else if (f.type.name === 'UpdateDeviceTagsPayload') {
      // The tag list and every member list (tags before), the devices in batches, one bulk call per tag and batch.
      const ids = (f.args.deviceIds ?? []) as unknown[];
      const tags = ((f.args.add ?? []) as unknown[]).length + ((f.args.remove ?? []) as unknown[]).length;
      idsByBatch += ids.length;
      shared('uem:tagIndex', GROUP_INDEX);
      counts.uem += Math.max(1, tags) * Math.max(1, Math.ceil(ids.length / 500));
    } else if (f.type.name === 'CreateTagPayload') {
      shared('uem:groups', 1);
      counts.uem += 3; // search by name, addtag, the new tag read back
    } else if (f.type.name === 'SendDeviceCommandPayload' || f.type.name === 'TagDevicesPayload') {
      const ids = ((f.args.input as { deviceIds?: unknown[] } | undefined)?.deviceIds ?? f.args.deviceIds ?? []) as unknown[];
      idsByBatch += ids.length;
      counts.uem += Math.max(1, Math.ceil(ids.length / 500));
    } else if (f.type.name !== 'CreateApiKeyPayload' && f.type.name !== 'RevokeApiKeyPayload') {
      counts.harmony += 1;
    }
  }

  /** A subgraph's `_entities`: each group read as the direct graph's root field for that type reads it. */
  function entities(group: EntityGroup) {
    const n = group.count;
    switch (group.type.name) {
      case 'Device':
        idsByBatch += group.keys.id ?? 0;
        serialsByBatch += group.keys.serialNumber ?? 0;
        break;
      case 'UemUser':
        if (n < USER_READ_THRESHOLD) counts.uem += n;
        else shared('uem:userDirectory', USER_DIRECTORY);
        break;
      case 'Person':
        shared('uem:userDirectory', USER_DIRECTORY);
        harmonyReads('Person', 'person');
        break;
      default:
        harmonyReads(group.type.name, '_entities');
    }
    selections(group.type, group.selectionSet, n, false);
  }

  function selections(parent: NamedType, set: SelectionSetNode, n: number, top: boolean) {
    for (const f of resolvedFields(ctx, parent, set)) {
      const groups = entityGroups(schema, parent, f);
      if (groups) {
        groups.forEach(entities);
        continue;
      }
      if (top && operation.operation === 'mutation') mutation(f);
      const m = top && operation.operation === 'mutation' ? 1 : field(parent.name, f, n);
      if (f.node.selectionSet && m > 0) selections(f.type, f.node.selectionSet, m, false);
    }
  }

  if (root) selections(root, operation.selectionSet, 1, true);
  counts.uem += Math.ceil(idsByBatch / 500) + Math.ceil(serialsByBatch / 500);
  for (const { upstream, requests } of once.values()) counts[upstream] += requests;
  return { ...counts, total: counts.uem + counts.harmony };
}

const isList = (f: ResolvedField) => isListType(f.def.type);
