/**
 * The permission layer skips only rules that every path to a field already passed (src/auth/
 * redundant-rules.ts); the matrix suites check the outcome end to end. Here: the decisions on the
 * served schema, and the analysis on a small schema where two roots reach one type.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import type { GraphQLObjectType } from 'graphql';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { isAuthenticated, ruleOf, subgraphRuleOf } from '../../../src/auth/permissions.js';
import { buildSubgraph } from '../../../src/subgraph/schema.js';
import { guaranteedRules, redundantFields } from '../../../src/auth/redundant-rules.js';

describe('redundant rules on the served schema', () => {
  const schema = buildSchema();
  const denied = (rule: unknown) => rule === ruleOf(schema.getType('Query') as GraphQLObjectType, '__no_such_field__');
  const redundant = redundantFields(schema, ruleOf, new Set([isAuthenticated]), denied);

  it('drop per-device checks that the root field already made', () => {
    for (const field of ['Device.friendlyName', 'Device.platform', 'Device.user', 'DeviceConnection.nodes', 'PageInfo.hasNextPage', 'Query.viewer']) {
      expect(redundant, field).toContain(field);
    }
  });

  it('keep every check some path has not made', () => {
    for (const field of ['Query.devices', 'Query.harmonyUsers', 'Device.imei', 'Device.macAddress', 'HarmonyUser.devices', 'Person.devices', 'Mutation.createRole', 'Mutation.sendDeviceCommand', 'Query.auditEvents']) {
      expect(redundant, field).not.toContain(field);
    }
  });

  it('never drop the deny of an unlisted field', () => {
    for (const key of redundant) {
      const [type, field] = key.split('.') as [string, string];
      expect(denied(ruleOf(schema.getType(type) as GraphQLObjectType, field)), key).toBe(false);
    }
  });
});

describe('redundant rules on the subgraph schema', () => {
  const schema = buildSubgraph();
  const denied = (rule: unknown) => rule === subgraphRuleOf(schema.getType('Query') as GraphQLObjectType, '__no_such_field__');
  const redundant = redundantFields(schema, subgraphRuleOf, new Set([isAuthenticated]), denied);

  it('count each entity type’s reference check on the edges from _entities', () => {
    // The reference resolvers check readInventory (devices, users) and readHarmony (people) first.
    for (const field of ['Device.friendlyName', 'Device.user', 'Person.harmonyUser', 'Person.email', 'Query._entities', '_Service.sdl']) {
      expect(redundant, field).toContain(field);
    }
  });

  it('keep what no reference check implies', () => {
    for (const field of ['Device.imei', 'Person.devices', 'HarmonyUser.devices', 'UemUser.harmonyUser', 'Query._service']) {
      expect(redundant, field).not.toContain(field);
    }
  });
});

describe('the analysis', () => {
  const schema = makeExecutableSchema({
    typeDefs: `
      type Query { a: A  b: B  shared: Shared }
      type A { shared: Shared  x: Int }
      type B { shared: Shared }
      type Shared { y: Int  secret: Int }
    `,
  });
  const rules: Record<string, string> = { 'Query.a': 'r1', 'Query.b': 'r2', 'Query.shared': 'r1', 'A.shared': 'r1', 'B.shared': 'r1', 'A.x': 'r1', 'Shared.y': 'r1', 'Shared.secret': 'r2' };
  const ruleOfField = (type: GraphQLObjectType, field: string) => rules[`${type.name}.${field}`] ?? 'deny';

  it('intersects what every path passed', () => {
    const g = guaranteedRules(schema, ruleOfField, new Set(['auth']));
    expect(g.get('A')).toEqual(new Set(['auth', 'r1']));
    expect(g.get('B')).toEqual(new Set(['auth', 'r2']));
    // Reached through Query.shared (r1), A.shared (r1, r1) and B.shared (r2, r1): r1 on every path.
    expect(g.get('Shared')).toEqual(new Set(['auth', 'r1']));
    expect(redundantFields(schema, ruleOfField, new Set(['auth']), (r) => r === 'deny')).toEqual(new Set(['A.shared', 'A.x', 'Shared.y']));
  });

  it('asks about each edge with its target, for fields that check a rule per returned type', () => {
    const union = makeExecutableSchema({
      typeDefs: `
        type Query { any: [Either] }
        union Either = A | B
        type A { x: Int }
        type B { y: Int }
      `,
      resolvers: { Either: { __resolveType: () => 'A' } },
    });
    const perTarget = (type: GraphQLObjectType, _field: string, target?: string) =>
      type.name === 'Query' ? (target === 'A' ? 'r1' : target === 'B' ? 'r2' : 'auth') : type.name === 'A' ? 'r1' : 'r2';
    const g = guaranteedRules(union, perTarget, new Set(['auth']));
    expect(g.get('A')).toEqual(new Set(['auth', 'r1']));
    expect(g.get('B')).toEqual(new Set(['auth', 'r2']));
    expect(redundantFields(union, perTarget, new Set(['auth']), () => false)).toEqual(new Set(['Query.any', 'A.x', 'B.y']));
  });
});
