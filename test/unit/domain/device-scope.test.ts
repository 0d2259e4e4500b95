import { describe, expect, it } from 'vitest';
import { harmonyPrincipal, type AccessDirectory } from '../../../src/auth/principal.js';
import { deviceScopeOf, planScope, type ScopeGroup } from '../../../src/domain/device-scope.js';
import { EnvironmentMap } from '../../../src/domain/environment-map.js';

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
