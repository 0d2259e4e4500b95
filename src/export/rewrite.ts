/**
 * Completes free text for an export (plan.ts): `after` and `first` from new variables
 * (`$exportAfter`, `$exportFirst`, renamed around the caller's own), and `pageInfo { hasNextPage
 * endCursor }` and `totalCount` under aliases the selection does not use yet. Registered
 * documents are never rewritten.
 */
import { Kind, parse, print, visit, type ArgumentNode, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionNode, type VariableDefinitionNode } from 'graphql';

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;

const variableArgument = (arg: string, variable: string): ArgumentNode => ({
  kind: Kind.ARGUMENT,
  name: name(arg),
  value: { kind: Kind.VARIABLE, name: name(variable) },
});

const variableDefinition = (variable: string, type: string): VariableDefinitionNode => ({
  kind: Kind.VARIABLE_DEFINITION,
  variable: { kind: Kind.VARIABLE, name: name(variable) },
  type: { kind: Kind.NAMED_TYPE, name: name(type) },
});

function unused(wanted: string, taken: ReadonlySet<string>): string {
  let candidate = wanted;
  for (let i = 2; taken.has(candidate); i++) candidate = `${wanted}${i}`;
  return candidate;
}

/** What the connection lacks. */
export interface Additions {
  after: boolean;
  first: boolean;
  pageInfo: boolean;
  totalCount: boolean;
}

/**
 * The text with the paging added: the variables on the operation, the arguments on every node of
 * the connection field (merged fields must agree), the fields on the first; other operations dropped.
 */
export function addPaging(document: DocumentNode, operation: OperationDefinitionNode, targets: readonly FieldNode[], add: Additions, connectionKeys: ReadonlySet<string>): string {
  const variables = new Set((operation.variableDefinitions ?? []).map((d) => d.variable.name.value));
  const afterVar = unused('exportAfter', variables);
  const firstVar = unused('exportFirst', new Set([...variables, afterVar]));
  const definitions: VariableDefinitionNode[] = [];
  const args: ArgumentNode[] = [];
  if (add.after) {
    definitions.push(variableDefinition(afterVar, 'String'));
    args.push(variableArgument('after', afterVar));
  }
  if (add.first) {
    definitions.push(variableDefinition(firstVar, 'Int'));
    args.push(variableArgument('first', firstVar));
  }
  const extra: string[] = [];
  if (add.pageInfo) extra.push(`${unused('exportPageInfo', connectionKeys)}: pageInfo { hasNextPage endCursor }`);
  if (add.totalCount) extra.push(`${unused('exportTotalCount', connectionKeys)}: totalCount`);
  const selections: readonly SelectionNode[] = extra.length
    ? (parse(`{ ${extra.join(' ')} }`, { noLocation: true }).definitions[0] as OperationDefinitionNode).selectionSet.selections
    : [];
  const targetSet = new Set(targets);
  const edited = visit(document, {
    OperationDefinition(node) {
      if (node !== operation) return null;
      return { ...node, variableDefinitions: [...(node.variableDefinitions ?? []), ...definitions] };
    },
    Field(node) {
      if (!targetSet.has(node)) return undefined;
      const first = node === targets[0];
      return {
        ...node,
        arguments: [...(node.arguments ?? []), ...args],
        selectionSet: node.selectionSet && first ? { ...node.selectionSet, selections: [...node.selectionSet.selections, ...selections] } : node.selectionSet,
      };
    },
  });
  return print(edited);
}
