/**
 * The access service (src/auth/access/), over the small organization of resolver-world.ts: lazy
 * (nothing read for ADMIN, the scope computed once per request, the group list only for a caller
 * who reads something), out-of-scope objects answered like missing ones, environments named only
 * where the caller reads, and a decision per target.
 */
import { describe, expect, it, vi } from 'vitest';
import { ADA, contextOf, DEVICES, LENA, OMAR, RITA } from '../resolvers/resolver-world.js';

/** A caller's context with its reference-data reads counted. */
function counted(email: string) {
  const ctx = contextOf(email);
  return {
    access: ctx.access,
    environments: vi.spyOn(ctx.loaders.harmony, 'environments'),
    groups: vi.spyOn(ctx.loaders.uem, 'organizationGroups'),
  };
}

describe('the access service', () => {
  it('reads nothing to decide for ADMIN', async () => {
    const { access, environments, groups } = counted(ADA);
    expect((await access.scope()).all).toBe(true);
    expect(await access.device('5731')).toMatchObject({ id: 5731 });
    expect(await access.visibleDevices(DEVICES)).toHaveLength(DEVICES.length);
    expect(await access.visibleDeviceIds([5711, 5731])).toEqual([5711, 5731]);
    expect(await access.rowPlan()).toEqual({ kind: 'none' });
    expect(await access.rowFilter(undefined, undefined)).toEqual({ empty: false });
    expect((await access.authorizeDevices(['5731'], 'wipeDevice'))[0]).toMatchObject({ allowed: true });
    expect(environments).not.toHaveBeenCalled();
    expect(groups).not.toHaveBeenCalled();
  });

  it('computes the scope once per request, and reads no group list for a caller who reads no environment', async () => {
    const omar = counted(OMAR);
    await Promise.all([omar.access.scope(), omar.access.scope(), omar.access.device('5711'), omar.access.seesNothing()]);
    expect(omar.groups).toHaveBeenCalledTimes(1);
    const lena = counted(LENA);
    expect(await lena.access.seesNothing()).toBe(true);
    expect(await lena.access.device('5711')).toBeNull();
    expect(await lena.access.rowFilter(undefined, undefined)).toEqual({ empty: true });
    expect(lena.groups).not.toHaveBeenCalled();
  });

  it('answers an object out of scope exactly like one UEM does not have', async () => {
    const { access } = counted(RITA);
    expect(await access.device('5711')).toMatchObject({ id: 5711 });
    expect(await access.device('5721')).toBeNull();
    expect(await access.device('9999')).toBeNull();
    const [outOfScope, unknown] = await access.authorizeDevices(['5721', '9999'], 'sendNonDestructiveCommand');
    expect(outOfScope).toEqual({ ...unknown, id: '5721' });
    expect(unknown).toEqual({ id: '9999', allowed: false, code: 'NOT_FOUND', message: 'No device with this id.' });
    await expect(access.organizationGroup('572', 'organizationGroupId')).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_ORGANIZATION_GROUP' },
    });
    expect((await access.readableGroups()).map((g) => g.name)).toEqual(['Production Devices']);
  });

  it('names an environment only where the caller reads', async () => {
    const omar = counted(OMAR).access;
    expect(await omar.readableEnvironmentOfGroup('Sandbox Devices')).toEqual({ id: 'e2', name: 'Sandbox' });
    expect(await omar.readableEnvironmentOfGroup('Lab Devices')).toBeNull();
    expect(await omar.environmentOfGroup('Lab Devices')).toEqual({ id: 'e3', name: 'Development' });
    expect((await omar.readableEnvironments()).map((e) => e.name)).toEqual(['Production', 'Sandbox']);
    expect(await omar.namedEnvironment('development')).toEqual({ environment: { id: 'e3', name: 'Development' }, readable: false });
    const decisions = await omar.authorize('deployApps', ['Production Devices', 'Sandbox Devices', 'Lab Devices', 'Nowhere'], (g) => g);
    expect(decisions.map(({ allowed, environment, mapped }) => [allowed, environment?.name ?? null, mapped])).toEqual([
      [false, 'Production', true],
      [true, 'Sandbox', true],
      [false, null, true],
      [false, null, false],
    ]);
  });

  it('plans lists by scope: one group pushed to UEM, several checked per object, none when nothing can match', async () => {
    expect(await counted(RITA).access.rowFilter(undefined, undefined)).toEqual({ empty: false, groupId: 571 });
    expect(await counted(RITA).access.rowFilter(undefined, 573)).toEqual({ empty: true });
    const omar = await counted(OMAR).access.rowFilter(undefined, undefined);
    expect(omar.groupId).toBeUndefined();
    expect(DEVICES.filter((d) => omar.accept?.(d.organizationGroupName)).map((d) => d.id)).toEqual([5711, 5712, 5721]);
    const development = await counted(OMAR).access.rowFilter({ id: 'e3', name: 'Development' }, undefined);
    expect(development).toEqual({ empty: true });
  });

  it('throws the permission layer\'s FORBIDDEN for a capability held nowhere', () => {
    expect(() => counted(RITA).access.require('writeHarmony')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', capability: 'writeHarmony' }) }));
    expect(() => counted(ADA).access.require('writeHarmony')).not.toThrow();
    expect(() => counted(LENA).access.requireEntity('Device')).not.toThrow();
  });
});
