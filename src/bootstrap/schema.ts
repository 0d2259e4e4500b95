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

export function buildSchema(): GraphQLSchema {
  const schema = makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never });
  return applyMiddleware(schema, permissions());
}
