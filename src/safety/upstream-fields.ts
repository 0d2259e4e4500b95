/**
 * What each schema field asks of the upstreams, as demand on the loaders' relations (the walk in
 * upstream-budget.ts plans each relation once for the whole operation with src/loaders/plans.ts,
 * the functions the loaders themselves choose with). No sizes and no thresholds here: a field
 * says which relation it reads and for how many keys; the plan says what that costs this tenant.
 */
import type { FieldNode } from 'graphql';
import { HARMONY_KEYS } from '../loaders/harmony.loaders.js';
import * as plans from '../loaders/plans.js';
import { UEM_REFERENCE_KEYS } from '../loaders/uem-reference.loaders.js';
import { UEM_USER_GROUP_KEYS } from '../loaders/uem-user-groups.loaders.js';
import type { ResolvedField } from './walk.js';
import { copyWith } from '../object-copy.js';

/** Keyed relations: demand adds up over the operation, then one plan per relation (one batch). */
export type KeyedRelation = 'deviceById' | 'deviceBySerial' | 'userById' | 'userByEmail' | 'devicesOfUsers';

export interface Demand {
  /**
   * Keys asked of a batched relation. With `per` (the parents' selection set), a relation asked
   * again for the same parents adds nothing: the loader answers the same keys once.
   */
  keys(relation: KeyedRelation, n: number, per?: object): void;
  /** A plan counted once per operation under `key` (a shared list, a scan, a snapshot read). */
  once(key: string, plan: plans.Plan): void;
  /** A plan counted every time (one call per key, pages of a connection). */
  each(plan: plans.Plan): void;
  knowledge: plans.TenantKnowledge;
  /** The plan of a root field the resolvers' own planner made before execution, if any. */
  rootPlan(node: FieldNode): plans.Plan | undefined;
  /** The page size a connection field asks for (`first`, or its default, capped). */
  page(f: ResolvedField): number;
}

/** Fields of `UemUser` a device payload already carries. */
const FREE_USER_FIELDS = new Set(['id', 'userName', 'email', '__typename']);
/** Fields of `OrganizationGroup` a device payload already carries. */
const FREE_GROUP_FIELDS = new Set(['id', 'name', 'uuid', '__typename']);

const selects = (f: ResolvedField, free: ReadonlySet<string>) => f.node.selectionSet?.selections.some((s) => s.kind !== 'Field' || !free.has(s.name.value)) ?? false;

const list = (d: Demand, relation: string, key: string) => d.once(key, plans.cachedList(d.knowledge, relation, key));
const harmonyList = (d: Demand, name: keyof typeof HARMONY_KEYS) => d.once(HARMONY_KEYS[name], plans.cachedList(d.knowledge, `harmony.${name}`, HARMONY_KEYS[name], 'harmony'));
const membership = (d: Demand, kind: 'tags' | 'smartGroups') =>
  d.once(`membership:${kind}`, plans.membership(d.knowledge, kind, kind === 'tags' ? UEM_REFERENCE_KEYS.tags : UEM_REFERENCE_KEYS.smartGroups, undefined));

/** A connection page of a UEM search: one request, two when `after` may straddle UEM's pages. */
const searchPages = (d: Demand, relation: string, f: ResolvedField, n: number) => d.each({ relation, strategy: 'list', calls: n * (f.args.after ? 2 : 1) });

/**
 * Per field (`Type.field`), the demand it makes for `n` parents; answers how many objects its
 * selections are resolved for. Fields not listed make none of their own (Harmony's types, scalars
 * and objects already loaded) except Harmony's lists, counted by type in upstream-budget.ts.
 */
export const FIELD_DEMAND: Readonly<Record<string, (d: Demand, f: ResolvedField, n: number, parents: object) => number>> = {
  'Query.devices': (d, f, n) => {
    const planned = d.rootPlan(f.node);
    const filter = (f.args.filter ?? {}) as Record<string, unknown>;
    if (planned) d.each(copyWith(planned, { calls: planned.calls * n }));
    else if (filter.environment !== undefined) d.once('deviceScan', plans.deviceScan(d.knowledge, plans.WHOLE_READS.deviceScan));
    else if (filter.tag !== undefined) {
      list(d, 'tags', UEM_REFERENCE_KEYS.tags);
      d.each(plans.perKey('tagMembers', n));
      d.keys('deviceById', n * d.page(f));
    } else searchPages(d, 'devices.search', f, n);
    return n * d.page(f);
  },
  'Query.device': (d, _f, n) => (d.keys('deviceById', n), n),
  'Query.deviceSummary': (d, f, n) => {
    const planned = d.rootPlan(f.node);
    if (planned) d.each(copyWith(planned, { calls: planned.calls * n }));
    else d.once('deviceScan', plans.deviceScan(d.knowledge, plans.WHOLE_READS.deviceScan));
    return n;
  },
  'Query.uemUsers': (d, f, n) => {
    const planned = d.rootPlan(f.node);
    if (planned) d.each(copyWith(planned, { calls: planned.calls * n }));
    else searchPages(d, 'users.search', f, n);
    return n * d.page(f);
  },
  'Query.uemUser': (d, _f, n) => (d.keys('userById', n), n),
  'Query.person': (d, f, n) => {
    // Whether a person exists asks UEM by email: the same key its `uemUser` and `devices` read.
    d.keys('userByEmail', n, f.node.selectionSet ?? f.node);
    harmonyList(d, 'users');
    harmonyList(d, 'externalUsers');
    return n;
  },
  // A person's or Harmony user's UEM user is looked up by email once, whichever fields ask.
  'Person.uemUser': (d, _f, n, parents) => (d.keys('userByEmail', n, parents), n),
  'HarmonyUser.uemUser': (d, _f, n, parents) => (d.keys('userByEmail', n, parents), n),
  'Person.devices': (d, f, n, parents) => (d.keys('userByEmail', n, parents), d.keys('devicesOfUsers', n), n * d.page(f)),
  'HarmonyUser.devices': (d, f, n, parents) => (d.keys('userByEmail', n, parents), d.keys('devicesOfUsers', n), n * d.page(f)),
  'UemUser.devices': (d, f, n) => (d.keys('devicesOfUsers', n), n * d.page(f)),
  'Device.user': (d, f, n) => {
    if (selects(f, FREE_USER_FIELDS)) d.keys('userById', n);
    return n;
  },
  'Device.apps': (d, _f, n) => (d.each(plans.perKey('deviceApps', n)), n * 10),
  // A page of each device's command history (two when `after` may straddle UEM's pages).
  'Device.commands': (d, f, n) => (searchPages(d, 'deviceCommands', f, n), n * d.page(f)),
  'Query.deviceCommand': (d, _f, n) => (d.each(plans.perKey('deviceCommand', n)), d.keys('deviceById', n), n),
  'DeviceCommandRecord.device': (d, _f, n) => (d.keys('deviceById', n), n),
  // A bulk send's id is looked up in the device's history (shared with `sentCommand`).
  'DeviceCommandResult.commandId': (d, _f, n) => (d.each(plans.perKey('commandHistory', n)), n),
  'DeviceCommandResult.sentCommand': (d, _f, n) => (d.each(plans.perKey('sentCommand', 2 * n)), n),
  'Device.compliance': (d, _f, n) => (d.each(plans.perKey('deviceCompliance', n)), n),
  'Device.tags': (d, _f, n) => (membership(d, 'tags'), n * 10),
  'Device.smartGroups': (d, _f, n) => (membership(d, 'smartGroups'), n * 10),
  'App.smartGroups': (d, _f, n) => (membership(d, 'smartGroups'), n * 10),
  'Tag.devices': (d, f, n) => (membership(d, 'tags'), d.keys('deviceById', n * d.page(f)), n * d.page(f)),
  // A non-admin's count checks the members' groups: the snapshot's index, a cached scan, or reads
  // of the members (at most the whole tenant): planned as the scan.
  'Tag.deviceCount': (d, _f, n) => (membership(d, 'tags'), d.once('deviceScan', plans.deviceScan(d.knowledge, plans.WHOLE_READS.deviceScan)), n),
  'Query.tags': (d, f, n) => (list(d, 'tags', UEM_REFERENCE_KEYS.tags), n * d.page(f)),
  // An id missing from the cached list is read alone.
  'Query.tag': (d, _f, n) => (list(d, 'tags', UEM_REFERENCE_KEYS.tags), d.each(plans.perKey('tagById', n)), n),
  'Query.organizationGroups': (d, f, n) => (list(d, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups), n * d.page(f)),
  'OrganizationGroup.children': (d, _f, n) => (list(d, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups), n * 10),
  'SmartGroup.devices': (d, f, n) => (membership(d, 'smartGroups'), d.keys('deviceById', n * d.page(f)), n * d.page(f)),
  'Device.organizationGroup': (d, f, n) => {
    if (selects(f, FREE_GROUP_FIELDS)) list(d, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups);
    return n;
  },
  'UemUser.organizationGroup': (d, _f, n) => (list(d, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups), n),
  'UserGroup.organizationGroup': (d, _f, n) => (list(d, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups), n),
  'Query.apps': (d, f, n) => (list(d, 'apps', UEM_REFERENCE_KEYS.apps), n * d.page(f)),
  'Query.app': (d, _f, n) => (list(d, 'apps', UEM_REFERENCE_KEYS.apps), n),
  'App.devices': (d, f, n) => (d.each(plans.perKey('appDevices', n)), d.keys('deviceById', n * d.page(f)), n * d.page(f)),
  'Query.smartGroups': (d, f, n) => (d.once('smartGroups', d.knowledge.snapshot('smartGroups') ? { relation: 'smartGroups', strategy: 'snapshot', calls: 0 } : plans.cachedList(d.knowledge, 'smartGroups', UEM_REFERENCE_KEYS.smartGroups)), n * d.page(f)),
  'Query.userGroups': (d, f, n) => (list(d, 'userGroups', UEM_USER_GROUP_KEYS.userGroups), n * d.page(f)),
  'Query.userGroup': (d, _f, n) => (list(d, 'userGroups', UEM_USER_GROUP_KEYS.userGroups), n),
  'UserGroup.members': (d, f, n) => (d.each(plans.perKey('userGroupMembers', n)), n * d.page(f)),
  // The list and every group's members, once per operation whatever the number of users (cached per TTL).
  'UemUser.userGroups': (d, _f, n) => (
    list(d, 'userGroups', UEM_USER_GROUP_KEYS.userGroups),
    d.once('userGroupMembers:all', plans.perKey('userGroupMembers', plans.ASSUMED_GROUPS)),
    n * 10
  ),
  // Scoped counts (issue 18 cell 12; src/auth/access/counts.ts). Organization
  // groups: the cached group list's rolled-up counts, nothing more. Smart groups: as Tag.deviceCount.
  // An app: its record, and for a non-admin its assigned and installed devices with the scope check.
  // A user group: a non-admin's count is its member list's (cached: counted again beside `members`, an upper bound).
  'OrganizationGroup.deviceCount': (d, _f, n) => (list(d, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups), n),
  'OrganizationGroup.userCount': (d, _f, n) => (list(d, 'organizationGroups', UEM_REFERENCE_KEYS.organizationGroups), n),
  'SmartGroup.deviceCount': (d, _f, n) => (membership(d, 'smartGroups'), d.once('deviceScan', plans.deviceScan(d.knowledge, plans.WHOLE_READS.deviceScan)), n),
  'App.installSummary': (d, _f, n) => {
    d.each(plans.perKey('internalApp', n));
    d.each(plans.perKey('appDevices', 2 * n));
    d.once('deviceScan', plans.deviceScan(d.knowledge, plans.WHOLE_READS.deviceScan));
    return n;
  },
  'UserGroup.userCount': (d, _f, n) => (d.each(plans.perKey('userGroupMembers', n)), n),
};

/** Harmony answers every list whole: one call per list per request at most (none while cached). */
export function harmonyDemand(d: Demand, type: string, name: string): void {
  if (type === 'HarmonyUser' || type === 'HarmonyUserConnection' || type === 'RoleAssignment') harmonyList(d, 'users');
  if (type === 'Role' || type === 'RoleAssignment' || type === 'RoleEnvironmentAccess') harmonyList(d, 'roles');
  if (type === 'EnvironmentAccess' || type === 'RoleEnvironmentAccess' || name === 'environmentAccess') harmonyList(d, 'environmentAccess');
  if (type === 'ExternalUser' || type === 'ExternalUserConnection') harmonyList(d, 'externalUsers');
  if (type === 'ApiGroup') harmonyList(d, 'apiGroups');
  if (type === 'Api') harmonyList(d, 'apis');
  if (type === 'Person') {
    harmonyList(d, 'users');
    harmonyList(d, 'externalUsers');
  }
}
