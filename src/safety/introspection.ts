/**
 * Introspection that tools can use. A good-faith introspection query (a query whose root selects
 * only `__schema`, `__type` and `__typename`, as GraphiQL, graphql-codegen, Postman or Apollo
 * Sandbox send) is measured by rules of its own instead of the depth limit and the cost: the
 * standard query (`getIntrospectionQuery()`) is 15 levels deep only because of its chain of nine
 * `ofType`, and a cost model built for upstream lists means nothing for the schema's own types.
 *
 * Its own rules keep it bounded: one `__schema` per operation, a few `__type`, `ofType` chains and
 * the depth with each chain counted once both capped; graphql's MaxIntrospectionDepthRule already
 * refuses `fields { type { fields … } }` cycles during validation. The other static limits
 * (document size, fields once fragments are expanded, aliases, root fields, directives, variables)
 * still apply. Whether introspection is answered at all is decided elsewhere: INTROSPECTION (off in
 * production unless enabled), and never to partners.
 */
import { Kind, parse, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Measured } from './refusal.js';
import { walkContext, type WalkContext } from './walk.js';

/** The bounds of a good-faith introspection query (the standard one measures 1, 0, 9 and 7). */
export const INTROSPECTION_LIMITS = { schema: 1, types: 10, ofType: 12, depth: 10 } as const;

const META_ROOT = new Set(['__schema', '__type', '__typename']);

interface Root {
  names: Set<string>;
  schema: number;
  types: number;
}

/** Root field names and how many times `__schema` and `__type` are selected (fragments memoized). */
function rootOf(ctx: WalkContext, set: SelectionSetNode, memo = new Map<string, Root>()): Root {
  const out: Root = { names: new Set(), schema: 0, types: 0 };
  const add = (r: Root) => {
    for (const n of r.names) out.names.add(n);
    out.schema += r.schema;
    out.types += r.types;
  };
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      out.names.add(name);
      if (name === '__schema') out.schema++;
      if (name === '__type') out.types++;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      add(rootOf(ctx, sel.selectionSet, memo));
    } else {
      const name = sel.name.value;
      if (!memo.has(name)) {
        memo.set(name, { names: new Set(), schema: 0, types: 0 });
        const frag = ctx.fragments.get(name);
        if (frag) memo.set(name, rootOf(ctx, frag, memo));
      }
      add(memo.get(name)!);
    }
  }
  return out;
}

interface Shape {
  /** Depth with each run of consecutive `ofType` counted as one level. */
  depth: number;
  /** The longest run of consecutive `ofType`. */
  ofType: number;
}

/** Depth and `ofType` runs below `set`, whose parent ends a run of `chain` `ofType` fields. */
function shapeOf(ctx: WalkContext, set: SelectionSetNode, chain: number, memo: Map<string, Shape>): Shape {
  const out: Shape = { depth: 0, ofType: chain };
  const add = (s: Shape, depth: number) => {
    out.depth = Math.max(out.depth, s.depth + depth);
    out.ofType = Math.max(out.ofType, s.ofType);
  };
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const inRun = sel.name.value === 'ofType';
      const next = inRun ? chain + 1 : 0;
      const own = inRun && chain > 0 ? 0 : 1;
      add({ depth: 0, ofType: next }, own);
      if (sel.selectionSet) add(shapeOf(ctx, sel.selectionSet, next, memo), own);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      add(shapeOf(ctx, sel.selectionSet, chain, memo), 0);
    } else {
      const key = `${sel.name.value}/${chain}`;
      if (!memo.has(key)) {
        // A cycle (validation refuses those first) or an unknown fragment counts as nothing.
        memo.set(key, { depth: 0, ofType: chain });
        const frag = ctx.fragments.get(sel.name.value);
        if (frag) memo.set(key, shapeOf(ctx, frag, chain, memo));
      }
      add(memo.get(key)!, 0);
    }
  }
  return out;
}

/**
 * The figures of a good-faith introspection query, to check instead of the depth limit and the
 * cost; undefined when the operation is not one (it then meets every usual limit).
 */
export function introspectionFigures(ctx: WalkContext, operation: OperationDefinitionNode): Measured[] | undefined {
  if (operation.operation !== 'query') return undefined;
  const root = rootOf(ctx, operation.selectionSet);
  if (root.schema + root.types === 0 || [...root.names].some((n) => !META_ROOT.has(n))) return undefined;
  const shape = shapeOf(ctx, operation.selectionSet, 0, new Map());
  return [
    { limit: 'introspectionSchema', max: INTROSPECTION_LIMITS.schema, measured: root.schema },
    { limit: 'introspectionTypes', max: INTROSPECTION_LIMITS.types, measured: root.types },
    { limit: 'introspectionOfType', max: INTROSPECTION_LIMITS.ofType, measured: shape.ofType },
    { limit: 'introspectionDepth', max: INTROSPECTION_LIMITS.depth, measured: shape.depth },
  ];
}

/** Far more than the standard introspection query has (about 300): a text past it is not read further. */
const INTROSPECTION_DOCUMENT_TOKENS = 3_000;

/**
 * Whether a document asks the schema and nothing else (every operation a good-faith introspection
 * query): it reads no data, so a caller held to registered documents may still send it as text,
 * and INTROSPECTION alone decides whether it is answered. A text that does not parse is not one.
 */
export function isIntrospectionDocument(text: string): boolean {
  let document: DocumentNode;
  try {
    document = parse(text, { noLocation: true, maxTokens: INTROSPECTION_DOCUMENT_TOKENS });
  } catch {
    return false;
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.length > 0 && operations.every((op) => introspectionFigures(walkContext(document, op, undefined), op) !== undefined);
}

/** Apollo's refusal names its own option; say which setting of this gateway turns it on. */
export function explainIntrospectionOff(error: { message: string }): void {
  if (error.message.startsWith('GraphQL introspection is not allowed by Apollo Server')) {
    error.message = 'Introspection is turned off on this gateway (INTROSPECTION=false, the default in production): use the published schema (docs/schema.graphql) or ask an operator to enable it.';
  }
}
