/**
 * What the pre-execution checks compute from an operation and its variables alone: the walk's
 * context, whether it asks the schema at its root, the static limits, the cost and the memory
 * estimate. None of it depends on the caller or the tenant, and clients send the same few
 * documents with the same few variables request after request (a list paged with a handful of
 * cursors): the figures are kept per operation node of Apollo's cached document and per variables
 * JSON, and worked out once.
 *
 * Kept weakly on the operation node (Apollo's document store holds one parsed document per text
 * and schema; the figures go with it), at most OPERATION_ENTRIES variable sets per operation (the
 * least recently used out first) and only for variables of up to VARIABLES_KEY_BYTES of JSON. What depends on
 * the caller or the tenant (the upstream estimate, the quota, the memory lease) is not kept here.
 * The kept walk context is shared by the requests that use it: it is read, never written.
 * Variables arrive as JSON (a body, a query string, an export's parameters), so requests whose
 * variables have the same JSON have the same variables.
 */
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { SafetyConfig } from '../config.js';
import { operationCost } from './cost.js';
import { introspectionFigures } from './introspection.js';
import { measureOperation, staticFigures, variablesJson } from './limits.js';
import { operationMemory } from './memory.js';
import { firstExceeded, type Measured } from './refusal.js';
import { fieldsOf, walkContext, type WalkContext } from './walk.js';
import { Lru } from './lru.js';

const OPERATION_ENTRIES = 32;
const VARIABLES_KEY_BYTES = 2_048;

export interface OperationFigures {
  walk: WalkContext;
  /** A field of the root selection is a meta field other than `__typename` (partners may not introspect). */
  introspects: boolean;
  /** The introspection bounds when the operation is a good-faith introspection query. */
  introspection: Measured[] | undefined;
  /** The first static limit (or introspection bound) exceeded. */
  over: Measured | undefined;
  /** The operation's cost (IBM cost directives), worked out when first asked. */
  cost(): number;
  /** The operation's estimated peak heap bytes, worked out when first asked. */
  memoryBytes(): number;
}

/** A field of the root selection is a meta field other than `__typename`. */
export const introspectsAtRoot = (walk: WalkContext, operation: OperationDefinitionNode) =>
  fieldsOf(walk, operation.selectionSet).some((f) => f.name.value.startsWith('__') && f.name.value !== '__typename');

export interface FiguresInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The operation's text (its size is a limit). */
  source: string;
  variables: Record<string, unknown> | undefined;
}

export function createOperationFigures(limits: SafetyConfig['limits'], maxPageSize: number) {
  const kept = new WeakMap<OperationDefinitionNode, Lru<OperationFigures>>();

  function compute(input: FiguresInput, json: string): OperationFigures {
    const { schema, document, operation } = input;
    const walk = walkContext(document, operation, input.variables);
    const sizes = { documentBytes: Buffer.byteLength(input.source), variablesBytes: Buffer.byteLength(json) };
    // Good-faith introspection meets its own bounds instead of the depth limit and the cost.
    const introspection = introspectionFigures(walk, operation);
    const figures = staticFigures(limits, measureOperation(document, operation), sizes);
    let cost: number | undefined;
    let memory: number | undefined;
    return {
      walk,
      introspects: introspectsAtRoot(walk, operation),
      introspection,
      over: firstExceeded(introspection ? [...introspection, ...figures.filter((f) => f.limit !== 'depth')] : figures),
      cost: () => (cost ??= operationCost(schema, walk, operation, maxPageSize)),
      memoryBytes: () => (memory ??= operationMemory(schema, walk, operation, maxPageSize)),
    };
  }

  /** The figures of this operation with these variables (variables nested past the JSON depth limit are refused first). */
  return function operationFigures(input: FiguresInput): OperationFigures {
    const json = variablesJson(input.variables, limits.jsonDepth);
    if (json.length > VARIABLES_KEY_BYTES) return compute(input, json);
    let byVariables = kept.get(input.operation);
    if (!byVariables) kept.set(input.operation, (byVariables = new Lru(OPERATION_ENTRIES)));
    const known = byVariables.get(json);
    if (known) return known;
    const figures = compute(input, json);
    byVariables.set(json, figures);
    return figures;
  };
}
