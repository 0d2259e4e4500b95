/**
 * `Device.user` is the nullable boundary of the owner join. The user's model answers its name,
 * email and given names in place, so `deviceUser` settles them: from the record when it is at
 * hand, from the device payload when the query selects nothing more, else after one batched load
 * (README, "Failure semantics").
 */
import { parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GraphQLContext } from '../../src/context.js';
import type { UemDevice, UemUser } from '../../src/datasources/uem/uem.schemas.js';
import { deviceUser } from '../../src/resolvers/devices/device-user.js';

const device = (fields: Partial<UemDevice>) => ({ userId: 7, userName: 'amy', userEmail: 'amy@demo.example', ...fields }) as UemDevice;

/** The resolve info of `user` in `{ device { user <selection> } }` (with the document's fragments). */
function infoFor(selection: string, fragments = '') {
  const document = parse(`{ device { user ${selection} } } ${fragments}`);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const deviceField = operation.selectionSet.selections[0] as FieldNode;
  const user = deviceField.selectionSet!.selections[0] as FieldNode;
  const defined = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition');
  return { fieldNodes: [user], fragments: Object.fromEntries(defined.map((f) => [f.name.value, f])) };
}

function contextWith(record: Partial<UemUser> | null, atHand = false) {
  const loaded: string[] = [];
  const consulted: string[] = [];
  const uem = {
    userNow: (id: string) => (consulted.push(id), atHand ? record : undefined),
    userById: { load: async (id: string) => (loaded.push(id), record) },
  };
  return { ctx: { loaders: { uem } } as unknown as GraphQLContext, loaded, consulted };
}

const amy = { id: 7, userName: 'amy', email: 'amy@demo.example', firstName: 'Amy', lastName: 'Baker' };

describe('Device.user', () => {
  it('answers the name and email from the payload without a request', () => {
    const { ctx, loaded, consulted } = contextWith(amy);
    expect(deviceUser(ctx, device({}), infoFor('{ id userName email __typename }'))).toEqual({
      id: '7',
      userName: 'amy',
      email: 'amy@demo.example',
      firstName: null,
      lastName: null,
      record: undefined,
    });
    expect(deviceUser(ctx, device({ userId: null }), infoFor('{ firstName }'))).toBeNull();
    expect(loaded).toEqual([]);
    // Nor is the users snapshot consulted (or noted in `extensions`) for what the payload answers.
    expect(consulted).toEqual([]);
  });

  it('answers every field at once when the record is at hand', () => {
    const { ctx, loaded } = contextWith(amy, true);
    expect(deviceUser(ctx, device({}), infoFor('{ userName firstName lastName }'))).toMatchObject({ userName: 'amy', firstName: 'Amy', lastName: 'Baker', record: amy });
    expect(loaded).toEqual([]);
  });

  it('loads the record when the query selects a name the payload does not carry, in fragments too', async () => {
    for (const [selection, fragments] of [
      ['{ userName firstName }', ''],
      ['{ ... on UemUser { lastName } }', ''],
      ['{ ...Names }', 'fragment Names on UemUser { userName ...Last } fragment Last on UemUser { lastName }'],
    ]) {
      const { ctx, loaded } = contextWith(amy);
      const answer = await deviceUser(ctx, device({}), infoFor(selection!, fragments));
      expect(answer, selection).toMatchObject({ userName: 'amy', firstName: 'Amy', lastName: 'Baker' });
      expect(loaded, selection).toEqual(['7']);
    }
  });

  it('loads the email only when the payload has none', async () => {
    const carried = contextWith(amy);
    expect(deviceUser(carried.ctx, device({}), infoFor('{ email }'))).toMatchObject({ email: 'amy@demo.example' });
    expect(carried.loaded).toEqual([]);
    const missing = contextWith(amy);
    expect(await deviceUser(missing.ctx, device({ userEmail: null }), infoFor('{ email }'))).toMatchObject({ email: 'amy@demo.example' });
    expect(missing.loaded).toEqual(['7']);
  });

  it('loads an owner the payload does not name, and keeps the id when UEM has no such user', async () => {
    const record = { id: 7, userName: 'amy.b', email: 'amy.b@demo.example', firstName: 'Amy', lastName: null };
    const found = contextWith(record);
    expect(await deviceUser(found.ctx, device({ userName: null, userEmail: null }), infoFor('{ userName }'))).toEqual({
      id: '7',
      userName: 'amy.b',
      email: 'amy.b@demo.example',
      firstName: 'Amy',
      lastName: null,
      record,
    });
    expect(found.loaded).toEqual(['7']);
    const missing = contextWith(null);
    expect(await deviceUser(missing.ctx, device({ userName: null }), infoFor('{ userName firstName }'))).toEqual({
      id: '7',
      userName: '',
      email: 'amy@demo.example',
      firstName: null,
      lastName: null,
      record: undefined,
    });
  });
});
