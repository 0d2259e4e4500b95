import { describe, expect, it } from 'vitest';
import { harmonyPrincipal, type AccessDirectory } from '../../../src/auth/principal.js';
import { holds } from '../../../src/auth/capabilities.js';

const directory: AccessDirectory = {
  environments: [
    { id: 'prod', name: 'Production' },
    { id: 'sbx', name: 'Sandbox' },
  ],
  roles: [
    { roleId: 'admin', permissions: ['ADMIN'], active: true },
    { roleId: 'reader', permissions: ['READ'], active: true },
    { roleId: 'ops', permissions: ['READ'], active: true },
    { roleId: 'legacy', permissions: ['ADMIN'], active: false },
    { roleId: 'consumer', permissions: ['API_CONSUMER'], active: true },
  ],
  access: [
    { roleId: 'admin', envId: 'prod', levels: ['READ', 'WRITE'] },
    { roleId: 'reader', envId: 'prod', levels: ['READ'] },
    { roleId: 'ops', envId: 'prod', levels: ['EXECUTE'] },
    { roleId: 'ops', envId: 'sbx', levels: ['WRITE'] },
    { roleId: 'legacy', envId: 'sbx', levels: ['WRITE'] },
    { roleId: 'consumer', envId: 'prod', levels: ['READ'] },
  ],
  users: [
    { email: 'Ada@Demo.example', roles: [{ roleId: 'admin', active: true }] },
    { email: 'ian@demo.example', roles: [{ roleId: 'admin', active: false }] },
    { email: 'dora@demo.example', roles: [{ roleId: 'legacy', active: true }] },
    { email: 'omar@demo.example', roles: [{ roleId: 'ops', active: true }, { roleId: 'reader', active: true }] },
    { email: 'carl@demo.example', roles: [{ roleId: 'consumer', active: true }] },
  ],
  subscriptionExpired: false,
};

describe('harmonyPrincipal', () => {
  it('finds users case-insensitively and lets ADMIN imply every permission', () => {
    const ada = harmonyPrincipal(directory, 'ada@demo.EXAMPLE');
    expect(ada?.email).toBe('ada@demo.example');
    expect(ada?.isAdmin).toBe(true);
    expect([...(ada?.permissions ?? [])].sort()).toEqual(['ADMIN', 'AGENT_INSTALL', 'API_CONSUMER', 'READ']);
  });

  it('grants nothing through inactive assignments or inactive roles', () => {
    const ian = harmonyPrincipal(directory, 'ian@demo.example');
    const dora = harmonyPrincipal(directory, 'dora@demo.example');
    for (const p of [ian, dora]) {
      expect(p?.isAdmin).toBe(false);
      expect(p?.permissions.size).toBe(0);
      expect(p?.access.size).toBe(0);
      expect(holds(p!, 'readInventory')).toBe(false);
      expect(holds(p!, 'viewer')).toBe(true);
    }
  });

  it('unions levels across active roles, per environment', () => {
    const omar = harmonyPrincipal(directory, 'omar@demo.example')!;
    expect([...omar.access.get('prod')!].sort()).toEqual(['EXECUTE', 'READ']);
    expect([...omar.access.get('sbx')!]).toEqual(['WRITE']);
    expect(holds(omar, 'readInventory', 'prod')).toBe(true);
    expect(holds(omar, 'sendNonDestructiveCommand', 'prod')).toBe(true);
    expect(holds(omar, 'sendStateChangingCommand', 'prod')).toBe(false);
    expect(holds(omar, 'sendStateChangingCommand', 'sbx')).toBe(true);
    expect(holds(omar, 'wipeDevice')).toBe(false);
    expect(holds(omar, 'readHarmony')).toBe(true);
  });

  it('gives API_CONSUMER alone only the viewer and partner documents', () => {
    const carl = harmonyPrincipal(directory, 'carl@demo.example')!;
    expect(holds(carl, 'viewer')).toBe(true);
    expect(holds(carl, 'readInventory')).toBe(false);
    expect(holds(carl, 'sendFreeText')).toBe(false);
    expect(holds(carl, 'runPartnerDocuments', 'prod')).toBe(true);
    expect(holds(carl, 'runPartnerDocuments', 'sbx')).toBe(false);
  });

  it('makes admins read-only while the subscription is expired', () => {
    const ada = harmonyPrincipal({ ...directory, subscriptionExpired: true }, 'ada@demo.example')!;
    expect(holds(ada, 'writeHarmony')).toBe(false);
    expect(holds(ada, 'readHarmony')).toBe(true);
  });

  it('returns undefined for an email that is not a user of the organization', () => {
    expect(harmonyPrincipal(directory, 'stranger@demo.example')).toBeUndefined();
  });
});
