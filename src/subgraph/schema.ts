/**
 * The executable subgraph schema: the same SDL, resolvers and permission layer as the direct graph
 * (src/bootstrap/schema.ts), plus what Apollo Federation v2 asks of a subgraph — `_service { sdl }`
 * and `_entities` — from The Guild's `buildSubgraphSchema` (@graphql-tools/federation), the entity
 * reference resolvers of src/resolvers/entities/, and the federation fields' rules.
 *
 * Why this library: `@apollo/subgraph` up to 2.14 needs `@apollo/federation-internals` (Elastic
 * License 2.0), and 2.15 needs Node 22 (refused by `engine-strict` on Node 20); The Guild's
 * helper is MIT and runs on Node 18+. It was dropped from @graphql-tools/federation 3, so 2.2.x
 * is pinned; the swap to `@apollo/subgraph` on Node 22+ is this file alone (same
 * `__resolveReference` contract).
 */
import { buildSubgraphSchema } from '@graphql-tools/federation';
import { applyMiddleware, type IMiddleware } from 'graphql-middleware';
import type { GraphQLSchema } from 'graphql';
import { permissions } from '../auth/permissions.js';
import type { GraphQLContext } from '../context.js';
import { entityReferences } from '../resolvers/entities/entity-references.js';
import { resolvers } from '../resolvers/index.js';
import { printedSubgraphSchema, subgraphTypeDefs } from './sdl.js';

/**
 * The library answers an entity its reference resolver did not find with the representation itself
 * (graphql-tools federation 2.x, `buildSubgraphSchema`'s `_entities`), which would then resolve as a
 * hollow object. The federation spec, and `device(id)`, answer null: this maps those back.
 */
const entitiesAnswerNull: IMiddleware<unknown, GraphQLContext, unknown> = {
  Query: {
    _entities: async (resolve, root, args, ctx, info) => {
      const { representations } = args as { representations: unknown[] };
      const answers = (await resolve(root, args, ctx, info)) as unknown[];
      return answers.map((answer, i) => Promise.resolve(answer).then((value) => (value === representations[i] ? null : value)));
    },
  },
};

export function buildSubgraph(): GraphQLSchema {
  const sdl = printedSubgraphSchema();
  const schema = buildSubgraphSchema({
    typeDefs: subgraphTypeDefs(),
    resolvers: [...resolvers, entityReferences, { _Service: { sdl: () => sdl } }],
    // The library skips SDL validation by default; the subgraph schema is validated like the direct one.
    assumeValid: false,
    assumeValidSDL: false,
  } as Parameters<typeof buildSubgraphSchema>[0]);
  return applyMiddleware(schema, entitiesAnswerNull, permissions({ subgraph: true }));
}
