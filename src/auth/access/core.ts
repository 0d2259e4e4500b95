/**
 * The heart of the access service (`ctx.access`, access.ts): one request's principal, its row scope
 * and the environment of any UEM organization group. Everything here is computed lazily and once per
 * request: nothing is read for ADMIN; for anyone else, Harmony's environment list and UEM's group
 * list, both cached reference data (no request per item, none when warm).
 *
 * The environment map (ENV_MAP) and the scope are private to src/auth/access/
 * (scripts/folder-cycles.mjs checks it): no other module turns a group into an environment.
 */
import type { Loaders } from '../../loaders/index.js';
import type { UemOrganizationGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import { holds, missingCapability, type CapabilityName } from '../capabilities.js';
import type { EnvironmentRef, Principal } from '../principal.js';
import type { EnvironmentMap } from './environment-map.js';
import { deviceScopeOf, planScope, type DeviceScope, type ScopePlan } from './scope.js';

/** The loaders the service reads through: the request's own (renewed after a write, read at each call). */
export type AccessLoaders = Pick<Loaders, 'uem' | 'harmony'>;

/** The environment of a group name, once the environment list is read (synchronous, for filters over many objects). */
export type EnvironmentLookup = (groupName: string | null | undefined) => EnvironmentRef | null;

export class AccessCore {
  private scoped?: Promise<DeviceScope>;

  constructor(
    readonly principal: Principal,
    protected readonly loaders: AccessLoaders,
    protected readonly map: EnvironmentMap,
  ) {}

  /** ADMIN: every object in every environment, nothing is filtered and nothing is read to decide. */
  get admin(): boolean {
    return this.principal.kind === 'HARMONY_USER' && this.principal.isAdmin;
  }

  /** Whether the caller holds a capability (in an environment, for environment-scoped ones). */
  holds(capability: CapabilityName, envId?: string): boolean {
    return holds(this.principal, capability, envId);
  }

  /** Throws the permission layer's FORBIDDEN unless the caller holds the capability somewhere. */
  require(capability: CapabilityName): void {
    if (!this.holds(capability)) throw missingCapability(capability);
  }

  /** The caller's row scope, computed once per request. */
  scope(): Promise<DeviceScope> {
    this.scoped ??= this.computeScope();
    return this.scoped;
  }

  private async computeScope(): Promise<DeviceScope> {
    if (this.admin) return deviceScopeOf(this.principal, this.map, [], []);
    const envs = await this.environments();
    const none = deviceScopeOf(this.principal, this.map, [], envs);
    if (none.envIds.size === 0) return none; // reads no environment: the group list is not needed
    return deviceScopeOf(this.principal, this.map, await this.loaders.uem.organizationGroups(), envs);
  }

  /** Harmony's environments (cached reference data). */
  async environments(): Promise<EnvironmentRef[]> {
    return (await this.loaders.harmony.environments()).map((e) => ({ id: e.envId, name: e.envName }));
  }

  /** The environments the caller reads (every one for ADMIN), in Harmony's order. */
  async readableEnvironments(): Promise<EnvironmentRef[]> {
    const [envs, scope] = await Promise.all([this.environments(), this.scope()]);
    return envs.filter((e) => scope.all || scope.envIds.has(e.id));
  }

  /** The environment of groups by name, for many objects at once. */
  async environmentLookup(): Promise<EnvironmentLookup> {
    const envs = await this.environments();
    return (groupName) => this.map.environmentOf(groupName, envs);
  }

  /** The environment of an organization group (of an object the caller already reads). */
  async environmentOfGroup(groupName: string | null | undefined): Promise<EnvironmentRef | null> {
    return (await this.environmentLookup())(groupName);
  }

  /**
   * Cell 11 for environments shown on objects (a tag's or a parent's group): the environment of the
   * group, null when the caller does not read it (it is not named).
   */
  async readableEnvironmentOfGroup(groupName: string | null | undefined): Promise<EnvironmentRef | null> {
    const [env, scope] = await Promise.all([this.environmentOfGroup(groupName), this.scope()]);
    return env && (scope.all || scope.envIds.has(env.id)) ? env : null;
  }

  /**
   * How the scope meets UEM's one-group search filter, within the region the caller filtered on
   * (a group with its descendants, or everything): see `planScope`. ADMIN: nothing to filter.
   */
  async rowPlan(regionGroupId?: number): Promise<ScopePlan> {
    const scope = await this.scope();
    if (scope.all) return { kind: 'none' };
    return planScope(scope, await this.loaders.uem.organizationGroups(), regionGroupId);
  }

  /** A non-admin who reads no environment (lena.logs): every UEM list is empty. */
  async seesNothing(): Promise<boolean> {
    const scope = await this.scope();
    return !scope.all && scope.envIds.size === 0;
  }

  /** Cell 11 for organization groups a caller names: one out of scope is not there. */
  async readableGroup<G extends { name: string | null }>(group: G | null | undefined): Promise<G | null> {
    const scope = await this.scope();
    return group && scope.allowsGroup(group.name) ? group : null;
  }

  /** The organization groups the caller may read (those whose objects are in scope), in the list's order. */
  async readableGroups(): Promise<UemOrganizationGroup[]> {
    const [scope, groups] = await Promise.all([this.scope(), this.loaders.uem.organizationGroups()]);
    return scope.all ? [...groups] : groups.filter((g) => scope.allowsGroup(g.name));
  }
}
