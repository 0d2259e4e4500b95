import { describe, expect, it } from 'vitest';
import { harmonyPrincipal, type AccessDirectory } from '../../../src/auth/principal.js';
import { deviceScopeOf, planScope, scopedRollUp, type ScopeGroup } from '../../../src/auth/access/scope.js';
import { EnvironmentMap } from '../../../src/auth/access/environment-map.js';

const environments = [
  { id: '101', name: 'Production' },
  { id: '102', name: 'Sandbox' },
  { id: '103', name: 'Development' },
];
const directory: AccessDirectory = {
  environments,
  subscriptionExpired: false,
  roles: [
    { roleId: 'admin', permissions: ['ADMIN'], active: true },
    { roleId: 'user', permissions: ['READ'], active: true },
    { roleId: 'ops', permissions: ['READ'], active: true },
    { roleId: 'logs', permissions: ['READ'], active: true },
  ],
  access: [
    { roleId: 'user', envId: '101', levels: ['READ'] },
    { roleId: 'ops', envId: '101', levels: ['EXECUTE'] },
    { roleId: 'ops', envId: '102', levels: ['WRITE'] },
    { roleId: 'logs', envId: '101', levels: ['VIEW_LOGS'] },
  ],
  users: ['admin', 'user', 'ops', 'logs'].map((r) => ({ email: `${r}@demo.example`, roles: [{ roleId: r, active: true }] })),
};
const groups: ScopeGroup[] = [
  { id: 570, name: 'Demo Organization', parentId: null },
  { id: 571, name: 'Production Devices', parentId: 570 },
  { id: 572, name: 'Sandbox Devices', parentId: 570 },
  { id: 573, name: 'Lab Devices', parentId: 570 },
  { id: 574, name: 'Production Kiosks', parentId: 571 },
];
const demoMap = new EnvironmentMap({
  'Production Devices': 'Production',
  'Production Kiosks': 'Production',
  'Sandbox Devices': 'Sandbox',
  'Lab Devices': 'Development',
});
const scopeOf = (who: string, map = demoMap) => deviceScopeOf(harmonyPrincipal(directory, `${who}@demo.example`)!, map, groups, environments);

describe('device scope', () => {
  it('reads every group for ADMIN, and environments with READ, EXECUTE or WRITE for others', () => {
    expect(scopeOf('admin').all).toBe(true);
    expect(planScope(scopeOf('admin'), groups)).toEqual({ kind: 'none' });
    expect([...scopeOf('user').groupIds].sort()).toEqual([571, 574]);
    expect([...scopeOf('ops').groupIds].sort()).toEqual([571, 572, 574]);
    expect(scopeOf('logs').envIds.size).toBe(0);
    expect(scopeOf('user').allowsGroup('Demo Organization')).toBe(false); // unmapped: ADMIN only
  });

  it('pushes one group with its descendants, filters several, and knows when nothing matches', () => {
    expect(planScope(scopeOf('user'), groups)).toEqual({ kind: 'push', groupId: 571 });
    expect(planScope(scopeOf('user'), groups, 570)).toEqual({ kind: 'push', groupId: 571 });
    expect(planScope(scopeOf('user'), groups, 574)).toEqual({ kind: 'none' });
    expect(planScope(scopeOf('user'), groups, 573)).toEqual({ kind: 'empty' });
    expect(planScope(scopeOf('ops'), groups)).toEqual({ kind: 'filter' });
    expect(planScope(scopeOf('logs'), groups)).toEqual({ kind: 'empty' });
  });

  it('cannot trust group ids when unmapped groups fall to a readable environment', () => {
    const map = new EnvironmentMap({ 'Sandbox Devices': 'Sandbox', '*': 'Production' });
    const scope = scopeOf('user', map);
    expect(scope.allowsGroup('Anything Else')).toBe(true);
    expect(planScope(scope, groups)).toEqual({ kind: 'filter' });
  });
});

describe('scoped roll-up counts (issue 18 cell 12)', () => {
  // UEM's rolled-up counts: each group counts its own devices and its descendants'.
  // Own devices: 570: 5, 571: 10, 572: 20, 573: 40, 574: 3 (574 is below 571).
  const rolled = new Map([[570, 78], [571, 13], [572, 20], [573, 40], [574, 3]]);
  const count = (id: number) => rolled.get(id) ?? null;

  it("gives ADMIN UEM's count, and others the sum of the own shares of the groups they read", () => {
    expect(scopedRollUp(scopeOf('admin'), groups, 570, count)).toBe(78);
    // user reads Production (571 and 574): 10 + 3 at the top, 13 at 571, none in Sandbox.
    expect(scopedRollUp(scopeOf('user'), groups, 570, count)).toBe(13);
    expect(scopedRollUp(scopeOf('user'), groups, 571, count)).toBe(13);
    expect(scopedRollUp(scopeOf('user'), groups, 572, count)).toBe(0);
    // ops reads Production and Sandbox.
    expect(scopedRollUp(scopeOf('ops'), groups, 570, count)).toBe(33);
    expect(scopedRollUp(scopeOf('logs'), groups, 570, count)).toBe(0);
  });

  it('cuts a readable group whose child is in another environment to its own share', () => {
    const map = new EnvironmentMap({ 'Production Devices': 'Production', 'Production Kiosks': 'Sandbox', 'Sandbox Devices': 'Sandbox', 'Lab Devices': 'Development' });
    expect(scopedRollUp(scopeOf('user', map), groups, 571, count)).toBe(10);
    expect(scopedRollUp(scopeOf('ops', map), groups, 571, count)).toBe(13);
  });

  it('is null when UEM gave no count', () => {
    expect(scopedRollUp(scopeOf('user'), groups, 571, (id) => (id === 574 ? null : count(id)))).toBeNull();
    expect(scopedRollUp(scopeOf('admin'), groups, 570, () => null)).toBeNull();
  });
});
