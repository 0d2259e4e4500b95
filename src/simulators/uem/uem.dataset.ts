/**
 * The seeded UEM tenant of the demo organization: organization groups, enrollment users (from the
 * shared directory, so Harmony agrees on every email), devices, then the catalog around them
 * (`uem.dataset-catalog.ts`). The same seed, sizes and `now` always yield the same data.
 */
import { Rng, uuidFrom } from '../common/rng.js';
import { DEFAULT_SIZES, ORGANIZATION_GROUPS, TOP_ORGANIZATION_GROUP, type DatasetSizes } from '../dataset/demo-org.js';
import { generateDirectory } from '../dataset/people.js';
import { COMPLIANCE_POLICIES, COMPROMISED_POLICY_ID, DEPARTMENTS, OWNERSHIP_WEIGHTS, PLATFORMS } from './uem.catalog.js';
import { generateCatalog } from './uem.dataset-catalog.js';
import { DAY_MS } from './uem.dates.js';
import type { EnrollmentStatus, UemDataset, UemDevice, UemOrgGroup, UemUser } from './uem.types.js';

export interface UemDatasetOptions {
  /** Defaults to `sizes.seed`, then `DEFAULT_SIZES.seed`. */
  seed?: number;
  sizes?: Partial<DatasetSizes>;
  /** "Now" for LastSeen and the other dates (epoch ms); defaults to the system time. */
  now?: number;
}

/** First ids, so a device id is never mistaken for a user or group id in logs. */
export const FIRST_DEVICE_ID = 101;
export const FIRST_USER_ID = 5001;

const HOUR_MS = 3_600_000;
const CHILD_GROUP_IDS = ORGANIZATION_GROUPS.map((g) => g.id);
const SERIAL_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const HEX = '0123456789ABCDEF';

function chars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

function digits(rng: Rng, n: number): string {
  return chars(rng, '0123456789', n);
}

/** The default sizes with the given ones on top (an explicit undefined keeps the default). */
export function resolveSizes(sizes: Partial<DatasetSizes> = {}): DatasetSizes {
  const result: DatasetSizes = { ...DEFAULT_SIZES };
  for (const key of Object.keys(result) as (keyof DatasetSizes)[]) {
    const v = sizes[key];
    if (v !== undefined) result[key] = v;
  }
  return result;
}

export function generateUemDataset(options: UemDatasetOptions = {}): UemDataset {
  const sizes = resolveSizes(options.sizes);
  const seed = options.seed ?? sizes.seed;
  const now = options.now ?? Date.now();
  const root = new Rng(seed).fork('uem');
  const orgGroups = generateOrgGroups(root.fork('org-groups'), now);
  const { users, personaIds } = generateUsers(root.fork('users'), seed, sizes);
  const devices = generateDevices(root.fork('devices'), sizes.devices, users, personaIds, now);
  const catalog = generateCatalog(root.fork('catalog'), sizes.apps, devices, users, now);
  return { generatedAt: now, orgGroups, users, devices, ...catalog };
}

function generateOrgGroups(rng: Rng, now: number): UemOrgGroup[] {
  const createdOn = now - 3 * 365 * DAY_MS + rng.int(DAY_MS);
  return [
    { ...TOP_ORGANIZATION_GROUP, type: 'Customer' as const, parentId: null },
    ...ORGANIZATION_GROUPS.map((g) => ({ id: g.id, name: g.name, groupId: g.groupId, type: 'Container' as const, parentId: 570 })),
  ].map((g, i) => ({ ...g, uuid: uuidFrom(rng), createdOn: createdOn + i * DAY_MS, country: 'United States', locale: 'en-US' }));
}

function generateUsers(rng: Rng, seed: number, sizes: DatasetSizes): { users: UemUser[]; personaIds: number[] } {
  const people = generateDirectory({ seed, harmonyUsers: sizes.harmonyUsers, uemUsers: sizes.uemUsers });
  const users: UemUser[] = [];
  const personaIds: number[] = [];
  for (const p of people) {
    if (p.uemEmail === undefined || p.uemUserName === undefined) continue;
    if (p.persona) personaIds.push(FIRST_USER_ID + users.length);
    const phone = `+1555${digits(rng, 7)}`;
    users.push({
      id: FIRST_USER_ID + users.length,
      uuid: uuidFrom(rng),
      userName: p.uemUserName,
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.uemEmail,
      status: p.persona || rng.chance(0.95),
      securityType: p.persona || rng.chance(0.7) ? 'Directory' : 'Basic',
      contactNumber: rng.chance(0.5) ? phone : '',
      mobileNumber: rng.chance(0.8) ? `+1555${digits(rng, 7)}` : '',
      displayName: `${p.firstName} ${p.lastName}`,
      locationGroupId: rng.weighted([
        [571, 60],
        [572, 25],
        [573, 15],
      ] as const),
      department: rng.pick(DEPARTMENTS),
    });
  }
  return { users, personaIds };
}

/** Where the personas' devices go: one per persona and child organization group, at seeded positions. */
function personaSlots(rng: Rng, total: number, personaIds: number[]): Map<number, { userId: number; groupId: number }> {
  const slots = new Map<number, { userId: number; groupId: number }>();
  for (const userId of personaIds) {
    for (const groupId of CHILD_GROUP_IDS) {
      let index = rng.int(total);
      while (slots.has(index)) index = (index + 1) % total;
      slots.set(index, { userId, groupId });
    }
  }
  return slots;
}

function generateDevices(rng: Rng, wanted: number, users: UemUser[], personaIds: number[], now: number): UemDevice[] {
  // Every persona owns a device in each child group, even when fewer devices were asked for.
  const total = Math.max(wanted, personaIds.length * CHILD_GROUP_IDS.length);
  const slots = personaSlots(rng.fork('slots'), total, personaIds);
  const platformWeights = PLATFORMS.map((p) => [p, p.weight] as const);
  const devices: UemDevice[] = new Array<UemDevice>(total);
  for (let i = 0; i < total; i++) {
    const id = FIRST_DEVICE_ID + i;
    const slot = slots.get(i);
    const user = slot ? (users[slot.userId - FIRST_USER_ID] as UemUser) : (users[rng.int(users.length)] as UemUser);
    const groupId = slot ? slot.groupId : rng.chance(0.85) ? user.locationGroupId : rng.pick(CHILD_GROUP_IDS);
    const spec = rng.weighted(platformWeights);
    const hardware = rng.pick(spec.hardware);
    const enrollmentStatus: EnrollmentStatus = slot
      ? 'Enrolled'
      : rng.weighted([
          ['Enrolled', 94],
          ['Unenrolled', 3],
          ['EnterpriseWipePending', 2],
          ['DeviceWipePending', 1],
        ] as const);
    const lastSeen = now - lastSeenAge(rng, enrollmentStatus === 'Unenrolled');
    const mobile = spec.platform === 'Apple' || spec.platform === 'Android';
    const compromised = !slot && mobile && rng.chance(0.015);
    const nonCompliant = compromised || rng.chance(0.14);
    const serialNumber = serialFor(rng, spec.platform);
    devices[i] = {
      id,
      uuid: uuidFrom(rng),
      udid: chars(rng, HEX, 32),
      serialNumber,
      macAddress: chars(rng, HEX, 12),
      imei: hardware.phone ? `35${digits(rng, 13)}` : '',
      assetNumber: `DEMO-${String(id).padStart(6, '0')}`,
      friendlyName: `${user.userName} ${hardware.model} - ${serialNumber.slice(-4)}`,
      locationGroupId: groupId,
      userId: user.id,
      ownership: rng.weighted(OWNERSHIP_WEIGHTS),
      platform: spec.platform,
      model: hardware.model,
      operatingSystem: rng.pick(spec.osVersions),
      phoneNumber: hardware.phone && rng.chance(0.7) ? `+1555${digits(rng, 7)}` : '',
      lastSeen,
      enrollmentStatus,
      complianceStatus: nonCompliant ? 'NonCompliant' : 'Compliant',
      compromised,
      lastEnrolledOn: lastSeen - (30 + rng.int(700)) * DAY_MS - rng.int(DAY_MS),
      lastComplianceCheckOn: lastSeen - rng.int(6 * HOUR_MS),
      failingPolicies: nonCompliant ? failingPolicies(rng, spec.platform, compromised) : [],
    };
  }
  return devices;
}

/** Most devices checked in within days; a tail reaches back 90 days. */
function lastSeenAge(rng: Rng, unenrolled: boolean): number {
  if (unenrolled) return (30 + rng.int(60)) * DAY_MS + rng.int(DAY_MS);
  const r = rng.next();
  if (r < 0.7) return rng.int(3 * DAY_MS);
  if (r < 0.9) return 3 * DAY_MS + rng.int(27 * DAY_MS);
  return 30 * DAY_MS + rng.int(60 * DAY_MS);
}

function serialFor(rng: Rng, platform: UemDevice['platform']): string {
  switch (platform) {
    case 'Apple':
      return `F${chars(rng, SERIAL_CHARS, 11)}`;
    case 'Android':
      return `R5C${chars(rng, SERIAL_CHARS, 8)}`;
    case 'WinRT':
      return `PF${chars(rng, SERIAL_CHARS, 8)}`;
    case 'AppleOsX':
      return `C02${chars(rng, SERIAL_CHARS, 9)}`;
    case 'ChromeOS':
      return `NXK${chars(rng, SERIAL_CHARS, 9)}`;
    default: {
      const never: never = platform;
      throw new Error(`unknown platform ${String(never)}`);
    }
  }
}

function failingPolicies(rng: Rng, platform: UemDevice['platform'], compromised: boolean): number[] {
  if (compromised) return [COMPROMISED_POLICY_ID];
  const applicable = COMPLIANCE_POLICIES.filter((p) => p.platforms.includes(platform) && p.id !== COMPROMISED_POLICY_ID);
  const first = rng.pick(applicable).id;
  const second = rng.chance(0.3) ? rng.pick(applicable).id : first;
  return first === second ? [first] : [first, second].sort((a, b) => a - b);
}
