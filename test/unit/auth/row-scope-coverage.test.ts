/**
 * Every field that reaches a UEM device or enrollment user is one the row scope (issue 6) was
 * applied to. A new field returning Device, DeviceConnection or UemUser fails here until its
 * resolver is scoped (src/resolvers/devices/device-scope.service.ts) and it is listed below.
 * Types are inspected by shape: the schema may come from another instance of the graphql module.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../../src/graphql/type-defs.js';

interface Shape {
  name?: string;
  ofType?: Shape;
  getFields?: () => Record<string, { name: string; type: Shape }>;
  getInterfaces?: unknown;
}
const named = (t: Shape): string => (t.ofType ? named(t.ofType) : (t.name ?? ''));

const SCOPED = [
  'App.devices',
  'DeviceConnection.nodes',
  'DeviceEdge.node',
  'Device.user', // the owner of a visible device: visible through it (README, "Row scope")
  'HarmonyUser.devices',
  'HarmonyUser.uemUser',
  'Person.devices',
  'Person.uemUser',
  'Query.device',
  'Query.devices',
  'Query.uemUser',
  'Query.uemUsers',
  'SmartGroup.devices',
  'Tag.devices',
  'UemUser.devices',
  'UemUserConnection.nodes',
  'UemUserEdge.node',
  'UemUserPayload.user', // the user the caller just changed: `provisionUemUsers` needs WRITE there, a level that reads
  'UserGroup.members',
];

describe('row scope coverage', () => {
  it('knows every field that returns a device or an enrollment user', () => {
    const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
    const reaching: string[] = [];
    for (const type of Object.values(schema.getTypeMap()) as Shape[]) {
      if (!type.getFields || !type.getInterfaces || type.name?.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const target = named(field.type);
        if (['Device', 'DeviceConnection', 'UemUser', 'UemUserConnection'].includes(target)) reaching.push(`${type.name ?? ''}.${field.name}`);
      }
    }
    expect(reaching.sort()).toEqual([...SCOPED].sort());
  });
});
