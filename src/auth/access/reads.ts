/**
 * Which UEM devices, enrollment users and commands the caller may read (issue 6), and how an object
 * out of scope is answered: exactly like one UEM does not have (issue 18 cell 11). Single reads
 * (`device`, `uemUser`, `deviceCommand`, `Person.uemUser`, `HarmonyUser.uemUser`, federation
 * `_entities`) answer null without an error; lists drop it and count only what is left.
 */
import type { UemDeviceCommandRecord } from '../../datasources/uem/uem.commands.js';
import type { UemDevice, UemUser } from '../../datasources/uem/uem.schemas.js';
import { AccessCore } from './core.js';
import type { DeviceScope } from './scope.js';

export class AccessReads extends AccessCore {
  /** `device(id)`: the device, null when UEM has none or when it is out of scope (the same answer). */
  async device(id: string): Promise<UemDevice | null> {
    const [device, scope] = await Promise.all([this.loaders.uem.deviceById.load(id), this.scope()]);
    return device && scope.allowsGroup(device.organizationGroupName) ? device : null;
  }

  /** The devices with this serial number the caller may read (devices out of scope are not there). */
  async devicesBySerialNumber(serialNumber: string): Promise<UemDevice[]> {
    const [found, scope] = await Promise.all([this.loaders.uem.devicesBySerialNumber.load(serialNumber), this.scope()]);
    return found.filter((d) => scope.allowsGroup(d.organizationGroupName));
  }

  /** Whether devices (by their group) are in scope: for checking many at once. */
  async devicePredicate(): Promise<(device: { organizationGroupName: string | null }) => boolean> {
    const scope = await this.scope();
    return (d) => scope.allowsGroup(d.organizationGroupName);
  }

  /** The devices of a list the caller may see, in their order. */
  async visibleDevices(devices: readonly UemDevice[]): Promise<readonly UemDevice[]> {
    const scope = await this.scope();
    return scope.all ? devices : devices.filter((d) => scope.allowsGroup(d.organizationGroupName));
  }

  /**
   * The ids (a tag's, a smart group's or an app's devices) whose devices the caller may see; none
   * to check for ADMIN. A non-admin's ids are checked against the device snapshot when it serves
   * (each device's group from the index; ids it does not hold yet are read live), or a fresh cached
   * device scan (the scope's own or the whole tenant's: no request), otherwise read in batches of
   * 500 (`POST /devices/id` through the by-id loader, so the page's devices cost nothing more):
   * ceil(n / 500) requests, several lists of one query sharing the batches.
   */
  async visibleDeviceIds(ids: readonly number[]): Promise<readonly number[]> {
    const scope = await this.scope();
    if (scope.all) return ids;
    if (scope.envIds.size === 0 || ids.length === 0) return [];
    const snapshot = this.loaders.uem.deviceSnapshot();
    if (snapshot) {
      const { index } = snapshot;
      const unknown = ids.filter((id) => !index.has(id));
      const live = unknown.length > 0 ? new Set(await this.liveVisible(scope, unknown)) : new Set<number>();
      return ids.filter((id) => {
        const at = index.positionOf(id);
        return at === undefined ? live.has(id) : scope.allowsGroup(index.device(at).organizationGroupName);
      });
    }
    const scan = await this.freshScopeScan();
    if (scan) {
      const visible = new Set(scan.filter((d) => scope.allowsGroup(d.organizationGroupName)).map((d) => d.id));
      return ids.filter((id) => visible.has(id));
    }
    return this.liveVisible(scope, ids);
  }

  /** The ids whose devices, read live by id (batched), are in the scope. */
  private async liveVisible(scope: DeviceScope, ids: readonly number[]): Promise<number[]> {
    const loaded = await this.loaders.uem.deviceById.loadMany(ids.map(String));
    return ids.filter((_id, i) => {
      const d = loaded[i];
      if (d instanceof Error) throw d;
      return d !== null && d !== undefined && scope.allowsGroup(d.organizationGroupName);
    });
  }

  /** A fresh cached scan holding every device of the scope, if any: the whole tenant's, or the one group's. */
  private async freshScopeScan(): Promise<readonly UemDevice[] | undefined> {
    const whole = this.loaders.uem.cachedDeviceScan({});
    if (whole) return whole;
    const plan = await this.rowPlan();
    return plan.kind === 'push' ? this.loaders.uem.cachedDeviceScan({ organizationGroupId: plan.groupId }) : undefined;
  }

  /**
   * Whether enrollment users are in scope: the environment of the user's organization group
   * (`LocationGroupId`, named through the cached group list when the record has no group name).
   */
  async userPredicate(): Promise<(user: UemUser) => boolean> {
    const scope = await this.scope();
    if (scope.all) return () => true;
    const names = new Map((await this.loaders.uem.organizationGroups()).map((g) => [g.id, g.name]));
    return (u) =>
      (u.organizationGroupId !== null && scope.groupIds.has(u.organizationGroupId)) ||
      scope.allowsGroup(u.organizationGroupName || (u.organizationGroupId === null ? null : names.get(u.organizationGroupId)));
  }

  /** A single read of an enrollment user: the record, null when there is none or it is out of scope alike. */
  async user(record: UemUser | null | undefined): Promise<UemUser | null> {
    if (!record) return null;
    return (await this.userPredicate())(record) ? record : null;
  }

  /**
   * The ids of the groups in scope within a region (a group with its descendants, or everything):
   * for searching the users snapshot by group.
   */
  async scopeGroupIds(region?: ReadonlySet<number>): Promise<number[]> {
    const scope = await this.scope();
    return [...scope.groupIds].filter((id) => region === undefined || region.has(id));
  }

  /** Whether unmapped groups fall to an environment the caller reads (group ids alone cannot tell the scope then). */
  async readsUnmappedGroups(): Promise<boolean> {
    return (await this.scope()).fallbackReadable;
  }

  /**
   * `deviceCommand(id)`: a command of a device the caller may not read answers exactly like an
   * unknown one (null): nothing tells it exists elsewhere.
   */
  async command(record: UemDeviceCommandRecord | null): Promise<UemDeviceCommandRecord | null> {
    if (record === null || record.uuid === null) return null;
    const scope = await this.scope();
    if (scope.all) return record;
    const device = record.deviceId === null ? null : await this.loaders.uem.deviceById.load(String(record.deviceId));
    return device !== null && scope.allowsGroup(device.organizationGroupName) ? record : null;
  }
}
