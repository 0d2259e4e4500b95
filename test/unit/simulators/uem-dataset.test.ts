import { describe, expect, it } from 'vitest';
import { HARMONY_PERSONAS, ORGANIZATION_GROUPS } from '../../../src/simulators/dataset/demo-org.js';
import { generateDirectory } from '../../../src/simulators/dataset/people.js';
import { COMPROMISED_POLICY_ID } from '../../../src/simulators/uem/uem.catalog.js';
import { generateUemDataset } from '../../../src/simulators/uem/uem.simulator.js';

const NOW = Date.UTC(2025, 5, 15, 12);
const DAY = 86_400_000;
const dataset = generateUemDataset({ seed: 42, now: NOW });

const share = (n: number) => n / dataset.devices.length;

describe('UEM dataset generator', () => {
  it('has the default sizes', () => {
    expect(dataset.devices).toHaveLength(2000);
    expect(dataset.users).toHaveLength(800);
    expect(dataset.apps).toHaveLength(60);
    expect(dataset.orgGroups.map((g) => g.id)).toEqual([570, 571, 572, 573]);
  });

  it('is deterministic: the same seed yields the same data, another seed other data', () => {
    const again = generateUemDataset({ seed: 42, now: NOW });
    expect(again.devices).toEqual(dataset.devices);
    expect(again.users).toEqual(dataset.users);
    expect(again.apps).toEqual(dataset.apps);
    expect(again.installs).toEqual(dataset.installs);
    expect(again.tags).toEqual(dataset.tags);
    expect(again.smartGroups).toEqual(dataset.smartGroups);
    expect(again.userGroups).toEqual(dataset.userGroups);
    const other = generateUemDataset({ seed: 7, now: NOW });
    expect(other.devices.map((d) => d.serialNumber)).not.toEqual(dataset.devices.map((d) => d.serialNumber));
  });

  it('takes its enrollment users from the shared directory, in one of the three child groups', () => {
    const directory = generateDirectory({ seed: 42, harmonyUsers: 120, uemUsers: 800 }).filter((p) => p.uemEmail !== undefined);
    expect(dataset.users.map((u) => [u.userName, u.email])).toEqual(directory.map((p) => [p.uemUserName, p.uemEmail]));
    const childIds = ORGANIZATION_GROUPS.map((g) => g.id);
    expect(dataset.users.every((u) => childIds.includes(u.locationGroupId))).toBe(true);
    expect(dataset.users.find((u) => u.userName === 'omar.operator')?.email).toBe('Omar.Operator@Demo.example');
  });

  it('gives every persona a device in each organization group, at every size', () => {
    for (const ds of [dataset, generateUemDataset({ seed: 3, now: NOW, sizes: { devices: 5, uemUsers: 10 } })]) {
      for (const persona of HARMONY_PERSONAS) {
        const user = ds.users.find((u) => u.email.toLowerCase() === persona.email);
        expect(user, persona.email).toBeDefined();
        const groups = new Set(ds.devices.filter((d) => d.userId === user?.id).map((d) => d.locationGroupId));
        expect([...groups].sort(), persona.email).toEqual([571, 572, 573]);
      }
    }
  });

  it('spreads platforms, ownership and enrollment statuses realistically', () => {
    const count = (f: (d: (typeof dataset.devices)[number]) => boolean) => share(dataset.devices.filter(f).length);
    for (const p of ['Apple', 'Android', 'WinRT', 'AppleOsX']) expect(count((d) => d.platform === p)).toBeGreaterThan(0.05);
    for (const o of ['C', 'E', 'S', 'Undefined']) expect(count((d) => d.ownership === o)).toBeGreaterThan(0.01);
    expect(count((d) => d.enrollmentStatus === 'Enrolled')).toBeGreaterThan(0.85);
    expect(count((d) => d.enrollmentStatus !== 'Enrolled')).toBeGreaterThan(0);
    const compromised = dataset.devices.filter((d) => d.compromised).length;
    expect(compromised).toBeGreaterThan(0);
    expect(compromised).toBeLessThan(dataset.devices.length * 0.05);
  });

  it('makes about 15% NonCompliant, with failing policies exactly when NonCompliant', () => {
    const nonCompliant = share(dataset.devices.filter((d) => d.complianceStatus === 'NonCompliant').length);
    expect(nonCompliant).toBeGreaterThan(0.1);
    expect(nonCompliant).toBeLessThan(0.2);
    for (const d of dataset.devices) {
      expect(d.failingPolicies.length > 0).toBe(d.complianceStatus === 'NonCompliant');
      if (d.compromised) expect(d.failingPolicies).toContain(COMPROMISED_POLICY_ID);
    }
  });

  it('spreads LastSeen over the last 90 days, most of it recent', () => {
    const ages = dataset.devices.map((d) => NOW - d.lastSeen);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(90 * DAY);
    expect(ages.filter((a) => a > 30 * DAY).length).toBeGreaterThan(0);
    expect(ages.filter((a) => a < 7 * DAY).length / ages.length).toBeGreaterThan(0.6);
    expect(dataset.devices.every((d) => d.lastEnrolledOn < d.lastSeen)).toBe(true);
  });

  it('has tags, smart groups and user groups with members', () => {
    expect(dataset.tags).toHaveLength(10);
    expect(dataset.tags.every((t) => t.members.size > 0)).toBe(true);
    expect(dataset.smartGroups).toHaveLength(8);
    const apple = dataset.smartGroups.find((g) => g.name === 'All Apple Devices');
    expect(apple?.deviceIds).toEqual(dataset.devices.filter((d) => d.platform === 'Apple').map((d) => d.id));
    const lab = dataset.smartGroups.find((g) => g.name === 'Lab Test Devices');
    expect(lab?.deviceIds).toEqual(dataset.devices.filter((d) => d.locationGroupId === 573).map((d) => d.id));
    expect(dataset.userGroups.every((g) => g.members.size > 0)).toBe(true);
  });

  it('installs apps of the device platform with installed, pending and failed statuses', () => {
    const statuses = new Set<string>();
    const apps = new Map(dataset.apps.map((a) => [a.id, a]));
    for (const d of dataset.devices) {
      for (const i of dataset.installs.get(d.id) ?? []) {
        statuses.add(i.status);
        expect(apps.get(i.appId)?.platform).toBe(d.platform);
      }
    }
    expect([...statuses].sort()).toEqual(['Failed', 'Installed', 'Pending']);
    expect(dataset.apps.some((a) => a.assignments.size > 0)).toBe(true);
  });
});
