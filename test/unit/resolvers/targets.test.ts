/**
 * The target builders of the writes: device commands (device-targets.ts), provisioning
 * (user-targets.ts) and app deployment, over the access service's per-target decisions
 * (src/auth/access/access.ts), by the environment of each device or group.
 */
import { describe, expect, it } from 'vitest';
import { authorizeTargets, distinctIds, MAX_TARGETS, outcomeOf } from '../../../src/resolvers/device-commands/device-targets.js';
import { knownGroup, requireProvision, userIdArgument } from '../../../src/resolvers/uem-provisioning/user-targets.js';
import { ADA, contextOf, OMAR, RITA } from './resolver-world.js';

describe('device targets', () => {
  it('trims and de-duplicates ids in their order, and refuses none, too many or non-ids', () => {
    expect(distinctIds([' 5711', '5721', '5711 '])).toEqual(['5711', '5721']);
    expect(() => distinctIds([])).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'deviceIds' }) }));
    expect(() => distinctIds(Array.from({ length: MAX_TARGETS + 1 }, (_, i) => String(i + 1)))).toThrow(/At most 5000/);
    expect(() => distinctIds(['12', 'abc'])).toThrow(/"abc" is not a UEM device id/);
  });

  it('lets a caller act where the capability holds, skips readable devices with FORBIDDEN, and fails unknown and unreadable ids alike', async () => {
    // omar: EXECUTE in Production, WRITE in Sandbox, nothing in Development; a lock needs WRITE.
    const { ids, allowed, decided } = await authorizeTargets(contextOf(OMAR), ['5721', '5711', '9999', '5731'], 'sendStateChangingCommand');
    expect(ids).toEqual(['5721', '5711', '9999', '5731']);
    expect(allowed.map((d) => d.id)).toEqual([5721]);
    expect(decided.get('5711')).toMatchObject({ status: 'SKIPPED', errorCode: 'FORBIDDEN', message: expect.stringContaining('(Production)') });
    // Issue 18 cell 11: a device omar may not read is answered like one UEM does not have.
    expect(decided.get('9999')).toEqual({ deviceId: '9999', status: 'FAILED', errorCode: 'NOT_FOUND', message: 'No device with this id.' });
    expect(decided.get('5731')).toEqual({ ...decided.get('9999'), deviceId: '5731' });
  });

  it('allows a sync where EXECUTE is held, and everything to an admin', async () => {
    expect((await authorizeTargets(contextOf(OMAR), ['5711', '5721'], 'sendNonDestructiveCommand')).allowed).toHaveLength(2);
    const admin = await authorizeTargets(contextOf(ADA), ['5711', '5721', '5731'], 'wipeDevice');
    expect(admin.allowed).toHaveLength(3);
    expect(admin.decided.size).toBe(0);
  });

  it('sums results into an audit outcome', () => {
    const r = (status: 'ACCEPTED' | 'FAILED' | 'SKIPPED' | 'WOULD_SEND', errorCode: string | null = null) => ({ deviceId: '1', status, errorCode, message: null });
    expect(outcomeOf([r('ACCEPTED'), r('WOULD_SEND')])).toBe('SUCCESS');
    expect(outcomeOf([r('ACCEPTED'), r('FAILED', 'NOT_FOUND')])).toBe('PARTIAL');
    expect(outcomeOf([r('SKIPPED', 'FORBIDDEN')])).toBe('DENIED');
  });
});

describe('enrollment user targets', () => {
  it('allows changes in groups of environments with WRITE, and names what is missing otherwise', async () => {
    const places = await contextOf(OMAR).access.provisioning();
    expect(places.refusal([572])).toBeNull();
    expect(places.refusal([572, 571])).toMatch(/Needs "provisionUemUsers" in the environment of organization group Production Devices \(Production\)/);
    expect(places.refusal([null])).toMatch(/an unknown organization group/);
    expect(() => requireProvision(places, [573])).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', capability: 'provisionUemUsers' }) }));
    expect((await contextOf(ADA).access.provisioning()).refusal([571, 572, 573, null])).toBeNull();
  });

  it('knows the groups UEM has, and reads user ids', async () => {
    const places = await contextOf(RITA).access.provisioning();
    expect(knownGroup(places, 571, 'input.organizationGroupId').name).toBe('Production Devices');
    expect(() => knownGroup(places, 42, 'input.organizationGroupId')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ argument: 'input.organizationGroupId', reason: 'UNKNOWN_ORGANIZATION_GROUP' }) }),
    );
    expect(userIdArgument(' 5006 ')).toBe(5006);
    for (const bad of ['0', '-3', 'x', '1234567890123']) expect(() => userIdArgument(bad), bad).toThrow(/is not a UEM user id/);
  });
});

describe('smart group targets', () => {
  const smartGroups = [
    { id: 1, name: 'Sandbox only', managedByOrganizationGroupId: 570, members: [5721] },
    { id: 2, name: 'Mixed', managedByOrganizationGroupId: 570, members: [5721, 5711] },
    { id: 3, name: 'Empty, managed by Lab', managedByOrganizationGroupId: 573, members: [] },
  ];

  it('needs deployApps in the environment of every member device, or of the managing group when empty', async () => {
    const checks = await contextOf(OMAR, { smartGroups }).access.authorizeSmartGroups([1, 2, 3, 4]);
    expect(checks.get(1)).toMatchObject({ group: { id: 1 }, refusal: null });
    expect(checks.get(2)?.refusal).toMatch(/missing in Production:/);
    expect(checks.get(3)?.refusal).toMatch(/missing in environments you may not read:/);
    expect(checks.get(4)).toEqual({ group: null, refusal: null });
  });

  it('names in a refusal only the environments the caller reads (issue 18 cell 11)', async () => {
    // omar reads Production and Sandbox, not Development (Lab Devices).
    const lab = [{ id: 5, name: 'Lab and Production', managedByOrganizationGroupId: 570, members: [5731, 5711] }];
    const refusal = (await contextOf(OMAR, { smartGroups: lab }).access.authorizeSmartGroups([5])).get(5)?.refusal;
    expect(refusal).toMatch(/missing in Production, environments you may not read:/);
    expect(refusal).not.toMatch(/Development|Lab/);
    const unmapped = contextOf(OMAR, { smartGroups: lab, envMap: { 'Production Devices': 'Production', 'Sandbox Devices': 'Sandbox' } });
    expect((await unmapped.access.authorizeSmartGroups([5])).get(5)?.refusal).toMatch(/missing in Production, unmapped organization groups:/);
  });

  it('refuses nothing to an admin', async () => {
    const checks = await contextOf(ADA, { smartGroups }).access.authorizeSmartGroups([1, 2, 3]);
    expect([...checks.values()].map((c) => c.refusal)).toEqual([null, null, null]);
  });
});
