/**
 * The graph as an Apollo Federation v2 subgraph: the SDL of schema/*.graphql with the federation
 * additions applied here, so the direct schema (and docs/schema.graphql) never carries them.
 *
 * - Entities and their keys: what other teams' subgraphs can reference and extend.
 * - `@shareable` value types another subgraph is likely to define as well (`PageInfo`).
 * - The printed SDL (`_service { sdl }`, docs/subgraph.graphql) leaves out the gateway's own cost
 *   directives: they drive this gateway's limits, and a router has its own (federation's `@cost`
 *   takes an Int weight, ours IBM's string).
 */
import {
  buildASTSchema,
  concatAST,
  Kind,
  lexicographicSortSchema,
  parse,
  print,
  printSchema,
  visit,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
} from 'graphql';
import type { EntityTypeName } from '../auth/access/entities.js';
import { loadTypeDefs } from '../graphql/type-defs.js';

/** The federation version linked: 2.3 is composed by every current router (Apollo Router, Hive, Cosmo). */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.3';

/** Entity keys. A device is also found by serial number, where exactly one device has it. */
export const ENTITY_KEYS: Record<EntityTypeName, readonly string[]> = {
  Device: ['id', 'serialNumber'],
  UemUser: ['id'],
  HarmonyUser: ['email'],
  Person: ['email'],
};

const SHAREABLE = new Set(['PageInfo']);
const GATEWAY_DIRECTIVES = new Set(['cost', 'listSize']);

/** A fresh node each time: schema builders merge into the nodes they are given. */
const linkExtension = () => parse(`extend schema @link(url: "${FEDERATION_LINK}", import: ["@key", "@shareable"])`).definitions;

function directive(name: string, fields?: string): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: name },
    arguments: fields === undefined ? [] : [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: fields } }],
  };
}

/** `@key` on entity types and `@shareable` on value types, wherever the document defines them. */
function withFederation(document: DocumentNode): DocumentNode {
  return visit(document, {
    ObjectTypeDefinition(node) {
      const keys = ENTITY_KEYS[node.name.value as EntityTypeName] ?? [];
      const added = [...keys.map((k) => directive('key', k)), ...(SHAREABLE.has(node.name.value) ? [directive('shareable')] : [])];
      return added.length === 0 ? undefined : { ...node, directives: [...(node.directives ?? []), ...added] };
    },
  });
}

/** The type definitions the executable subgraph schema is built from (cost directives kept: the limits read them). */
export function subgraphTypeDefs(): DocumentNode[] {
  return [{ kind: Kind.DOCUMENT, definitions: linkExtension() }, ...loadTypeDefs().map(withFederation)];
}

/** The subgraph SDL a router composes: `_service { sdl }` and docs/subgraph.graphql (sorted like docs/schema.graphql). */
export function printedSubgraphSchema(): string {
  // Built with this module's graphql (not graphql-tools'), so sorting works in either module format.
  const printed = parse(printSchema(lexicographicSortSchema(buildASTSchema(concatAST(loadTypeDefs())))));
  const definitions: DefinitionNode[] = printed.definitions.filter(
    (d) => !(d.kind === Kind.DIRECTIVE_DEFINITION && GATEWAY_DIRECTIVES.has(d.name.value)),
  );
  const federated = withFederation({ kind: Kind.DOCUMENT, definitions });
  return `${print({ kind: Kind.DOCUMENT, definitions: [...linkExtension(), ...federated.definitions] })}\n`;
}
