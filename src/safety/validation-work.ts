/**
 * An estimate of the work GraphQL validation would do on a document, computed before validating
 * it, so a document that would keep the CPU busy for a second is refused in microseconds.
 *
 * Validation is linear in the document except for one rule, OverlappingFieldsCanBeMerged, which
 * compares every pair of fields sharing a response name in a selection set (fragments and inline
 * fragments merged in), and then the sub-selections of each such pair, merged the same way, level
 * by level; and every pair of fragments spread in one selection set. A few kilobytes of repeated
 * fields or spreads cost graphql-js hundreds of thousands of comparisons (its own safety stop sits at
 * 500,000, about half a second of one core). The estimate counts, in units of about one comparison:
 * NODE_WEIGHT per selection of the document (every rule visits each one: measured at 10 to 50
 * comparisons' worth), one per selection merged into a comparison, two per pair of same-named
 * fields (compared, then their sub-selections merged) and two per pair of spread fragments. It
 * bounds the rule's comparisons within a factor of about two, and costs at most its own budget to
 * compute: counting stops as soon as it passes `budget`.
 */
import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

const pairs = (n: number) => (n * (n - 1)) / 2;

/** What visiting one selection costs all the rules together, in comparisons. */
export const NODE_WEIGHT = 10;

/** The estimated validation work of `document`; once past `budget`, some figure over it. */
export function validationWork(document: DocumentNode, budget: number): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  let work = 0;

  /** The selection sets of `sets` merged into one (as the rule collects them), and their same-named pairs. */
  const mergedWork = (sets: readonly SelectionSetNode[]): void => {
    const pending: (readonly SelectionSetNode[])[] = [sets];
    while (pending.length > 0 && work <= budget) {
      const queue = [...(pending.pop() as readonly SelectionSetNode[])];
      const byName = new Map<string, FieldNode[]>();
      const spread = new Set<string>();
      while (queue.length > 0 && work <= budget) {
        const set = queue.pop() as SelectionSetNode;
        for (const selection of set.selections) {
          work++;
          if (selection.kind === Kind.FIELD) {
            const key = selection.alias?.value ?? selection.name.value;
            const same = byName.get(key);
            if (same) same.push(selection);
            else byName.set(key, [selection]);
          } else if (selection.kind === Kind.INLINE_FRAGMENT) {
            queue.push(selection.selectionSet);
          } else if (!spread.has(selection.name.value)) {
            spread.add(selection.name.value);
            const definition = fragments.get(selection.name.value);
            if (definition) queue.push(definition.selectionSet);
          }
        }
      }
      work += 2 * pairs(spread.size);
      for (const fields of byName.values()) {
        if (fields.length < 2) continue;
        work += 2 * pairs(fields.length);
        const subSelections = fields.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
        if (subSelections.length >= 2) pending.push(subSelections);
      }
    }
  };

  // Every selection set the rule visits: each operation's and fragment's, and every field's below
  // them; an inline fragment's set is merged into its parent's (`own` false), not visited on its own.
  const sets: { set: SelectionSetNode; own: boolean }[] = [];
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) sets.push({ set: d.selectionSet, own: true });
  }
  while (sets.length > 0 && work <= budget) {
    const { set, own } = sets.pop() as { set: SelectionSetNode; own: boolean };
    work += NODE_WEIGHT * set.selections.length;
    if (own) mergedWork([set]);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD && selection.selectionSet) sets.push({ set: selection.selectionSet, own: true });
      else if (selection.kind === Kind.INLINE_FRAGMENT) sets.push({ set: selection.selectionSet, own: false });
    }
  }
  return work;
}
