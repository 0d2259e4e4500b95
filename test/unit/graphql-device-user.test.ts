/**
 * `Device.user` is the nullable boundary of the owner join: the device payload's name is used as
 * is (no request, no promise), and a payload without one loads the owner there, so that
 * `UemUser.userName` never needs a call of its own (README, "Failure semantics").
 */
import { describe, expect, it } from 'vitest';
import type { GraphQLContext } from '../../src/context.js';
import type { UemDevice, UemUser } from '../../src/datasources/uem/uem.schemas.js';
import { deviceUser } from '../../src/resolvers/devices/device-user.js';

const device = (fields: Partial<UemDevice>) => ({ userId: 7, userName: 'amy', userEmail: 'amy@demo.example', ...fields }) as UemDevice;

function contextLoading(record: Partial<UemUser> | null) {
  const loaded: string[] = [];
  const ctx = { loaders: { uem: { userById: { load: async (id: string) => (loaded.push(id), record) } } } } as unknown as GraphQLContext;
  return { ctx, loaded };
}

describe('Device.user', () => {
  it('answers from the payload without a request', () => {
    const { ctx, loaded } = contextLoading(null);
    expect(deviceUser(ctx, device({}))).toEqual({ id: '7', userName: 'amy', email: 'amy@demo.example' });
    expect(deviceUser(ctx, device({ userId: null }))).toBeNull();
    expect(loaded).toEqual([]);
  });

  it('loads an owner the payload does not name, and keeps the id when UEM has no such user', async () => {
    const record = { id: 7, userName: 'amy.b', email: 'amy.b@demo.example' };
    const found = contextLoading(record);
    expect(await deviceUser(found.ctx, device({ userName: null }))).toEqual({ id: '7', userName: 'amy.b', email: 'amy.b@demo.example', record });
    expect(found.loaded).toEqual(['7']);
    const missing = contextLoading(null);
    expect(await deviceUser(missing.ctx, device({ userName: null }))).toEqual({ id: '7', userName: null, email: 'amy@demo.example' });
  });
});
