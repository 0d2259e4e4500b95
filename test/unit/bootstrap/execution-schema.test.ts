/**
 * The schema each caller's operations execute on (src/bootstrap/schema.ts): the permission layer
 * without the wrappers of the rules the caller passes. What the callers may see is the matrix
 * suites' (test/in-process/matrix/, through the running gateway); here, which fields keep their
 * wrappers for which caller, and that a resolver the caller always passes is the resolver itself.
 */
import { describe, expect, it } from 'vitest';
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { buildSchema, schemaForPrincipal } from '../../../src/bootstrap/schema.js';
import { permissionProfile } from '../../../src/auth/permissions.js';
import { harmonyPrincipal, type AccessDirectory } from '../../../src/auth/principal.js';

const directory: AccessDirectory = {
  environments: [{ id: 'prod', name: 'Production' }],
  roles: [
    { roleId: 'admin', permissions: ['ADMIN'], active: true },
    { roleId: 'reader', permissions: ['READ'], active: true },
    { roleId: 'operator', permissions: ['READ'], active: true },
  ],
  access: [
    { roleId: 'admin', envId: 'prod', levels: ['READ', 'WRITE'] },
    { roleId: 'reader', envId: 'prod', levels: ['READ'] },
    { roleId: 'operator', envId: 'prod', levels: ['EXECUTE'] },
  ],
  users: [
    { email: 'ada@demo.example', roles: [{ roleId: 'admin', active: true }] },
    { email: 'rita@demo.example', roles: [{ roleId: 'reader', active: true }] },
    { email: 'olga@demo.example', roles: [{ roleId: 'operator', active: true }] },
  ],
  subscriptionExpired: false,
};
const principal = (who: string) => harmonyPrincipal(directory, `${who}@demo.example`)!;
const field = (schema: GraphQLSchema, type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name]!;
/**
 * What `UemUser.displayName` answers for a user whose record is at hand: the value itself where the
 * resolver runs bare, a promise where graphql-shield's wrapper runs first.
 */
function displayNameOf(schema: GraphQLSchema, who: string): unknown {
  const answer = field(schema, 'UemUser', 'displayName').resolve!({ id: '1', record: { displayName: 'Rita R' } }, {}, { principal: principal(who) }, {} as never);
  if (answer instanceof Promise) answer.catch(() => undefined);
  return answer;
}

describe('the schema a caller executes on', () => {
  it('runs the resolvers themselves where the caller passes every rule (no wrapper, no default resolver)', () => {
    const { schema } = schemaForPrincipal(principal('ada'));
    expect(displayNameOf(schema, 'ada')).toBe('Rita R');
    // A field without a resolver of its own stays without one: the executor reads the property.
    expect(field(schema, 'Device', 'friendlyName').resolve).toBeUndefined();
    expect(field(schema, 'Device', 'imei').resolve!({ imei: '35-1' }, {}, { principal: principal('ada') }, {} as never)).toBe('35-1');
    // The served schema keeps every wrapper some path needs.
    expect(displayNameOf(buildSchema(), 'ada')).toBeInstanceOf(Promise);
    expect(field(buildSchema(), 'Device', 'imei').resolve).toBeTypeOf('function');
  });

  it('keeps the wrappers of the rules the caller fails, and only those', () => {
    const reader = schemaForPrincipal(principal('rita')).schema;
    // readInventory: passed, so enrollment users' fields run bare…
    expect(displayNameOf(reader, 'rita')).toBe('Rita R');
    // …but not readSensitiveIdentifiers, readHarmony or the admin's capabilities.
    for (const [type, name] of [
      ['Device', 'imei'],
      ['UemUser', 'mobileNumber'],
      ['Query', 'harmonyUsers'],
      ['Query', 'auditEvents'],
      ['Mutation', 'createRole'],
    ] as const) {
      expect(field(reader, type, name).resolve, `${type}.${name}`).toBeTypeOf('function');
      expect(field(reader, type, name).resolve, `${type}.${name}`).not.toBe(field(schemaForPrincipal(principal('ada')).schema, type, name).resolve);
    }
    // An operator reads Harmony (EXECUTE) and inventory, but not sensitive identifiers.
    const operator = schemaForPrincipal(principal('olga')).schema;
    expect(field(operator, 'Device', 'imei').resolve).toBeTypeOf('function');
    expect(displayNameOf(operator, 'olga')).toBe('Rita R');
  });

  it('is one schema per set of rules passed, whoever the caller', () => {
    const a = schemaForPrincipal(principal('rita'));
    const b = schemaForPrincipal(harmonyPrincipal({ ...directory }, 'rita@demo.example')!);
    expect(b.key).toBe(a.key);
    expect(b.schema).toBe(a.schema);
    expect(schemaForPrincipal(principal('ada')).key).not.toBe(a.key);
    expect(permissionProfile(principal('ada')).key).toMatch(/^1+$/);
    expect(permissionProfile(principal('rita')).key).toMatch(/0/);
  });
});
