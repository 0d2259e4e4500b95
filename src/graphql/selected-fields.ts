/**
 * The names of the fields selected directly under the field being resolved: fragments and inline
 * fragments expanded, directives not evaluated (a field under `@skip` counts as selected, so a
 * resolver that prepares for it may do more than needed, never less). Computed once per field of
 * an operation: graphql-jit hands every call of a compiled operation the same `fieldNodes`, and
 * graphql-js hands every item of a list the same array.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

type SelectionInfo = Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>;

const known = new WeakMap<SelectionInfo['fieldNodes'], ReadonlySet<string>>();

export function selectedFieldNames(info: SelectionInfo): ReadonlySet<string> {
  let names = known.get(info.fieldNodes);
  if (!names) {
    names = collect(info);
    known.set(info.fieldNodes, names);
  }
  return names;
}

function collect(info: SelectionInfo): ReadonlySet<string> {
  const names = new Set<string>();
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return names;
}
