/**
 * The names of the fields selected directly under the field being resolved: fragments and inline
 * fragments expanded (`fieldsOf`, the same flattening the cost and upstream-budget walks use),
 * directives not evaluated (a field under `@skip` counts as selected, so a resolver that prepares
 * for it may do more than needed, never less). Computed once per field of an operation:
 * graphql-jit hands every call of a compiled operation the same `fieldNodes`, and graphql-js hands
 * every item of a list the same array.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { fieldsOf, type WalkContext } from '../safety/walk.js';

/** What of a resolver's info the selection is read from. */
export type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

const known = new WeakMap<SelectionInfo['fieldNodes'], ReadonlySet<string>>();

export function selectedFieldNames(info: SelectionInfo): ReadonlySet<string> {
  let names = known.get(info.fieldNodes);
  if (!names) {
    const walk: WalkContext = { fragments: new Map(Object.entries(info.fragments).map(([name, f]) => [name, f.selectionSet])), variables: {} };
    names = new Set(info.fieldNodes.flatMap((node) => (node.selectionSet ? fieldsOf(walk, node.selectionSet) : [])).map((f) => f.name.value));
    known.set(info.fieldNodes, names);
  }
  return names;
}
