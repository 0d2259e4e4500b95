/**
 * graphql-shield rules generated from the capability table. Every type reachable in the schema
 * is listed here, by type or by field; anything not listed falls back to deny. One rule per
 * capability, cached per request (`contextual`: the rules read only the principal).
 */
import { rule, shield } from 'graphql-shield';
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { middleware, type IMiddlewareGenerator } from 'graphql-middleware';
import { redundantFields } from './redundant-rules.js';
import { forbidden } from '../errors.js';
import { capabilities, holds, missingCapability, type CapabilityName } from './capabilities.js';
import { ENTITY_CAPABILITIES } from './access/entities.js';
import type { GraphQLContext } from '../context.js';
import type { Principal } from './principal.js';

/** The rule of each capability made by `ruleFor` (each is one of PRINCIPAL_RULES). */
const rulesByCapability = new Map<CapabilityName, Rule>();

const ruleFor = (capability: CapabilityName) => {
  const made = rule(`has_${capability}`, { cache: 'contextual' })((_parent, _args, ctx: GraphQLContext) =>
    holds(ctx.principal, capability) ? true : missingCapability(capability),
  );
  rulesByCapability.set(capability, made);
  return made;
};

export const isAuthenticated = ruleFor('viewer');
export const hasReadInventory = ruleFor('readInventory');
export const hasReadSensitiveIdentifiers = ruleFor('readSensitiveIdentifiers');
export const hasReadHarmony = ruleFor('readHarmony');
export const hasAdministerGateway = ruleFor('administerGateway');
/**
 * Harmony writes: ADMIN while the subscription is current. An admin of an organization whose
 * subscription has expired is read-only, and is told so (`reason: SUBSCRIPTION_EXPIRED`).
 */
export const hasWriteHarmony = rule('has_writeHarmony', { cache: 'contextual' })((_parent, _args, ctx: GraphQLContext) => {
  const p = ctx.principal;
  if (holds(p, 'writeHarmony')) return true;
  if (p.kind === 'HARMONY_USER' && p.isAdmin && p.subscriptionExpired) {
    return forbidden("The organization's Harmony subscription has expired: administration is read-only until it is renewed.", {
      capability: 'writeHarmony',
      reason: 'SUBSCRIPTION_EXPIRED',
    });
  }
  return forbidden(`This needs the capability "writeHarmony": ${capabilities.writeHarmony.who}.`, { capability: 'writeHarmony' });
});
/**
 * UEM writes (device commands and tags, enrollment users and user groups, app deployment): the
 * capability is checked per target in the resolver (each device's, user's or smart group's
 * environment), so the root only keeps out callers who are not Harmony users.
 */
export const isHarmonyUser = rule('is_harmony_user', { cache: 'contextual' })((_parent, _args, ctx: GraphQLContext) =>
  ctx.principal.kind === 'HARMONY_USER' ? true : forbidden('Only Harmony users may change UEM.', { capability: 'deviceWrites' }),
);

/**
 * The rules whose verdict is the principal's alone, each with the test it makes (the same test as
 * the rule's own function: `holds` without an environment, or the principal's kind). For a
 * principal that passes a rule, the rule's wrappers only ever let the resolver run: its requests
 * execute on a schema without them (`permissionProfile`, `permissions({ passing })`).
 */
const PRINCIPAL_RULES: readonly { rule: Rule; passes(principal: Principal): boolean }[] = [
  ...[...rulesByCapability].map(([capability, made]) => ({ rule: made, passes: (principal: Principal) => holds(principal, capability) })),
  { rule: hasWriteHarmony, passes: (principal) => holds(principal, 'writeHarmony') },
  { rule: isHarmonyUser, passes: (principal) => principal.kind === 'HARMONY_USER' },
];

/** Which principal-only rules a principal passes: `key` names the set (one character per rule). */
export interface PermissionProfile {
  key: string;
  passing: ReadonlySet<Rule>;
}

const profiles = new WeakMap<Principal, PermissionProfile>();

/** The principal's permission profile (kept per principal object: principals are cached per caller). */
export function permissionProfile(principal: Principal): PermissionProfile {
  let profile = profiles.get(principal);
  if (!profile) {
    const passing = new Set<Rule>();
    let key = '';
    for (const { rule: r, passes } of PRINCIPAL_RULES) {
      const ok = passes(principal);
      key += ok ? '1' : '0';
      if (ok) passing.add(r);
    }
    profile = { key, passing };
    profiles.set(principal, profile);
  }
  return profile;
}

/**
 * The rule map. Types whose every field needs the same capability are listed as a type rule;
 * the structural types of connections need only an authenticated caller, because reaching them
 * already passed the rule of the root field.
 */
export const ruleTree = {
  Query: {
    viewer: isAuthenticated,
    apiKeys: hasAdministerGateway,
    persistedDocuments: hasAdministerGateway,
    auditEvents: hasAdministerGateway,
    devices: hasReadInventory,
    device: hasReadInventory,
    deviceCommand: hasReadInventory,
    deviceSummary: hasReadInventory,
    uemUser: hasReadInventory,
    uemUsers: hasReadInventory,
    app: hasReadInventory,
    apps: hasReadInventory,
    person: hasReadHarmony,
    harmonyUser: hasReadHarmony,
    harmonyUsers: hasReadHarmony,
    role: hasReadHarmony,
    roles: hasReadHarmony,
    environments: hasReadHarmony,
    externalUser: hasReadHarmony,
    externalUsers: hasReadHarmony,
    apiGroups: hasReadHarmony,
    apis: hasReadHarmony,
    userGroup: hasReadInventory,
    userGroups: hasReadInventory,
    smartGroups: hasReadInventory,
    tags: hasReadInventory,
    tag: hasReadInventory,
    organizationGroups: hasReadInventory,
  },
  Mutation: {
    sendDeviceCommand: isHarmonyUser,
    addDevicesToTag: isHarmonyUser,
    createApiKey: hasAdministerGateway,
    revokeApiKey: hasAdministerGateway,
    registerPersistedDocuments: hasAdministerGateway,
    removePersistedDocument: hasAdministerGateway,
    removeDevicesFromTag: isHarmonyUser,
    updateDeviceTags: isHarmonyUser,
    createTag: isHarmonyUser,
    inviteHarmonyUser: hasWriteHarmony,
    removeHarmonyUser: hasWriteHarmony,
    assignRole: hasWriteHarmony,
    unassignRole: hasWriteHarmony,
    setRoleAssignmentActive: hasWriteHarmony,
    createRole: hasWriteHarmony,
    updateRole: hasWriteHarmony,
    deactivateRole: hasWriteHarmony,
    reactivateRole: hasWriteHarmony,
    removeRole: hasWriteHarmony,
    setEnvironmentAccess: hasWriteHarmony,
    inviteExternalUser: hasWriteHarmony,
    updateExternalUser: hasWriteHarmony,
    suspendExternalUser: hasWriteHarmony,
    reactivateExternalUser: hasWriteHarmony,
    resendExternalUserInvitation: hasWriteHarmony,
    deleteExternalUser: hasWriteHarmony,
    createUemUser: isHarmonyUser,
    updateUemUser: isHarmonyUser,
    setUemUserStatus: isHarmonyUser,
    provisionUemUsers: isHarmonyUser,
    addUsersToUserGroup: isHarmonyUser,
    removeUsersFromUserGroup: isHarmonyUser,
    assignAppToSmartGroups: isHarmonyUser,
    unassignAppFromSmartGroups: isHarmonyUser,
    retryFailedInstalls: isHarmonyUser,
  },
  HarmonyUserPayload: hasWriteHarmony,
  RemoveHarmonyUserPayload: hasWriteHarmony,
  RolePayload: hasWriteHarmony,
  RemoveRolePayload: hasWriteHarmony,
  SetEnvironmentAccessPayload: hasWriteHarmony,
  ExternalUserPayload: hasWriteHarmony,
  DeleteExternalUserPayload: hasWriteHarmony,
  SendDeviceCommandPayload: isAuthenticated,
  TagDevicesPayload: isAuthenticated,
  UpdateDeviceTagsPayload: isAuthenticated,
  DeviceTagsResult: isAuthenticated,
  CreateTagPayload: isAuthenticated,
  ApiKey: hasAdministerGateway,
  CreateApiKeyPayload: hasAdministerGateway,
  RevokeApiKeyPayload: hasAdministerGateway,
  PersistedDocument: hasAdministerGateway,
  RegisterPersistedDocumentsPayload: hasAdministerGateway,
  RemovePersistedDocumentPayload: hasAdministerGateway,
  AuditEvent: hasAdministerGateway,
  AuditTarget: hasAdministerGateway,
  AuditEventConnection: hasAdministerGateway,
  AuditEventEdge: hasAdministerGateway,
  DeviceCommandResult: isAuthenticated,
  UemUserPayload: isAuthenticated,
  ProvisionUemUsersPayload: isAuthenticated,
  ProvisionUemUserResult: isAuthenticated,
  UserGroupMembershipResult: isAuthenticated,
  UserGroupMembersPayload: isAuthenticated,
  UserGroupMemberResult: isAuthenticated,
  AppAssignmentPayload: isAuthenticated,
  SmartGroupAssignmentResult: isAuthenticated,
  RetryFailedInstallsPayload: isAuthenticated,
  Person: { '*': hasReadHarmony, devices: hasReadInventory },
  HarmonyUser: { '*': hasReadHarmony, devices: hasReadInventory },
  HarmonyUserConnection: hasReadHarmony,
  HarmonyUserEdge: hasReadHarmony,
  RoleAssignment: hasReadHarmony,
  Role: hasReadHarmony,
  EnvironmentAccess: hasReadHarmony,
  RoleEnvironmentAccess: hasReadHarmony,
  ExternalUser: hasReadHarmony,
  ExternalUserConnection: hasReadHarmony,
  ExternalUserEdge: hasReadHarmony,
  ApiGroup: hasReadHarmony,
  Api: hasReadHarmony,
  Viewer: isAuthenticated,
  ViewerEnvironmentAccess: isAuthenticated,
  Environment: { '*': isAuthenticated, roleAccess: hasReadHarmony, apiGroups: hasReadHarmony },
  PageInfo: isAuthenticated,
  DeviceConnection: hasReadInventory,
  DeviceEdge: hasReadInventory,
  Device: {
    '*': hasReadInventory,
    imei: hasReadSensitiveIdentifiers,
    macAddress: hasReadSensitiveIdentifiers,
    phoneNumber: hasReadSensitiveIdentifiers,
  },
  DeviceApp: hasReadInventory,
  DeviceCompliance: hasReadInventory,
  DeviceCommandRecord: hasReadInventory,
  DeviceCommandConnection: hasReadInventory,
  DeviceCommandEdge: hasReadInventory,
  CompliancePolicy: hasReadInventory,
  DeviceSummary: hasReadInventory,
  DeviceSummaryBucket: hasReadInventory,
  OrganizationGroup: hasReadInventory,
  SmartGroup: hasReadInventory,
  Tag: hasReadInventory,
  App: hasReadInventory,
  AppConnection: hasReadInventory,
  AppEdge: hasReadInventory,
  AppInstallSummary: hasReadInventory,
  UemUserConnection: hasReadInventory,
  UemUserEdge: hasReadInventory,
  UemUser: {
    '*': hasReadInventory,
    harmonyUser: hasReadHarmony,
    contactNumber: hasReadSensitiveIdentifiers,
    mobileNumber: hasReadSensitiveIdentifiers,
  },
  UserGroup: hasReadInventory,
  UserGroupConnection: hasReadInventory,
  UserGroupEdge: hasReadInventory,
  SmartGroupConnection: hasReadInventory,
  SmartGroupEdge: hasReadInventory,
  TagConnection: hasReadInventory,
  TagEdge: hasReadInventory,
  OrganizationGroupConnection: hasReadInventory,
  OrganizationGroupEdge: hasReadInventory,
};

/**
 * `_service { sdl }`, the subgraph's schema for a router's composition: the introspection policy
 * (on with INTROSPECTION, never for partners), since it tells as much as introspection does.
 */
export const mayIntrospect = rule('may_introspect', { cache: 'contextual' })((_parent, _args, ctx: GraphQLContext) =>
  ctx.services.config.introspection && ctx.principal.kind !== 'EXTERNAL_USER'
    ? true
    : forbidden('The subgraph schema (`_service`) follows the introspection policy: introspection is off here, or you are a partner.', {
        reason: 'INTROSPECTION_DISABLED',
      }),
);

/**
 * The rules of the federation fields the subgraph schema adds (src/subgraph/). `_entities` needs only
 * an authenticated caller: each representation is checked by its type's reference resolver against
 * ENTITY_CAPABILITIES before anything is read (null with FORBIDDEN, as `device(id)`), and `ruleOf`
 * tells the redundancy analysis so.
 */
export const subgraphRuleTree = {
  Query: { _entities: isAuthenticated, _service: mayIntrospect },
  _Service: mayIntrospect,
};

const denyUnlisted = rule('deny_unlisted', { cache: 'contextual' })(() => forbidden('This field is not open to any caller.'));

type Rule = typeof isAuthenticated;
type RuleTree = Record<string, Rule | Record<string, Rule>>;

/** The rules of the capabilities entity types need: a reference check passes exactly when they do. */
const capabilityRules: { [C in (typeof ENTITY_CAPABILITIES)[keyof typeof ENTITY_CAPABILITIES]]: Rule } = {
  readInventory: hasReadInventory,
  readHarmony: hasReadHarmony,
};
const entityRule = (type: string): Rule | undefined =>
  Object.hasOwn(ENTITY_CAPABILITIES, type) ? capabilityRules[ENTITY_CAPABILITIES[type as keyof typeof ENTITY_CAPABILITIES]] : undefined;

/** The rule tree of the subgraph schema: the direct graph's, with the federation fields. */
export const subgraphTree: RuleTree = { ...ruleTree, ...subgraphRuleTree, Query: { ...ruleTree.Query, ...subgraphRuleTree.Query } };

/**
 * The rule graphql-shield applies to a field: the field's own, else the type's `*` or type rule, else
 * deny. With `target` (the redundancy analysis asking about one edge), `_entities` to an entity type
 * counts as that type's reference check.
 */
function ruleIn(tree: RuleTree, type: GraphQLObjectType, field: string, target?: string): Rule {
  if (target !== undefined && field === '_entities' && type.name === 'Query' && tree === subgraphTree) {
    return entityRule(target) ?? denyUnlisted;
  }
  const entry = tree[type.name];
  if (!entry) return denyUnlisted;
  // A field map is a plain object; a rule is an instance of graphql-shield's rule classes.
  if (Object.getPrototypeOf(entry) !== Object.prototype) return entry as Rule;
  const fields = entry as Record<string, Rule>;
  return fields[field] ?? fields['*'] ?? denyUnlisted;
}

export const ruleOf = (type: GraphQLObjectType, field: string): Rule => ruleIn(ruleTree, type, field);
/** `ruleOf` on the subgraph schema (with the edge-aware answer for `_entities`). */
export const subgraphRuleOf = (type: GraphQLObjectType, field: string, target?: string): Rule => ruleIn(subgraphTree, type, field, target);

/**
 * graphql-shield over the rule tree, without the wrappers the schema's shape makes redundant
 * (redundant-rules.ts): a 1,000-device list then runs one readInventory check, not one per field
 * of every device. Authentication happens before execution, so `isAuthenticated` holds at the roots.
 */
export function permissions(options: { subgraph?: boolean; passing?: ReadonlySet<Rule> } = {}): IMiddlewareGenerator<unknown, GraphQLContext, unknown> {
  const tree = options.subgraph ? subgraphTree : ruleTree;
  const shielded = shield(tree, { fallbackRule: denyUnlisted, allowExternalErrors: true, debug: false }) as unknown as IMiddlewareGenerator<
    unknown,
    GraphQLContext,
    unknown
  >;
  const ruleOfField = (type: GraphQLObjectType, field: string, target?: string) => ruleIn(tree, type, field, target);
  return middleware((schema: GraphQLSchema) => {
    const map = shielded.generate(schema) as Record<string, Record<string, unknown>>;
    for (const key of redundantFields(schema, ruleOfField, new Set([isAuthenticated]), (r) => r === denyUnlisted)) {
      const [typeName, field] = key.split('.') as [string, string];
      const fields = map[typeName];
      if (fields) delete fields[field];
    }
    const passing = options.passing;
    if (passing?.size) {
      for (const [typeName, fields] of Object.entries(map)) {
        const type = schema.getType(typeName) as GraphQLObjectType;
        for (const field of Object.keys(fields)) if (passing.has(ruleOfField(type, field))) delete fields[field];
      }
    }
    return map as never;
  });
}

