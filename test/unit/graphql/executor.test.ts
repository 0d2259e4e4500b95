/**
 * The jit executor (src/graphql/executor.ts) answers exactly as graphql-js does: the same data, and
 * the same errors (message, path, locations, extensions, original error) for a failed nullable
 * field, a null bubbling up to the nearest nullable parent, failures inside lists, abstract types,
 * fragments, directives and variables; what it cannot compile runs through graphql-js; compiled
 * operations are kept per document and operation name.
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type * as Graphql from 'graphql';
import type { ExecutionResult, GraphQLFieldResolver } from 'graphql';
import { jitGateway } from '../../../src/graphql/executor.js';

// graphql as Node resolves it, the module graphql-jit and Apollo Server use (and the gateway's
// schema is made of): the test runner would otherwise give this file graphql's ESM build, whose
// schema objects graphql-jit refuses as another module's.
const { buildSchema, execute, GraphQLError, GraphQLInterfaceType, GraphQLObjectType, parse } = createRequire(import.meta.url)('graphql') as typeof Graphql;

class Coded extends Error {
  readonly extensions = { code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem' };
}

/** The SDL with resolvers set on its fields (graphql's own module, as the gateway's schema is built). */
function executableSchema(typeDefs: string, resolvers: Record<string, Record<string, unknown>>) {
  const built = buildSchema(typeDefs);
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = built.getType(typeName);
    for (const [name, resolver] of Object.entries(fields)) {
      if (type instanceof GraphQLInterfaceType && name === '__resolveType') type.resolveType = resolver as never;
      else if (type instanceof GraphQLObjectType) type.getFields()[name]!.resolve = resolver as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return built;
}

const schema = executableSchema(
  /* GraphQL */ `
    interface Node { id: ID! }
    type Device implements Node { id: ID! name: String platform: Platform user: User broken: String brokenStrict: String! }
    type User implements Node { id: ID! email: String }
    enum Platform { APPLE ANDROID }
    type Connection { totalCount: Int! nodes: [Device!]! }
    type Query {
      devices(first: Int = 2, prefix: String): Connection
      strictDevices: [Device!]
      node(id: ID!): Node
      failing: String
      coded: String
      refused: String
      refusedLater: [String]
    }
  `,
  {
    Query: {
      devices: (_r: unknown, args: { first: number; prefix?: string }) => ({
        totalCount: 3,
        nodes: Array.from({ length: args.first }, (_x, i) => ({ id: i + 1, name: `${args.prefix ?? 'dev'}-${i + 1}`, platform: i % 2 ? 'ANDROID' : 'APPLE' })),
      }),
      strictDevices: () => [{ id: 1 }, { id: 2 }],
      node: (_r: unknown, { id }: { id: string }) => (id.startsWith('u') ? { __typename: 'User', id, email: `${id}@example.com` } : { __typename: 'Device', id, name: 'one' }),
      failing: () => {
        throw new Error('it failed');
      },
      refused: () => new GraphQLError('Not for you.', { extensions: { code: 'FORBIDDEN' } }),
      refusedLater: async () => Promise.resolve(new GraphQLError('Not for you either.', { extensions: { code: 'FORBIDDEN' } })),
      coded: async () => {
        throw new GraphQLError('UEM is unavailable.', { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
      },
    },
    Node: { __resolveType: (n: { __typename: string }) => n.__typename },
    Device: {
      user: async (d: { id: number }) => (d.id === 2 ? Promise.reject(new Coded('user lookup failed')) : { id: `u${d.id}`, email: null }),
      broken: () => {
        throw new Error('broken field');
      },
      brokenStrict: (d: { id: number }) => (d.id === 2 ? null : 'fine'),
    },
  },
);

const { executor } = await jitGateway(schema, { maxCompiled: 2 }).load({ apollo: {} });

/** Both engines on one operation; the answers as JSON (what a client sees) and the errors' original errors. */
async function both(query: string, variables?: Record<string, unknown>, operationName?: string) {
  const document = parse(query);
  const rc = { document, request: { query, variables, operationName }, context: {}, queryHash: query, operationName: operationName ?? null } as never;
  const jit = (await executor!(rc)) as ExecutionResult;
  const reference = await execute({ schema, document, variableValues: variables, operationName, contextValue: {} });
  return { jit, reference };
}

const asClientSees = (r: ExecutionResult) => JSON.parse(JSON.stringify(r)) as unknown;

const CASES: [string, string, Record<string, unknown>?, string?][] = [
  ['plain lists and enums', '{ devices(first: 3) { totalCount nodes { id name platform } } }'],
  ['variables and defaults', 'query ($n: Int, $p: String) { devices(first: $n, prefix: $p) { nodes { name } } }', { n: 2, p: 'x' }],
  ['a failed nullable field nulls itself with one error', '{ devices { nodes { id broken } } failing }'],
  ['an upstream error in a list keeps its extensions', '{ devices(first: 3) { nodes { id user { id } } } coded }'],
  ['a null in a non-null field bubbles to the nearest nullable parent', '{ strictDevices { id brokenStrict } devices { totalCount } }'],
  ['abstract types, fragments and __typename', '{ a: node(id: "u7") { __typename ... on User { email } } b: node(id: "9") { id ... D } } fragment D on Device { name }'],
  ['skip and include', 'query ($yes: Boolean!) { devices { nodes { id name @include(if: $yes) platform @skip(if: $yes) } } }', { yes: true }],
  ['a variable of the wrong type', 'query ($n: Int) { devices(first: $n) { totalCount } }', { n: 'many' }],
  ['a missing non-null variable', 'query ($id: ID!) { node(id: $id) { id } }', {}],
  ['two operations, one chosen', 'query A { failing } query B { devices { totalCount } }', undefined, 'B'],
  ['two operations, none chosen', 'query A { failing } query B { devices { totalCount } }'],
  ['an unknown operation name', '{ failing }', undefined, 'Nope'],
  ['a resolver that returns its error (as graphql-shield does)', '{ refused refusedLater devices { totalCount } }'],
];

describe('the jit executor', () => {
  it.each(CASES)('answers as graphql-js: %s', async (_name, query, variables, operationName) => {
    const { jit, reference } = await both(query, variables, operationName);
    expect(asClientSees(jit)).toEqual(asClientSees(reference));
    // What Apollo Server reads of each error: its original error, extensions (always an object), and
    // for an error of the request (no path: a variable that did not coerce) its nodes (a variable's
    // makes Apollo answer 400 BAD_USER_INPUT). Nothing reads a field error's nodes.
    const seen = (r: ExecutionResult) =>
      (r.errors ?? []).map((e) => [e.originalError?.constructor.name ?? null, e.originalError?.message ?? null, { ...e.extensions }, e.path ? 'field' : (e.nodes?.map((n) => n.kind) ?? null)]);
    expect(seen(jit)).toEqual(seen(reference));
    for (const e of jit.errors ?? []) expect(typeof e.extensions).toBe('object');
  });

  it('keeps compiled operations per document and operation name, within its bound', async () => {
    const query = 'query A { devices { totalCount } } query B { devices(first: 1) { nodes { id } } }';
    for (let round = 0; round < 3; round++) {
      for (const operationName of ['A', 'B']) {
        const { jit, reference } = await both(query, undefined, operationName);
        expect(jit).toEqual(reference);
      }
    }
  });
});
