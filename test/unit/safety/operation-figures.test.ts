/**
 * The figures kept per operation and variables (src/safety/operation-figures.ts): the same as
 * worked out afresh, kept only for the same operation node and the same variables.
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { loadConfig } from '../../../src/config.js';
import { operationCost } from '../../../src/safety/cost.js';
import { operationMemory } from '../../../src/safety/memory.js';
import { createOperationFigures } from '../../../src/safety/operation-figures.js';
import { walkContext } from '../../../src/safety/walk.js';

const schema = buildSchema();
const { limits } = loadConfig({}).safety;

function parsed(query: string) {
  const document = parse(query);
  return { document, operation: document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')! };
}

const PAGE = 'query ($first: Int, $after: String) { devices(first: $first, after: $after) { nodes { id platform user { userName } } } }';

describe('operation figures', () => {
  it('are the cost and memory estimate worked out afresh, for each variable set', () => {
    const figuresOf = createOperationFigures(limits, 500);
    const { document, operation } = parsed(PAGE);
    for (const variables of [{ first: 10 }, { first: 100 }, { first: 10, after: null }, undefined]) {
      const figures = figuresOf({ schema, document, operation, source: PAGE, variables });
      const walk = walkContext(document, operation, variables);
      expect(figures.cost()).toBe(operationCost(schema, walk, operation, 500));
      expect(figures.memoryBytes()).toBe(operationMemory(schema, walk, operation, 500));
      expect(figures.over).toBeUndefined();
      expect(figures.introspection).toBeUndefined();
    }
  });

  it('are kept for the same operation and variables, not across variables or operations', () => {
    const figuresOf = createOperationFigures(limits, 500);
    const { document, operation } = parsed(PAGE);
    const input = (variables: Record<string, unknown>) => ({ schema, document, operation, source: PAGE, variables });
    const ten = figuresOf(input({ first: 10 }));
    expect(figuresOf(input({ first: 10 }))).toBe(ten);
    const hundred = figuresOf(input({ first: 100 }));
    expect(hundred).not.toBe(ten);
    expect(hundred.cost()).toBeGreaterThan(ten.cost());
    const other = parsed(PAGE);
    expect(figuresOf({ ...input({ first: 10 }), document: other.document, operation: other.operation })).not.toBe(ten);
  });

  it('refuse what the limits refuse, and tell introspection apart', () => {
    const figuresOf = createOperationFigures({ ...limits, depth: 2 }, 500);
    const deep = '{ devices(first: 1) { nodes { user { userName } } } }';
    expect(figuresOf({ schema, ...parsed(deep), source: deep, variables: undefined }).over).toMatchObject({ limit: 'depth', max: 2 });
    const schemaQuery = '{ __schema { queryType { name } } }';
    const figures = figuresOf({ schema, ...parsed(schemaQuery), source: schemaQuery, variables: undefined });
    expect(figures.introspects).toBe(true);
    expect(figures.introspection).toBeDefined();
  });

  it('refuse variables nested past the JSON depth limit, kept or not', () => {
    const figuresOf = createOperationFigures({ ...limits, jsonDepth: 3 }, 500);
    const { document, operation } = parsed(PAGE);
    const deep = { after: { a: { b: { c: { d: 1 } } } } };
    expect(() => figuresOf({ schema, document, operation, source: PAGE, variables: deep })).toThrow(/deeper|nested|depth/i);
    expect(() => figuresOf({ schema, document, operation, source: PAGE, variables: deep })).toThrow(/deeper|nested|depth/i);
  });
});
