/**
 * The executable schema: SDL from schema/*.graphql, the resolvers, and the permission layer
 * (graphql-shield, deny by default) applied around every field.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware } from 'graphql-middleware';
import type { GraphQLSchema } from 'graphql';
import { permissions } from '../auth/permissions.js';
import { loadTypeDefs } from '../graphql/type-defs.js';
import { resolvers } from '../resolvers/index.js';

let built: GraphQLSchema | undefined;

/**
 * Built once per process: it depends on the code alone and nothing changes it once built (the
 * permission layer keeps its caches in each request's context), so the gateways a process starts
 * (the tests start dozens) and the CLIs share it instead of paying a fifth of a start each.
 */
export function buildSchema(): GraphQLSchema {
  built ??= applyMiddleware(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never }), permissions());
  return built;
}
