/**
 * The rows of an export. Columns come from the query's selection set, never from the data, so the
 * CSV header is known before the first row and is the same for an empty export; values come from
 * each node of the connection.
 *
 * - Nested objects become dotted column names (response keys, so aliases name columns):
 *   `user.email`, `organizationGroup.name`.
 * - Lists are not indexed: a column under a list holds the values of every element, in order
 *   (`smartGroups.name` is the list of the names; lists inside lists are flattened into one).
 *   CSV joins them with `|`, JSON lines keep them as arrays.
 * - `explode` names one list of the node (e.g. `smartGroups`): the node then gives one row per
 *   element, the element in place of the list; a node whose list is empty or null gives one row
 *   with those cells empty (a left join).
 */
import type { SelectionSetNode } from 'graphql';
import { fieldsOf, type WalkContext } from '../safety/walk.js';

export interface Column {
  /** The dotted name, e.g. `user.email`. */
  name: string;
  /** Response keys from the row to the value. */
  path: readonly string[];
}

/** A scalar as GraphQL answers it, or the scalars of a list. */
export type Scalar = string | number | boolean | null;
export type CellValue = Scalar | Scalar[] | Record<string, unknown>;

/**
 * The leaf fields of a selection set as columns, fragments inlined, in selection order; a key
 * selected twice (merged fields, fragments on several types) is one column.
 */
export function columnsOf(
  walk: WalkContext,
  set: SelectionSetNode,
  pathPrefix: readonly string[] = [],
  namePrefix: readonly string[] = [],
  out: Column[] = [],
): Column[] {
  for (const field of fieldsOf(walk, set)) {
    const key = field.alias?.value ?? field.name.value;
    const path = [...pathPrefix, key];
    const name = [...namePrefix, key];
    if (field.selectionSet) {
      columnsOf(walk, field.selectionSet, path, name, out);
    } else {
      const dotted = name.join('.');
      if (!out.some((c) => c.name === dotted)) out.push({ name: dotted, path });
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The value at a column's path: a scalar, null when an object on the way is null, or, when the
 * path crosses lists, the values of every element in order (flattened, nulls kept).
 */
export function valueAt(value: unknown, path: readonly string[], index = 0): CellValue {
  if (Array.isArray(value)) {
    return value.flatMap((element) => {
      const inner = valueAt(element, path, index);
      return Array.isArray(inner) ? inner : [inner as Scalar];
    });
  }
  if (index === path.length) return value === undefined ? null : (value as CellValue);
  if (!isRecord(value)) return null;
  return valueAt(value[path[index] as string], path, index + 1);
}

/** A copy of `value` with `path` replaced (objects on the way copied, never mutated). */
function setIn(value: unknown, path: readonly string[], replacement: unknown, index = 0): unknown {
  if (index === path.length) return replacement;
  if (!isRecord(value)) return value;
  const key = path[index] as string;
  return { ...value, [key]: setIn(value[key], path, replacement, index + 1) };
}

function getIn(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The rows one node gives: itself, or one per element of the exploded list. */
export function explodeRow(node: unknown, explode: readonly string[] | undefined): unknown[] {
  if (!explode) return [node];
  const list = getIn(node, explode);
  if (!Array.isArray(list) || list.length === 0) return [setIn(node, explode, null)];
  return list.map((element) => setIn(node, explode, element));
}

/** The cells of one row, in column order. */
export function cellsOf(row: unknown, columns: readonly Column[]): CellValue[] {
  return columns.map((c) => valueAt(row, c.path));
}
