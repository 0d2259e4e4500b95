/**
 * How an export runs a query: which connection it pages through (`path`), which variables carry
 * `after` and `first`, where the rows, `pageInfo` and `totalCount` are in each page, and the
 * columns. Only response keys are read from the data, so aliases work everywhere.
 *
 * Trusted documents run exactly as registered: their connection must take `after` from a variable
 * and select `pageInfo { hasNextPage endCursor }` (`totalCount` is optional). Free text may leave
 * those out: the export adds the variables `$exportAfter`/`$exportFirst`, the arguments and the
 * fields it lacks, and runs the rewritten text (only the chosen operation is kept).
 *
 * A document that does not parse, does not validate or names no operation gets the answer
 * `/graphql` would give (the caller runs it through Apollo unchanged): outcome `invalid`.
 */
import { Kind, parse, type DocumentNode, type FieldNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { documentProblems } from '../documents/registry.js';
import { fieldsOf, isList, resolvedFields, walkContext, type NamedType, type ResolvedField, type WalkContext } from '../safety/walk.js';
import { columnsOf, type Column } from './flatten.js';
import { badExportInput } from './refusal.js';
import { addPaging, type Additions } from './rewrite.js';

/** Response keys of the parts of one page of the connection. */
export interface ConnectionKeys {
  /** `nodes`, or `edges` when only those are selected. */
  rows: string;
  /** Set when the rows are edges: the key of the edge's node. */
  node?: string;
  pageInfo: string;
  hasNextPage: string;
  endCursor: string;
  totalCount?: string;
}

export interface ExportPlan {
  /** The text each page runs. */
  text: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  /** Response keys from the root to the connection. */
  path: string[];
  keys: ConnectionKeys;
  afterVariable: string;
  /** The variable of `first`, when there is one. */
  firstVariable: string | undefined;
  /** A page size the document or the caller set (a literal, the caller's variable, the argument's default). */
  fixedFirst: number | undefined;
  columns: Column[];
  /** The exploded list, from the row (edges: through the node). */
  explode: string[] | undefined;
  /** Whether the export added paging to free text. */
  rewritten: boolean;
}

export interface PlanInput {
  schema: GraphQLSchema;
  text: string;
  operationName: string | undefined;
  path: string[] | undefined;
  explode: string[] | undefined;
  variables: Record<string, unknown>;
  /** Free text may be rewritten; trusted documents never are. */
  mayRewrite: boolean;
  maxTokens: number;
}

export type PlanOutcome = { kind: 'plan'; plan: ExportPlan } | { kind: 'invalid' };

const keyOf = (node: FieldNode) => node.alias?.value ?? node.name.value;

const mergedSet = (nodes: readonly FieldNode[]): SelectionSetNode => ({
  kind: Kind.SELECTION_SET,
  selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []),
});

/** A connection: `pageInfo` plus `nodes` or `edges`, paged by an `after` argument. */
function isConnection(field: ResolvedField): boolean {
  const fields = field.type.getFields?.() ?? {};
  return 'pageInfo' in fields && ('nodes' in fields || 'edges' in fields) && field.def.args.some((a) => a.name === 'after');
}

function byKey(walk: WalkContext, parent: NamedType, set: SelectionSetNode, key: string): ResolvedField[] {
  return resolvedFields(walk, parent, set).filter((f) => keyOf(f.node) === key);
}

function defaultPath(walk: WalkContext, root: NamedType, operation: OperationDefinitionNode): string[] {
  const keys = [...new Set(resolvedFields(walk, root, operation.selectionSet).filter(isConnection).map((f) => keyOf(f.node)))];
  if (keys.length === 1) return [keys[0] as string];
  if (keys.length === 0) throw badExportInput('The query has no connection at its root: name the one to export with "path", e.g. "app.devices".', { argument: 'path' });
  throw badExportInput(`The query has several connections: name the one to export with "path" (one of ${keys.join(', ')}).`, { argument: 'path' });
}

interface Located {
  fields: ResolvedField[];
  set: SelectionSetNode;
}

function locate(walk: WalkContext, root: NamedType, operation: OperationDefinitionNode, path: readonly string[]): Located {
  let parent = root;
  let set = operation.selectionSet;
  let found: ResolvedField[] = [];
  path.forEach((key, i) => {
    const named = path.slice(0, i + 1).join('.');
    found = byKey(walk, parent, set, key);
    const field = found[0];
    if (!field) throw badExportInput(`"${named}" is not a field of the query's result.`, { argument: 'path' });
    if (i < path.length - 1) {
      if (isList(field.def.type)) throw badExportInput(`"${named}" is a list: the path must reach the connection through single objects.`, { argument: 'path' });
      if (!field.node.selectionSet) throw badExportInput(`"${named}" has no fields.`, { argument: 'path' });
    }
    parent = field.type;
    set = mergedSet(found.map((f) => f.node));
  });
  const field = found[0] as ResolvedField;
  if (!isConnection(field)) throw badExportInput(`"${path.join('.')}" is not a connection (pageInfo with nodes or edges, paged by "after").`, { argument: 'path' });
  return { fields: found, set };
}

interface Analysis {
  keys: Partial<ConnectionKeys>;
  rowsSet: SelectionSetNode | undefined;
  rowType: NamedType | undefined;
}

/** Finds nodes (or edges { node }), pageInfo { hasNextPage endCursor } and totalCount in the connection's selection. */
function analyse(walk: WalkContext, connection: ResolvedField, set: SelectionSetNode): Analysis {
  const inner = resolvedFields(walk, connection.type, set);
  const named = (name: string) => inner.filter((f) => f.def.name === name);
  const keys: Partial<ConnectionKeys> = {};
  let rowsSet: SelectionSetNode | undefined;
  let rowType: NamedType | undefined;
  const nodes = named('nodes');
  const edges = named('edges');
  if (nodes[0]) {
    keys.rows = keyOf(nodes[0].node);
    rowsSet = mergedSet(nodes.filter((f) => keyOf(f.node) === keys.rows).map((f) => f.node));
    rowType = nodes[0].type;
  } else if (edges[0]) {
    const edgeSet = mergedSet(edges.filter((f) => keyOf(f.node) === keyOf(edges[0]!.node)).map((f) => f.node));
    const node = resolvedFields(walk, edges[0].type, edgeSet).find((f) => f.def.name === 'node');
    if (node) {
      keys.rows = keyOf(edges[0].node);
      keys.node = keyOf(node.node);
      rowsSet = edgeSet;
      rowType = node.type;
    }
  }
  for (const pageInfo of named('pageInfo')) {
    const sub = pageInfo.node.selectionSet ? fieldsOf(walk, pageInfo.node.selectionSet) : [];
    const hasNext = sub.find((n) => n.name.value === 'hasNextPage');
    const end = sub.find((n) => n.name.value === 'endCursor');
    if (hasNext && end) {
      Object.assign(keys, { pageInfo: keyOf(pageInfo.node), hasNextPage: keyOf(hasNext), endCursor: keyOf(end) });
      break;
    }
  }
  const total = named('totalCount')[0];
  if (total) keys.totalCount = keyOf(total.node);
  return { keys, rowsSet, rowType };
}

/** The columns of a row: a node's leaves, or an edge's with its node's unprefixed. */
function rowColumns(walk: WalkContext, keys: Partial<ConnectionKeys>, rowsSet: SelectionSetNode): Column[] {
  const columns = columnsOf(walk, rowsSet);
  if (!keys.node) return columns;
  const prefix = `${keys.node}.`;
  return columns.map((c) => (c.name.startsWith(prefix) ? { ...c, name: c.name.slice(prefix.length) } : c));
}

function explodePath(walk: WalkContext, rowType: NamedType, rowsSet: SelectionSetNode, keys: Partial<ConnectionKeys>, explode: readonly string[]): string[] {
  let parent = rowType;
  let set = keys.node ? mergedSet(fieldsOf(walk, rowsSet).filter((n) => keyOf(n) === keys.node)) : rowsSet;
  explode.forEach((key, i) => {
    const named = explode.slice(0, i + 1).join('.');
    const found = byKey(walk, parent, set, key);
    const field = found[0];
    if (!field) throw badExportInput(`"explode": "${named}" is not a field of the exported rows.`, { argument: 'explode' });
    const last = i === explode.length - 1;
    if (last !== isList(field.def.type)) {
      throw badExportInput(last ? `"explode": "${named}" is not a list.` : `"explode": "${named}" is a list; name the list to explode itself.`, { argument: 'explode' });
    }
    parent = field.type;
    set = mergedSet(found.map((f) => f.node));
  });
  return keys.node ? [keys.node, ...explode] : [...explode];
}

function chooseOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName === undefined) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((o) => o.name?.value === operationName);
}

export function planExport(input: PlanInput, rewritten = false): PlanOutcome {
  let document: DocumentNode;
  try {
    document = parse(input.text, { noLocation: true, maxTokens: input.maxTokens });
  } catch {
    return { kind: 'invalid' };
  }
  if (documentProblems(input.schema, input.text).length > 0) return { kind: 'invalid' };
  const operation = chooseOperation(document, input.operationName);
  if (!operation) return { kind: 'invalid' };
  if (operation.operation !== 'query') {
    throw badExportInput(`An export runs a query; this operation is a ${operation.operation}.`, { reason: 'EXPORT_NOT_A_QUERY' });
  }
  const root = input.schema.getQueryType() as unknown as NamedType;
  const walk = walkContext(document, operation, input.variables);
  const path = input.path ?? defaultPath(walk, root, operation);
  const { fields, set } = locate(walk, root, operation, path);
  const connection = fields[0] as ResolvedField;
  const { keys, rowsSet, rowType } = analyse(walk, connection, set);
  if (!keys.rows || !rowsSet || !rowType) {
    throw badExportInput(`Select the rows of "${path.join('.')}": its nodes (or edges { node }) with the fields to export.`, { argument: 'path' });
  }

  const argument = (arg: string) => connection.node.arguments?.find((a) => a.name.value === arg)?.value;
  const after = argument('after');
  if (after && after.kind !== Kind.VARIABLE) {
    throw badExportInput(`"after" of "${path.join('.')}" must be a variable (or left out of free text): the export sets it page by page.`, { argument: 'after' });
  }
  const hasFirst = connection.def.args.some((a) => a.name === 'first');
  const first = argument('first');
  const connectionType = connection.type.getFields?.() ?? {};
  const additions: Additions = {
    after: !after,
    first: hasFirst && !first,
    pageInfo: !keys.pageInfo,
    totalCount: !keys.totalCount && 'totalCount' in connectionType,
  };
  const needed = additions.after || additions.pageInfo || (input.mayRewrite && (additions.first || additions.totalCount));
  if (needed) {
    if (!input.mayRewrite || rewritten) {
      const missing = [additions.after ? '"after" from a variable' : '', additions.pageInfo ? 'pageInfo { hasNextPage endCursor }' : ''].filter(Boolean);
      throw badExportInput(`A registered document is exported as registered: its connection "${path.join('.')}" needs ${missing.join(' and ')}.`, { argument: 'path' });
    }
    const connectionKeys = new Set(fieldsOf(walk, set).map(keyOf));
    const text = addPaging(document, operation, fields.map((f) => f.node), additions, connectionKeys);
    return planExport({ ...input, text, operationName: operation.name?.value, path, mayRewrite: false }, true);
  }

  const afterVariable = (after as { name: { value: string } }).name.value;
  let firstVariable: string | undefined;
  let fixedFirst: number | undefined;
  if (first?.kind === Kind.VARIABLE) {
    firstVariable = first.name.value;
    const given = input.variables[firstVariable];
    if (typeof given === 'number') fixedFirst = given;
  } else if (hasFirst) {
    const value = connection.args.first;
    fixedFirst = typeof value === 'number' ? value : undefined;
  }
  const explode = input.explode ? explodePath(walk, rowType, rowsSet, keys, input.explode) : undefined;
  return {
    kind: 'plan',
    plan: {
      text: input.text,
      document,
      operation,
      operationName: operation.name?.value,
      path,
      keys: keys as ConnectionKeys,
      afterVariable,
      firstVariable,
      fixedFirst,
      columns: rowColumns(walk, keys, rowsSet),
      explode,
      rewritten,
    },
  };
}
