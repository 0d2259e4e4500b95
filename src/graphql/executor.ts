/**
 * The execution engine behind Apollo Server (`GRAPHQL_EXECUTOR`). `graphql-js` is graphql's own
 * `execute`; `jit` compiles each operation once with graphql-jit into plain JavaScript (no
 * per-field walk of the document, no argument objects built per field resolved: a 500-device
 * page resolves 7,500 fields) and keeps the compiled operations in a bounded LRU by document and
 * operation name. It is handed to Apollo through its gateway seam (`GatewayInterface`), so the
 * request pipeline (parsing, validation, every plugin, error formatting) is Apollo's either way,
 * and the resolvers are the same functions (graphql-shield's and Apollo's wrappers included: the
 * schema's resolvers are read when an operation is compiled, after Apollo has wrapped them).
 *
 * What graphql-jit cannot compile (it answers errors instead of a compiled operation) runs
 * through graphql-js, as does an operation the compiler throws on. Errors are graphql-jit's
 * `GraphQLError`s (instances of graphql's, from the module Node resolves for Apollo Server too) with
 * the message, path, locations, extensions and original error graphql-js gives them.
 */
import { execute, type DocumentNode, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { Lru } from '../safety/lru.js';

/** Compiled operations kept (a compiled operation is tens of KB of code and closures). */
const COMPILED_OPERATIONS = 200;

type Compiled = CompiledQuery | 'fallback';
type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;

/** An Apollo gateway that serves one fixed schema and executes it with graphql-jit. */
export function jitGateway(schema: GraphQLSchema, maxCompiled = COMPILED_OPERATIONS): GatewayInterface {
  const compiled = new Lru<Compiled>(maxCompiled);
  const compile = (document: DocumentNode, key: string, operationName: string | undefined): Compiled => {
    let outcome: Compiled;
    try {
      const result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
      outcome = isCompiledQuery(result) ? result : 'fallback';
    } catch {
      outcome = 'fallback';
    }
    compiled.set(key, outcome);
    return outcome;
  };
  const executor: GatewayExecutor = async (rc) => {
    const { document, request, context: contextValue } = rc;
    const operationName = request.operationName ?? undefined;
    const key = `${rc.queryHash}:${operationName ?? ''}`;
    const query = compiled.get(key) ?? compile(document, key, operationName);
    if (query === 'fallback') {
      return execute({ schema, document, contextValue, variableValues: request.variables, operationName });
    }
    return query.query(undefined, contextValue, request.variables ?? {});
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor };
    },
    async stop() {},
  };
}
