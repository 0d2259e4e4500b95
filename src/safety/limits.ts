/**
 * The static limits of one operation, measured in a single walk of its document with fragments
 * followed (and memoized, so a fragment fan-out costs the walk nothing): depth, aliases, root
 * fields, field selections once expanded, directives, document and variables size. Tokens are
 * bounded earlier, by the parser (`parseOptions.maxTokens`).
 */
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { SafetyConfig } from '../config.js';
import { badInput, httpStatusOf } from '../errors.js';
import { jsonDepthExceeds, jsonTooDeepMessage } from './json-depth.js';
import type { Measured } from './refusal.js';

/** What a selection set contributes, fragments expanded. */
interface Shape {
  depth: number;
  fields: number;
  aliases: number;
  directives: number;
}

export interface DocumentFigures extends Shape {
  rootFields: number;
  variables: number;
}

const ZERO: Shape = { depth: 0, fields: 0, aliases: 0, directives: 0 };

export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): DocumentFigures {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const memo = new Map<string, Shape>();

  const fragment = (name: string): Shape => {
    const known = memo.get(name);
    if (known) return known;
    // A cycle (validation refuses those first) or an unknown fragment counts as nothing.
    memo.set(name, ZERO);
    const set = fragments.get(name);
    const shape = set ? selectionSet(set) : ZERO;
    memo.set(name, shape);
    return shape;
  };

  function selectionSet(set: SelectionSetNode): Shape {
    const out = { ...ZERO };
    const add = (s: Shape, depthOffset: number) => {
      out.depth = Math.max(out.depth, s.depth + depthOffset);
      out.fields += s.fields;
      out.aliases += s.aliases;
      out.directives += s.directives;
    };
    for (const sel of set.selections) {
      out.directives += sel.directives?.length ?? 0;
      if (sel.kind === Kind.FIELD) {
        add({ depth: 0, fields: 1, aliases: sel.alias ? 1 : 0, directives: 0 }, 1);
        if (sel.selectionSet) add(selectionSet(sel.selectionSet), 1);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        add(selectionSet(sel.selectionSet), 0);
      } else {
        add(fragment(sel.name.value), 0);
      }
    }
    return out;
  }

  const shape = selectionSet(operation.selectionSet);
  return {
    ...shape,
    directives: shape.directives + (operation.directives?.length ?? 0),
    rootFields: rootFieldCount(operation.selectionSet, fragments),
    variables: operation.variableDefinitions?.length ?? 0,
  };
}

/** Fields at the root, fragments expanded (each spread counts again; memoized, cycles count nothing). */
function rootFieldCount(set: SelectionSetNode, fragments: Map<string, SelectionSetNode>, memo = new Map<string, number>()): number {
  let count = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) count++;
    else if (sel.kind === Kind.INLINE_FRAGMENT) count += rootFieldCount(sel.selectionSet, fragments, memo);
    else {
      const name = sel.name.value;
      if (!memo.has(name)) {
        memo.set(name, 0);
        const frag = fragments.get(name);
        memo.set(name, frag ? rootFieldCount(frag, fragments, memo) : 0);
      }
      count += memo.get(name) ?? 0;
    }
  }
  return count;
}

/** The figures to compare with the configured limits, in the order they are reported. */
export function staticFigures(
  limits: SafetyConfig['limits'],
  figures: DocumentFigures,
  sizes: { documentBytes: number; variablesBytes: number },
): Measured[] {
  return [
    { limit: 'documentBytes', max: limits.documentBytes, measured: sizes.documentBytes },
    { limit: 'depth', max: limits.depth, measured: figures.depth },
    { limit: 'fields', max: limits.fields, measured: figures.fields },
    { limit: 'aliases', max: limits.aliases, measured: figures.aliases },
    { limit: 'rootFields', max: limits.rootFields, measured: figures.rootFields },
    { limit: 'directives', max: limits.directives, measured: figures.directives },
    { limit: 'variables', max: limits.variables, measured: figures.variables },
    { limit: 'variablesBytes', max: limits.variablesBytes, measured: sizes.variablesBytes },
  ];
}

/**
 * The variables as JSON (their size is a limit). Variables nested deeper than LIMIT_JSON_DEPTH are
 * refused first (BAD_USER_INPUT, `reason: JSON_TOO_DEEP`): the HTTP layer refuses them already,
 * this guards the other ways in (exports, `executeOperation`).
 */
export function variablesJson(variables: unknown, maxDepth: number): string {
  if (jsonDepthExceeds(variables, maxDepth)) {
    throw badInput(jsonTooDeepMessage('The variables', maxDepth), { reason: 'JSON_TOO_DEEP', max: maxDepth, http: { status: httpStatusOf.BAD_USER_INPUT } });
  }
  return JSON.stringify(variables ?? {});
}
