/**
 * The live tenant: the generated dataset held in maps with the indexes the routes need, and the
 * writes the API can make (commands, installs, assignments, users). Tests read it directly to
 * compare raw data with what the HTTP routes answer.
 */
import type { Clock } from '../common/clock.js';
import { queueCommand, type CommandPolicy } from './uem.command-queue.js';
import { DeviceSearchIndex } from './uem.device-search.js';
import { queueInstall, settleInstall, type InstallPolicy } from './uem.installs.js';
import type {
  CommandRecord,
  DeviceAppInstall,
  DeviceCommand,
  PushMode,
  UemApp,
  UemDataset,
  UemDevice,
  UemOrgGroup,
  UemSmartGroup,
  UemTag,
  UemUser,
  UemUserGroup,
} from './uem.types.js';

export interface UemStateOptions {
  clock: Clock;
  install: InstallPolicy;
  commands: CommandPolicy;
}

/** Fields `bulk … searchby=` can name, mapped to the device field (case-insensitive names). */
export const SEARCH_BY_FIELDS = {
  deviceid: 'id',
  serialnumber: 'serialNumber',
  udid: 'udid',
  macaddress: 'macAddress',
  imeinumber: 'imei',
} as const satisfies Record<string, keyof UemDevice>;
export type SearchByField = (typeof SEARCH_BY_FIELDS)[keyof typeof SEARCH_BY_FIELDS];

function byId<T extends { id: number }>(items: readonly T[]): Map<number, T> {
  return new Map(items.map((item) => [item.id, item]));
}

export class UemState {
  readonly generatedAt: number;
  readonly orgGroups: Map<number, UemOrgGroup>;
  readonly users: Map<number, UemUser>;
  readonly devices: Map<number, UemDevice>;
  readonly apps: Map<number, UemApp>;
  readonly smartGroups: Map<number, UemSmartGroup>;
  readonly tags: Map<number, UemTag>;
  readonly userGroups: Map<number, UemUserGroup>;
  readonly search: DeviceSearchIndex;
  /** Sorted by id. */
  readonly deviceList: readonly UemDevice[];
  private readonly installs: Map<number, DeviceAppInstall[]>;
  private readonly usersByName = new Map<string, UemUser>();
  private readonly devicesByUser = new Map<number, UemDevice[]>();
  private readonly smartGroupsByDevice = new Map<number, UemSmartGroup[]>();
  private readonly appsByUuid = new Map<string, UemApp>();
  /** App id → devices with an install record. */
  private readonly installedOn = new Map<number, Set<number>>();
  private readonly history = new Map<number, CommandRecord[]>();
  private readonly commandsByUuid = new Map<string, CommandRecord>();
  private readonly lookups = new Map<SearchByField, Map<string, UemDevice>>();
  private nextUserId: number;

  constructor(
    dataset: UemDataset,
    private readonly options: UemStateOptions,
  ) {
    this.generatedAt = dataset.generatedAt;
    this.orgGroups = byId(dataset.orgGroups);
    this.users = byId(dataset.users);
    this.devices = byId(dataset.devices);
    this.apps = byId(dataset.apps);
    this.smartGroups = byId(dataset.smartGroups);
    this.tags = byId(dataset.tags);
    this.userGroups = byId(dataset.userGroups);
    this.installs = dataset.installs;
    this.deviceList = dataset.devices.slice().sort((a, b) => a.id - b.id);
    for (const u of dataset.users) this.usersByName.set(u.userName.toLowerCase(), u);
    for (const d of this.deviceList) {
      const list = this.devicesByUser.get(d.userId) ?? [];
      list.push(d);
      this.devicesByUser.set(d.userId, list);
    }
    for (const sg of dataset.smartGroups) {
      for (const id of sg.deviceIds) {
        const list = this.smartGroupsByDevice.get(id) ?? [];
        list.push(sg);
        this.smartGroupsByDevice.set(id, list);
      }
    }
    for (const app of dataset.apps) this.appsByUuid.set(app.uuid.toLowerCase(), app);
    for (const [deviceId, list] of this.installs) {
      for (const i of list) {
        const set = this.installedOn.get(i.appId) ?? new Set<number>();
        set.add(deviceId);
        this.installedOn.set(i.appId, set);
      }
    }
    this.nextUserId = dataset.users.reduce((max, u) => Math.max(max, u.id), 0) + 1;
    this.search = new DeviceSearchIndex(
      this.deviceList,
      (d) => this.users.get(d.userId),
      (name) => {
        const user = this.userByName(name);
        return user ? this.devicesOfUser(user.id) : [];
      },
    );
  }

  now(): number {
    return this.options.clock.now();
  }

  /** The group and every group below it, or undefined for an unknown group. */
  groupWithDescendants(id: number): Set<number> | undefined {
    if (!this.orgGroups.has(id)) return undefined;
    const result = new Set<number>([id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const g of this.orgGroups.values()) {
        if (g.parentId !== null && result.has(g.parentId) && !result.has(g.id)) {
          result.add(g.id);
          grew = true;
        }
      }
    }
    return result;
  }

  userByName(userName: string): UemUser | undefined {
    return this.usersByName.get(userName.trim().toLowerCase());
  }

  devicesOfUser(userId: number): readonly UemDevice[] {
    return this.devicesByUser.get(userId) ?? [];
  }

  smartGroupsOf(deviceId: number): readonly UemSmartGroup[] {
    return this.smartGroupsByDevice.get(deviceId) ?? [];
  }

  appByUuid(uuid: string): UemApp | undefined {
    return this.appsByUuid.get(uuid.toLowerCase());
  }

  /** Finds a device by a `searchby` field (DeviceId, SerialNumber, Udid, MacAddress, ImeiNumber). */
  findDevice(field: SearchByField, value: string): UemDevice | undefined {
    const v = value.trim();
    if (field === 'id') return /^\d+$/.test(v) ? this.devices.get(Number(v)) : undefined;
    let lookup = this.lookups.get(field);
    if (!lookup) {
      lookup = new Map();
      for (const d of this.deviceList) if (d[field] !== '') lookup.set(d[field].toLowerCase(), d);
      this.lookups.set(field, lookup);
    }
    return lookup.get(v.toLowerCase());
  }

  /** Queues a command in the device's history (uem.command-queue.ts) and applies its effect on the device. */
  applyCommand(device: UemDevice, command: DeviceCommand, via: 'single' | 'bulk'): CommandRecord {
    const list = this.history.get(device.id) ?? [];
    const record = queueCommand(this.options.commands, device, command, via, this.commandsByUuid.size, this.now());
    list.push(record);
    this.history.set(device.id, list);
    this.commandsByUuid.set(record.uuid.toLowerCase(), record);
    if (command === 'EnterpriseWipe' || command === 'DeviceWipe') {
      device.enrollmentStatus = command === 'EnterpriseWipe' ? 'EnterpriseWipePending' : 'DeviceWipePending';
      this.search.invalidate();
    }
    return record;
  }

  /** A command by its CommandUuid (case-insensitive). */
  commandByUuid(uuid: string): CommandRecord | undefined {
    return this.commandsByUuid.get(uuid.trim().toLowerCase());
  }

  /** Every command sent to a device, oldest first. */
  commandHistory(deviceId: number): CommandRecord[] {
    return [...(this.history.get(deviceId) ?? [])];
  }

  /** The device's managed apps, with due installs settled. */
  deviceInstalls(deviceId: number): readonly DeviceAppInstall[] {
    const now = this.now();
    return (this.installs.get(deviceId) ?? []).map((i) => settleInstall(i, now));
  }

  deviceInstall(deviceId: number, appId: number): DeviceAppInstall | undefined {
    const install = this.installs.get(deviceId)?.find((i) => i.appId === appId);
    return install ? settleInstall(install, this.now()) : undefined;
  }

  /** Devices in a smart group the app is assigned to. */
  assignedDeviceIds(app: UemApp): Set<number> {
    const ids = new Set<number>();
    for (const sgId of app.assignments.keys()) for (const id of this.smartGroups.get(sgId)?.deviceIds ?? []) ids.add(id);
    return ids;
  }

  /** Devices that have the app (any install status) or are assigned it, by ascending id. */
  appDeviceIds(app: UemApp): number[] {
    const ids = this.assignedDeviceIds(app);
    for (const id of this.installedOn.get(app.id) ?? []) ids.add(id);
    return [...ids].sort((a, b) => a - b);
  }

  /** Queues an install of the app on the device (also a retry or a reinstall). */
  installApp(app: UemApp, device: UemDevice): DeviceAppInstall {
    const list = this.installs.get(device.id) ?? [];
    const existing = list.find((i) => i.appId === app.id);
    const install = queueInstall(this.options.install, existing, device.id, app.id, app.version, this.now());
    if (!existing) {
      list.push(install);
      list.sort((a, b) => a.appId - b.appId);
      this.installs.set(device.id, list);
      const set = this.installedOn.get(app.id) ?? new Set<number>();
      set.add(device.id);
      this.installedOn.set(app.id, set);
    }
    return install;
  }

  assignApp(app: UemApp, smartGroupId: number, pushMode: PushMode): void {
    app.assignments.set(smartGroupId, { pushMode, assignedAt: this.now() });
  }

  unassignApp(app: UemApp, smartGroupId: number): void {
    app.assignments.delete(smartGroupId);
  }

  /** Apps assigned to a smart group. */
  assignmentsOf(smartGroupId: number): number {
    let n = 0;
    for (const app of this.apps.values()) if (app.assignments.has(smartGroupId)) n++;
    return n;
  }

  /**
   * Adds a smart group over the given devices (the seeded tenant's groups are fixed; tests and demos
   * add e.g. a group of one environment's devices). Answers the group with its new id.
   */
  addSmartGroup(fields: Omit<UemSmartGroup, 'id'>): UemSmartGroup {
    const id = [...this.smartGroups.keys()].reduce((max, k) => Math.max(max, k), 0) + 1;
    const group: UemSmartGroup = { ...fields, id, deviceIds: [...new Set(fields.deviceIds)].sort((a, b) => a - b) };
    this.smartGroups.set(id, group);
    for (const deviceId of group.deviceIds) {
      const list = this.smartGroupsByDevice.get(deviceId) ?? [];
      list.push(group);
      this.smartGroupsByDevice.set(deviceId, list);
    }
    return group;
  }

  /** Adds a tag with no devices; the caller has checked the name is free at that group. */
  addTag(fields: Omit<UemTag, 'id' | 'members'>): UemTag {
    const id = [...this.tags.keys()].reduce((max, k) => Math.max(max, k), 0) + 1;
    const tag: UemTag = { ...fields, id, members: new Map() };
    this.tags.set(id, tag);
    return tag;
  }

  /** Adds an enrollment user; the caller has checked the user name is free. */
  addUser(fields: Omit<UemUser, 'id'>): UemUser {
    const user: UemUser = { ...fields, id: this.nextUserId++ };
    this.users.set(user.id, user);
    this.usersByName.set(user.userName.toLowerCase(), user);
    return user;
  }

  /** Device counts per organization group (each group counting its descendants too). */
  deviceCountsByGroup(): Map<number, number> {
    const direct = new Map<number, number>();
    for (const d of this.deviceList) direct.set(d.locationGroupId, (direct.get(d.locationGroupId) ?? 0) + 1);
    return this.rollUp(direct);
  }

  userCountsByGroup(): Map<number, number> {
    const direct = new Map<number, number>();
    for (const u of this.users.values()) direct.set(u.locationGroupId, (direct.get(u.locationGroupId) ?? 0) + 1);
    return this.rollUp(direct);
  }

  private rollUp(direct: Map<number, number>): Map<number, number> {
    const result = new Map<number, number>();
    for (const g of this.orgGroups.values()) {
      let n = 0;
      for (const id of this.groupWithDescendants(g.id) ?? []) n += direct.get(id) ?? 0;
      result.set(g.id, n);
    }
    return result;
  }
}
