/**
 * Helpers shared by the cost and upstream-budget walks: the fields of a selection set with its
 * fragments inlined (safe once the static limits have bounded the expanded size) and a field's
 * argument values with the request's variables and the arguments' defaults applied.
 *
 * Types are inspected structurally, never with graphql's `is*Type` predicates: the executable
 * schema may come from the other module format of `graphql` (CommonJS through graphql-tools),
 * and those predicates refuse objects of "another realm".
 */
import { Kind, valueFromASTUntyped, type DirectiveNode, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The parts of a schema type the walks read (works across module realms). */
export interface TypeRef {
  readonly name?: string;
  readonly ofType?: TypeRef;
  toString(): string;
}

export interface FieldDef {
  name: string;
  type: TypeRef;
  args: readonly { name: string; defaultValue?: unknown; astNode?: { directives?: readonly DirectiveNode[] } | null }[];
  astNode?: { directives?: readonly DirectiveNode[] } | null;
}

export interface NamedType {
  name: string;
  astNode?: { directives?: readonly DirectiveNode[] } | null;
  getFields?(): Record<string, FieldDef>;
}

export interface WalkContext {
  fragments: Map<string, SelectionSetNode>;
  variables: Record<string, unknown>;
}

export function walkContext(document: DocumentNode, operation: OperationDefinitionNode, rawVariables: Record<string, unknown> | undefined): WalkContext {
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const variables: Record<string, unknown> = {};
  for (const def of operation.variableDefinitions ?? []) {
    if (def.defaultValue) variables[def.variable.name.value] = valueFromASTUntyped(def.defaultValue);
  }
  return { fragments, variables: { ...variables, ...rawVariables } };
}

/** The named type under lists and non-null. */
export function namedType(type: TypeRef): NamedType {
  let t = type;
  while (t.ofType) t = t.ofType;
  return t as NamedType;
}

/** Whether the field returns a list (under an optional non-null). */
export const isList = (type: TypeRef) => type.toString().startsWith('[');

/** Composite types (objects, interfaces) have fields; scalars and enums do not. */
export const isComposite = (type: NamedType) => typeof type.getFields === 'function';

/** The arguments of a directive used on a schema element, untyped; undefined when not used. */
export function directiveArgs(element: { astNode?: { directives?: readonly DirectiveNode[] } | null }, name: string) {
  const node = element.astNode?.directives?.find((d) => d.name.value === name);
  if (!node) return undefined;
  return Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)])) as Record<string, unknown>;
}

/** The field nodes of a selection set, inline fragments and fragment spreads flattened. */
export function fieldsOf(ctx: WalkContext, set: SelectionSetNode, out: FieldNode[] = [], depth = 0): FieldNode[] {
  if (depth > 64) return out;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) fieldsOf(ctx, sel.selectionSet, out, depth + 1);
    else {
      const frag = ctx.fragments.get(sel.name.value);
      if (frag) fieldsOf(ctx, frag, out, depth + 1);
    }
  }
  return out;
}

export interface ResolvedField {
  node: FieldNode;
  def: FieldDef;
  /** The field's named type (lists and non-null unwrapped). */
  type: NamedType;
  args: Record<string, unknown>;
}

/** The schema field behind each field node of `set` on `parent` (meta fields are left out). */
export function resolvedFields(ctx: WalkContext, parent: NamedType, set: SelectionSetNode): ResolvedField[] {
  const defs = parent.getFields?.() ?? {};
  const out: ResolvedField[] = [];
  for (const node of fieldsOf(ctx, set)) {
    const def = defs[node.name.value];
    if (!def) continue;
    const args: Record<string, unknown> = {};
    for (const arg of def.args) if (arg.defaultValue !== undefined) args[arg.name] = arg.defaultValue;
    for (const a of node.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value, ctx.variables);
    out.push({ node, def, type: namedType(def.type), args });
  }
  return out;
}
