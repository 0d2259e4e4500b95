/**
 * The executable schema: SDL from schema/*.graphql, the resolvers, and the permission layer
 * (graphql-shield, deny by default) applied around every field.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware } from 'graphql-middleware';
import type { GraphQLSchema } from 'graphql';
import { permissionProfile, permissions } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { loadTypeDefs } from '../graphql/type-defs.js';
import { resolvers } from '../resolvers/index.js';
import { Lru } from '../safety/lru.js';

let executable: GraphQLSchema | undefined;
let built: GraphQLSchema | undefined;

/** The schema with its resolvers and no permission layer: what every variant is made from. */
function executableSchema(): GraphQLSchema {
  executable ??= makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never });
  return executable;
}

/**
 * Built once per process: it depends on the code alone and nothing changes it once built (the
 * permission layer keeps its caches in each request's context), so the gateways a process starts
 * (the tests start dozens) and the CLIs share it instead of paying a fifth of a start each.
 */
export function buildSchema(): GraphQLSchema {
  built ??= applyMiddleware(executableSchema(), permissions());
  return built;
}

/**
 * Permission profiles whose schema is kept. There are as many profiles as distinct sets of
 * capabilities callers hold (a handful: the personas), each schema a few MB.
 */
const PROFILE_SCHEMAS = 16;
const byProfile = new Lru<GraphQLSchema>(PROFILE_SCHEMAS);

/**
 * The schema a principal's operations execute on: the permission layer without the wrappers of
 * the rules this principal passes (they could only let the resolver run), so a page of devices
 * with their users does not run a permission check, a promise and a resolver call for every field
 * of every user. The rules the principal fails keep their wrappers and answer as they always do.
 * `key` names the variant (operations are compiled per variant).
 */
export function schemaForPrincipal(principal: Principal): { key: string; schema: GraphQLSchema } {
  const profile = permissionProfile(principal);
  let schema = byProfile.get(profile.key);
  if (!schema) {
    schema = applyMiddleware(executableSchema(), permissions({ passing: profile.passing }));
    byProfile.set(profile.key, schema);
  }
  return { key: profile.key, schema };
}
