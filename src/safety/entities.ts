/**
 * `_entities(representations:)` of the federation subgraph (src/subgraph/), for the cost and
 * upstream walks: the field returns one entity per representation, each of the type its
 * `__typename` names, with the selections of the inline fragments on that type. So the walks see
 * it as one list per entity type, as long as the representations of that type (not the 10 elements
 * assumed for a list without `@listSize`).
 */
import { Kind, type GraphQLSchema, type SelectionNode, type SelectionSetNode } from 'graphql';
import type { NamedType, ResolvedField } from './walk.js';

export interface EntityGroup {
  type: NamedType;
  /** How many representations name this type. */
  count: number;
  /** The operation's selections that apply to this type (its inline fragments, untyped ones, fields). */
  selectionSet: SelectionSetNode;
  /** The representations' arguments that are keys, per key name (e.g. `id`: 500, `serialNumber`: 2). */
  keys: Record<string, number>;
}

/** The entity groups of a root `_entities` field; undefined for any other field. */
export function entityGroups(schema: GraphQLSchema, parent: NamedType, f: ResolvedField): EntityGroup[] | undefined {
  if (f.def.name !== '_entities' || parent.name !== schema.getQueryType()?.name) return undefined;
  const representations = Array.isArray(f.args.representations) ? (f.args.representations as unknown[]) : [];
  const groups = new Map<string, EntityGroup>();
  for (const r of representations) {
    const typename = (r as { __typename?: unknown } | null)?.__typename;
    if (typeof typename !== 'string') continue;
    let group = groups.get(typename);
    if (!group) {
      const type = schema.getType(typename) as NamedType | undefined;
      if (!type) continue;
      group = { type, count: 0, selectionSet: selectionsFor(f.node.selectionSet, typename), keys: {} };
      groups.set(typename, group);
    }
    group.count++;
    for (const key of Object.keys(r as object)) if (key !== '__typename') group.keys[key] = (group.keys[key] ?? 0) + 1;
  }
  return [...groups.values()];
}

function selectionsFor(set: SelectionSetNode | undefined, typename: string): SelectionSetNode {
  const selections: SelectionNode[] = (set?.selections ?? []).filter(
    (s) => s.kind !== Kind.INLINE_FRAGMENT || !s.typeCondition || s.typeCondition.name.value === typename,
  );
  return { kind: Kind.SELECTION_SET, selections };
}
