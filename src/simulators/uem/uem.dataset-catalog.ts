/**
 * The seeded catalog around the devices: apps and their installs, smart groups (criteria evaluated
 * once, since platform, group and ownership never change), tags and user groups.
 */
import { uuidFrom, type Rng } from '../common/rng.js';
import {
  APP_BASES,
  APP_PLATFORMS,
  SMART_GROUP_SPECS,
  TAG_SPECS,
  USER_GROUP_SPECS,
  type SmartGroupCriterion,
} from './uem.catalog.js';
import { DAY_MS } from './uem.dates.js';
import type {
  DeviceAppInstall,
  InstallStatus,
  UemApp,
  UemDataset,
  UemDevice,
  UemPlatform,
  UemSmartGroup,
  UemTag,
  UemUser,
  UemUserGroup,
} from './uem.types.js';

export const FIRST_APP_ID = 2001;
export const FIRST_TAG_ID = 11;
export const FIRST_SMART_GROUP_ID = 31;
export const FIRST_USER_GROUP_ID = 51;

type Catalog = Pick<UemDataset, 'apps' | 'installs' | 'smartGroups' | 'tags' | 'userGroups'>;

export function generateCatalog(rng: Rng, appCount: number, devices: UemDevice[], users: UemUser[], now: number): Catalog {
  const smartGroups = generateSmartGroups(rng.fork('smart-groups'), devices);
  const apps = generateApps(rng.fork('apps'), appCount, smartGroups, now);
  const installs = generateInstalls(rng.fork('installs'), apps, devices, smartGroups);
  const tags = generateTags(rng.fork('tags'), devices);
  const userGroups = generateUserGroups(rng.fork('user-groups'), users);
  return { apps, installs, smartGroups, tags, userGroups };
}

function matches(criterion: SmartGroupCriterion, d: UemDevice): boolean {
  switch (criterion.kind) {
    case 'platform':
      return d.platform === criterion.platform;
    case 'group':
      return d.locationGroupId === criterion.groupId;
    case 'ownership':
      return d.ownership === criterion.ownership;
    default: {
      const never: never = criterion;
      throw new Error(`unknown criterion ${JSON.stringify(never)}`);
    }
  }
}

function describe(criterion: SmartGroupCriterion): string {
  switch (criterion.kind) {
    case 'platform':
      return `Platform = ${criterion.platform}`;
    case 'group':
      return `Organization Group = ${criterion.groupId}`;
    case 'ownership':
      return `Ownership = ${criterion.ownership}`;
    default: {
      const never: never = criterion;
      throw new Error(`unknown criterion ${JSON.stringify(never)}`);
    }
  }
}

function generateSmartGroups(rng: Rng, devices: UemDevice[]): UemSmartGroup[] {
  return SMART_GROUP_SPECS.map((spec, i) => ({
    id: FIRST_SMART_GROUP_ID + i,
    uuid: uuidFrom(rng),
    name: spec.name,
    criteria: describe(spec.criterion),
    managedBy: spec.managedBy,
    deviceIds: devices.filter((d) => matches(spec.criterion, d)).map((d) => d.id),
  }));
}

function generateApps(rng: Rng, count: number, smartGroups: UemSmartGroup[], now: number): UemApp[] {
  const apps: UemApp[] = [];
  for (let i = 0; i < count; i++) {
    const platform = APP_PLATFORMS[i % APP_PLATFORMS.length] as UemPlatform;
    const round = Math.floor(i / (APP_PLATFORMS.length * APP_BASES.length));
    const base = APP_BASES[Math.floor(i / APP_PLATFORMS.length) % APP_BASES.length] as (typeof APP_BASES)[number];
    const suffix = round > 0 ? String(round + 1) : '';
    const bundleId =
      platform === 'WinRT'
        ? `Demo.${base.name.replace(/ /g, '')}${suffix}_8wekyb3d8bbwe`
        : platform === 'AppleOsX'
          ? `com.demo.mac.${base.slug}${suffix}`
          : `com.demo.${base.slug}${suffix}`;
    const app: UemApp = {
      id: FIRST_APP_ID + i,
      uuid: uuidFrom(rng),
      name: `Demo ${base.name}${suffix ? ` ${suffix}` : ''}`,
      bundleId,
      platform,
      version: `${1 + rng.int(5)}.${rng.int(10)}.${rng.int(20)}`,
      status: rng.chance(0.9) ? 'Active' : 'Retired',
      category: base.category,
      sizeKb: 2_000 + rng.int(180_000),
      locationGroupId: 570,
      assignments: new Map(),
    };
    if (app.status === 'Active') {
      for (const sg of smartGroups) {
        const samePlatform = SMART_GROUP_SPECS.find((s) => s.name === sg.name)?.criterion;
        const p = samePlatform?.kind === 'platform' ? (samePlatform.platform === platform ? 0.6 : 0) : 0.1;
        if (rng.chance(p)) {
          app.assignments.set(sg.id, { pushMode: rng.chance(0.7) ? 'Auto' : 'OnDemand', assignedAt: now - rng.int(365 * DAY_MS) });
        }
      }
    }
    apps.push(app);
  }
  return apps;
}

/**
 * Managed apps per device: an app pushed automatically to one of the device's smart groups is
 * usually there, one offered on demand sometimes, an unassigned one rarely (a past assignment).
 */
function generateInstalls(rng: Rng, apps: UemApp[], devices: UemDevice[], smartGroups: UemSmartGroup[]): Map<number, DeviceAppInstall[]> {
  const byPlatform = new Map<UemPlatform, UemApp[]>();
  for (const app of apps) {
    if (app.status !== 'Active') continue;
    const list = byPlatform.get(app.platform) ?? [];
    list.push(app);
    byPlatform.set(app.platform, list);
  }
  const groupsOf = new Map<number, number[]>();
  for (const sg of smartGroups) {
    for (const id of sg.deviceIds) {
      const list = groupsOf.get(id);
      if (list) list.push(sg.id);
      else groupsOf.set(id, [sg.id]);
    }
  }
  // Devices share few combinations of platform and smart groups: the odds are computed once each.
  const oddsCache = new Map<string, { app: UemApp; p: number }[]>();
  const oddsFor = (platform: UemPlatform, groups: number[]) => {
    const key = `${platform}:${groups.join(',')}`;
    let odds = oddsCache.get(key);
    if (!odds) {
      odds = (byPlatform.get(platform) ?? []).map((app) => {
        const modes = groups.flatMap((g) => app.assignments.get(g)?.pushMode ?? []);
        return { app, p: modes.includes('Auto') ? 0.9 : modes.length > 0 ? 0.35 : 0.08 };
      });
      oddsCache.set(key, odds);
    }
    return odds;
  };
  const statusWeights = [
    ['Installed', 85],
    ['Pending', 8],
    ['Failed', 7],
  ] as const;
  const installs = new Map<number, DeviceAppInstall[]>();
  for (const d of devices) {
    if (d.enrollmentStatus === 'Unenrolled') continue;
    const list: DeviceAppInstall[] = [];
    for (const { app, p } of oddsFor(d.platform, groupsOf.get(d.id) ?? [])) {
      if (!rng.chance(p)) continue;
      const status: InstallStatus = rng.weighted(statusWeights);
      const outdated = status === 'Installed' && rng.chance(0.1);
      list.push({
        appId: app.id,
        status,
        version: outdated ? app.version.replace(/^\d+/, (m) => String(Math.max(0, Number(m) - 1))) : app.version,
        updatedAt: d.lastEnrolledOn + rng.int(Math.max(1, d.lastSeen - d.lastEnrolledOn)),
        attempts: status === 'Failed' ? 1 + rng.int(3) : 1,
      });
    }
    installs.set(d.id, list);
  }
  return installs;
}

function generateTags(rng: Rng, devices: UemDevice[]): UemTag[] {
  return TAG_SPECS.map((spec, i) => {
    const members = new Map<number, number>();
    for (const d of devices) {
      if (spec.group !== 570 && d.locationGroupId !== spec.group) continue;
      if (rng.chance(spec.share)) members.set(d.id, d.lastEnrolledOn + rng.int(Math.max(1, d.lastSeen - d.lastEnrolledOn)));
    }
    return { id: FIRST_TAG_ID + i, uuid: uuidFrom(rng), name: spec.name, tagType: 'Device' as const, locationGroupId: spec.group, members };
  });
}

function generateUserGroups(rng: Rng, users: UemUser[]): UemUserGroup[] {
  return USER_GROUP_SPECS.map((spec, i) => {
    const members = new Set<number>();
    for (const u of users) {
      if (spec.group !== 570 && u.locationGroupId !== spec.group) continue;
      if (rng.chance(spec.share)) members.add(u.id);
    }
    return {
      id: FIRST_USER_GROUP_ID + i,
      uuid: uuidFrom(rng),
      name: spec.name,
      description: `${spec.name} (custom user group)`,
      locationGroupId: spec.group,
      members,
    };
  });
}
