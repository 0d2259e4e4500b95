/**
 * The cost of an operation with the semantics of IBM's GraphQL cost directives:
 *
 * - `@cost(weight)` on a field (or its type) sets what one resolution of it costs; by default
 *   composite types weigh 1, scalars and enums 0, and fields of the mutation root 10.
 * - `@cost` on an argument adds its weight when the argument is given.
 * - A list multiplies the cost of one element (its weight plus its selections) by its size:
 *   `@listSize(slicingArguments: ["first"])` reads the size from the argument (or its default),
 *   capped at the page size cap; `assumedSize` otherwise; `sizedFields` moves the size onto the
 *   named fields of the returned type (a connection's `edges` and `nodes`). Lists without
 *   `@listSize` are assumed to hold DEFAULT_LIST_SIZE elements.
 */
import type { GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { entityGroups } from './entities.js';
import { directiveArgs, isComposite, isList, resolvedFields, type NamedType, type ResolvedField, type WalkContext } from './walk.js';

export const DEFAULT_LIST_SIZE = 10;
export const MUTATION_FIELD_WEIGHT = 10;

interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

interface Sized {
  fields: ReadonlySet<string>;
  size: number;
}

type WithAst = Parameters<typeof directiveArgs>[0];

function weightOf(element: WithAst): number | undefined {
  const weight = directiveArgs(element, 'cost')?.weight;
  const n = typeof weight === 'string' ? Number(weight) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const typeWeight = (type: NamedType): number => weightOf(type) ?? (isComposite(type) ? 1 : 0);

function sliceSize(listSize: ListSize, args: Record<string, unknown>, maxPageSize: number): number {
  const given = (listSize.slicingArguments ?? []).map((a) => args[a]).filter((v): v is number => typeof v === 'number');
  if (given.length > 0) return Math.min(Math.max(0, ...given), maxPageSize);
  return listSize.assumedSize ?? DEFAULT_LIST_SIZE;
}

/** What one resolution of a field weighs (before its list size multiplies it), and its arguments' weight. */
export type FieldWeigher = (field: ResolvedField, mutationRoot: boolean) => { weight: number; argWeight: number };

/**
 * The walk behind the cost and the memory estimate: every field weighs `weigh(field)` plus its
 * children, multiplied by its list size (slicing argument, `assumedSize`, or DEFAULT_LIST_SIZE).
 */
export function weighOperation(schema: GraphQLSchema, ctx: WalkContext, operation: OperationDefinitionNode, maxPageSize: number, weigh: FieldWeigher): number {
  const root = schema.getRootType(operation.operation) as NamedType | null | undefined;
  if (!root) return 0;

  function weighSet(parent: NamedType, set: SelectionSetNode, sized: Sized | undefined, mutationRoot: boolean): number {
    let total = 0;
    for (const f of resolvedFields(ctx, parent, set)) {
      // A subgraph's `_entities`: one element per representation, costed as its own type.
      const entities = entityGroups(schema, parent, f);
      if (entities) {
        for (const g of entities) total += g.count * (typeWeight(g.type) + weighSet(g.type, g.selectionSet, undefined, false));
        continue;
      }
      const def = f.def;
      const { weight, argWeight } = weigh(f, mutationRoot);
      const listSize = directiveArgs(def, 'listSize') as ListSize | undefined;
      let size = 1;
      let childSized: Sized | undefined;
      if (listSize?.sizedFields?.length) {
        childSized = { fields: new Set(listSize.sizedFields), size: sliceSize(listSize, f.args, maxPageSize) };
      } else if (isList(def.type)) {
        size = sized?.fields.has(def.name) ? sized.size : listSize ? sliceSize(listSize, f.args, maxPageSize) : DEFAULT_LIST_SIZE;
      }
      const children = f.node.selectionSet ? weighSet(f.type, f.node.selectionSet, childSized, false) : 0;
      total += argWeight + size * (weight + children);
    }
    return total;
  }

  return weighSet(root, operation.selectionSet, undefined, operation.operation === 'mutation');
}

/** IBM cost weights: `@cost` on the field (or its type), 1 per composite, 0 per scalar, 10 per mutation root field. */
const costWeigher: FieldWeigher = (f, mutationRoot) => {
  const weight = weightOf(f.def) ?? (mutationRoot ? MUTATION_FIELD_WEIGHT : typeWeight(f.type));
  let argWeight = 0;
  for (const arg of f.def.args) if (f.node.arguments?.some((a) => a.name.value === arg.name)) argWeight += weightOf(arg) ?? 0;
  return { weight, argWeight };
};

export function operationCost(schema: GraphQLSchema, ctx: WalkContext, operation: OperationDefinitionNode, maxPageSize: number): number {
  return weighOperation(schema, ctx, operation, maxPageSize, costWeigher);
}
