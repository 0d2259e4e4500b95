/**
 * The cost and upstream estimate of a subgraph's `_entities` (issue 19): one element per
 * representation, costed and estimated as the direct graph's root field for its type.
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from '../../../src/safety/cost.js';
import { estimateUpstream } from '../../../src/safety/upstream-budget.js';
import { walkContext } from '../../../src/safety/walk.js';
import { buildSubgraph } from '../../../src/subgraph/schema.js';
import { knowledgeOf } from '../../helpers/tenant.js';

const schema = buildSubgraph();

function analyse(query: string, representations: Record<string, unknown>[]) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
  const walk = walkContext(document, operation, { representations });
  // The demo tenant's sizes (800 users: 2 directory pages), a cold cache, no snapshot.
  const { plans: _plans, ...upstream } = estimateUpstream(schema, walk, operation, 500, { knowledge: knowledgeOf() });
  return { cost: operationCost(schema, walk, operation, 500), upstream };
}

const ENTITIES = (selection: string) => `query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${selection} } }`;
const many = (n: number, typename: string, key: string) => Array.from({ length: n }, (_, i) => ({ __typename: typename, [key]: String(i + 1) }));

describe('_entities', () => {
  it('costs one element per representation, with the selections on its own type', () => {
    const query = ENTITIES('...on Device { id user { email } } ...on HarmonyUser { email roles { role { name } } }');
    // A device: 1 + its user 1. A Harmony user: 1 + roles (assumed 3) × (1 + role 1).
    expect(analyse(query, many(500, 'Device', 'id')).cost).toBe(500 * 2);
    expect(analyse(query, many(100, 'HarmonyUser', 'email')).cost).toBe(100 * (1 + 3 * 2));
    expect(analyse(query, [...many(10, 'Device', 'id'), ...many(10, 'HarmonyUser', 'email')]).cost).toBe(10 * 2 + 10 * 7);
  });

  it('estimates the upstream requests of the direct graph’s root fields', () => {
    const devices = ENTITIES('...on Device { id friendlyName }');
    expect(analyse(devices, many(500, 'Device', 'id')).upstream).toEqual({ uem: 1, harmony: 0, total: 1 });
    expect(analyse(devices, many(501, 'Device', 'id')).upstream.uem).toBe(2);
    // By serial number: the batch read by serial number, 500 a call, next to the one by id.
    expect(analyse(devices, many(3, 'Device', 'serialNumber')).upstream.uem).toBe(1);
    expect(analyse(devices, [...many(500, 'Device', 'id'), ...many(501, 'Device', 'serialNumber')]).upstream.uem).toBe(3);
    // Harmony users: the list, once.
    expect(analyse(ENTITIES('...on HarmonyUser { email roles { role { name } } }'), many(100, 'HarmonyUser', 'email')).upstream).toEqual({ uem: 0, harmony: 2, total: 2 });
    // Enrollment users: one GET each while that takes fewer requests than the directory (2 pages).
    expect(analyse(ENTITIES('...on UemUser { firstName }'), many(1, 'UemUser', 'id')).upstream.uem).toBe(1);
    expect(analyse(ENTITIES('...on UemUser { firstName }'), many(30, 'UemUser', 'id')).upstream.uem).toBe(2);
  });

  it('multiplies what the entities’ selections read by how many there are', () => {
    // One batch for the devices, then apps: one GET per device.
    expect(analyse(ENTITIES('...on Device { apps { name } }'), many(500, 'Device', 'id')).upstream.uem).toBe(501);
  });

  it('counts nothing for representations of unknown types or without a type', () => {
    expect(analyse(ENTITIES('...on Device { id }'), [{ __typename: 'Nope', id: '1' }, { id: '2' }])).toEqual({ cost: 0, upstream: { uem: 0, harmony: 0, total: 0 } });
  });
});
