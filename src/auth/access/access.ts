/**
 * The access service: one per request (`ctx.access`, made with the context by
 * `AccessPolicy.forRequest`), the one place that answers "may this caller see or act on this UEM
 * object?". It owns:
 *
 * - the environment of any UEM object (its organization group's, through ENV_MAP: core.ts);
 * - row scope for single reads, lists and filters (reads.ts, filters.ts), with "not found vs
 *   forbidden" (issue 18 cell 11): an object out of scope answers exactly like one UEM does not
 *   have, and no message names an environment the caller does not read;
 * - scoped counts (issue 18 cell 12, counts.ts);
 * - per-target authorization of writes (`authorize` and its uses below: devices, an organization
 *   group, enrollment users' groups, smart groups).
 *
 * graphql-shield keeps the field-level matrix (permissions.ts, from capabilities.ts); this service
 * decides what a field may show or change object by object. Lazily computed: nothing is read for
 * ADMIN; for anyone else, cached reference data only (environments, organization groups).
 */
import type { UemOrganizationGroup, UemSmartGroup } from '../../datasources/uem/uem.catalog-schemas.js';
import type { UemDevice } from '../../datasources/uem/uem.schemas.js';
import { badInput, forbidden } from '../../errors.js';
import { capabilities, missingCapability, type CapabilityName } from '../capabilities.js';
import type { EnvironmentRef } from '../principal.js';
import { AccessCounts } from './counts.js';
import { ENTITY_CAPABILITIES, type EntityTypeName } from './entities.js';

/** What the caller may do with one target of a write. */
interface TargetDecision<T> {
  target: T;
  allowed: boolean;
  /** The environment of the target's group when the caller reads it (so a message may name it), else null (and for ADMIN). */
  environment: EnvironmentRef | null;
  /** Whether the target's group maps to an environment (one that does not is ADMIN's alone). */
  mapped: boolean;
}

/** One device of a write: allowed (with the device), or refused with the contract's code and a message. */
type DeviceDecision =
  | { id: string; allowed: true; device: UemDevice }
  | { id: string; allowed: false; code: 'NOT_FOUND' | 'FORBIDDEN'; message: string };

/** Where enrollment users may be changed (provisioning), read once for many checks. */
export interface UserPlaces {
  /** The organization group of an id, or null when UEM has none or the caller may not read it. */
  group(id: number): UemOrganizationGroup | null;
  /** Why the caller may not change users of these groups, or null when they may. */
  refusal(groupIds: readonly (number | null)[]): string | null;
}

interface SmartGroupCheck {
  /** Null when UEM has no smart group with the id. */
  group: UemSmartGroup | null;
  /** Why the caller may not change its assignments, or null when they may. */
  refusal: string | null;
}

export class Access extends AccessCounts {
  /**
   * Federation entities (src/subgraph/): the capability of the root field that reads the same
   * object on the direct graph, checked before anything is read (ENTITY_CAPABILITIES).
   */
  requireEntity(type: EntityTypeName): void {
    const capability = ENTITY_CAPABILITIES[type];
    if (!this.holds(capability)) throw missingCapability(capability);
  }

  /**
   * Per target, in order: whether the caller holds `capability` in the environment of the target's
   * organization group (a group that maps to no environment is ADMIN's alone).
   */
  async authorize<T>(capability: CapabilityName, targets: readonly T[], groupOf: (target: T) => string | null): Promise<TargetDecision<T>[]> {
    if (this.admin && this.holds(capability)) return targets.map((target) => ({ target, allowed: true, environment: null, mapped: true }));
    const [environmentOf, scope] = await Promise.all([this.environmentLookup(), this.scope()]);
    return targets.map((target) => {
      const env = environmentOf(groupOf(target));
      const readable = env !== null && (scope.all || scope.envIds.has(env.id));
      return { target, allowed: this.holds(capability, env?.id), environment: readable ? env : null, mapped: env !== null };
    });
  }

  /**
   * Per device id, in order: loaded in one batch; a device out of scope gets exactly the decision of
   * one UEM does not have (NOT_FOUND, "No device with this id."), so FORBIDDEN names only
   * environments the caller reads.
   */
  async authorizeDevices(ids: readonly string[], capability: CapabilityName): Promise<DeviceDecision[]> {
    const [loaded, readable] = await Promise.all([this.loaders.uem.deviceById.loadMany(ids), this.devicePredicate()]);
    const devices = loaded.map((d) => {
      if (d instanceof Error) throw d;
      return d && readable(d) ? d : null;
    });
    const decisions = await this.authorize(capability, devices, (d) => d?.organizationGroupName ?? null);
    return ids.map((id, i): DeviceDecision => {
      const device = devices[i];
      const decision = decisions[i];
      if (!device || !decision) return { id, allowed: false, code: 'NOT_FOUND', message: 'No device with this id.' };
      if (decision.allowed) return { id, allowed: true, device };
      const env = decision.environment;
      const message = `Needs "${capability}" in this device's environment${env ? ` (${env.name})` : ''}: ${capabilities[capability].who}.`;
      return { id, allowed: false, code: 'FORBIDDEN', message };
    });
  }

  /**
   * The organization group an argument names, or the top of the tree when it names none; a group
   * the caller may not read is named like one UEM does not have (BAD_USER_INPUT, UNKNOWN_ORGANIZATION_GROUP).
   */
  async organizationGroup(id: string | null | undefined, argument: string): Promise<UemOrganizationGroup> {
    const groups = await this.loaders.uem.organizationGroups();
    if (id === null || id === undefined) {
      const tops = groups.filter((g) => g.parentId === null || !groups.some((p) => p.id === g.parentId));
      if (tops.length === 1) return tops[0] as UemOrganizationGroup;
      throw badInput(`Name the organization group: UEM has ${tops.length} groups at the top.`, { argument });
    }
    const named = /^\d{1,12}$/.test(id.trim()) ? groups.find((g) => g.id === Number(id)) : undefined;
    const group = await this.readableGroup(named);
    if (!group) throw badInput(`"${id.slice(0, 40)}" is not a UEM organization group.`, { argument, reason: 'UNKNOWN_ORGANIZATION_GROUP' });
    return group;
  }

  /** Throws FORBIDDEN unless the caller holds the capability in the environment of the organization group. */
  async requireInGroup(group: UemOrganizationGroup, capability: CapabilityName): Promise<void> {
    const [decision] = await this.authorize(capability, [group], (g) => g.name);
    if (decision?.allowed) return;
    const where = decision?.mapped ? 'the environment of this organization group' : 'this organization group, which maps to no environment (ADMIN only)';
    throw forbidden(`Needs "${capability}" in ${where}: ${capabilities[capability].who}.`, { capability });
  }

  /**
   * Who may change which enrollment user: ADMIN, or WRITE access in the environment of the user's
   * organization group (`provisionUemUsers`); a move between groups needs it on both sides. A group
   * the caller may not read is answered like one UEM does not have: no message names it or its environment.
   */
  async provisioning(): Promise<UserPlaces> {
    const [groups, scope, environmentOf] = await Promise.all([this.loaders.uem.organizationGroups(), this.scope(), this.environmentLookup()]);
    const byId = new Map(groups.map((g) => [g.id, g]));
    const seen = (id: number | null) => {
      const group = id === null ? undefined : byId.get(id);
      return group && scope.allowsGroup(group.name) ? group : null;
    };
    return {
      group: seen,
      refusal: (groupIds) => {
        for (const id of new Set(groupIds)) {
          const env = environmentOf((id === null ? undefined : byId.get(id))?.name ?? null);
          if (this.holds('provisionUemUsers', env?.id)) continue;
          // Named only when the caller reads it (then its environment too); otherwise as if unknown.
          const group = seen(id);
          const where = group ? `organization group ${group.name ?? group.id}${env ? ` (${env.name})` : ''}` : 'an unknown organization group';
          return `Needs "provisionUemUsers" in the environment of ${where}: ${capabilities.provisionUemUsers.who}.`;
        }
        return null;
      },
    };
  }

  /**
   * Who may change an app's assignment to a smart group: ADMIN, or WRITE access in the environment
   * of every device of the group (`deployApps`), since an assignment reaches them all; a group
   * without devices is judged by the organization group that manages it. A refusal names only the
   * environments the caller reads. Member lists are cached reference data; a non-admin's check
   * reads the members' devices in batches of 500.
   */
  async authorizeSmartGroups(ids: readonly number[]): Promise<Map<number, SmartGroupCheck>> {
    const groups = await this.loaders.uem.smartGroups();
    const checks = new Map<number, SmartGroupCheck>();
    const admin = this.admin && this.holds('deployApps');
    await Promise.all(
      ids.map(async (id) => {
        const group = groups.find((g) => g.id === id) ?? null;
        if (!group || admin) {
          checks.set(id, { group, refusal: null });
          return;
        }
        const decisions = await this.authorize('deployApps', await this.groupNamesReached(group), (name) => name);
        const refused = decisions.filter((d) => !d.allowed);
        const named = [...new Set(refused.flatMap((d) => (d.environment ? [d.environment.name] : [])))].sort();
        const unreadable = refused.some((d) => d.mapped && d.environment === null);
        const unmapped = refused.some((d) => !d.mapped);
        const where = [...named, ...(unreadable ? ['environments you may not read'] : []), ...(unmapped ? ['unmapped organization groups'] : [])].join(', ');
        const refusal = refused.length === 0 ? null : `Needs "deployApps" in every environment of the smart group's devices; missing in ${where}: ${capabilities.deployApps.who}.`;
        checks.set(id, { group, refusal });
      }),
    );
    return checks;
  }

  /** The organization groups (by name) an assignment to a smart group reaches: its devices', or its managing group's when it has none. */
  private async groupNamesReached(group: UemSmartGroup): Promise<(string | null)[]> {
    const members = await this.loaders.uem.smartGroupMembersLive(group.id);
    const devices = await this.loaders.uem.deviceById.loadMany(members.map(String));
    const names = new Set<string | null>();
    for (const d of devices) {
      if (d instanceof Error) throw d;
      if (d) names.add(d.organizationGroupName);
    }
    if (names.size === 0) {
      const managedBy = group.managedByOrganizationGroupId === null ? null : await this.loaders.uem.organizationGroupById(group.managedByOrganizationGroupId);
      names.add(managedBy?.name ?? null);
    }
    return [...names];
  }
}
