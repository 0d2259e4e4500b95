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
 * through graphql-js, as does an operation the compiler throws on, and a request whose variables
 * do not coerce (graphql-js's errors for those are what Apollo turns into 400 BAD_USER_INPUT).
 * Field errors are rebuilt as graphql-js builds them (`asGraphQLError`).
 */
import { createRequire } from 'node:module';
import type * as Graphql from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { Lru } from '../safety/lru.js';

/** Compiled operations kept (a compiled operation is tens of KB of code and closures). */
const COMPILED_OPERATIONS = 200;

/**
 * graphql-js's `execute` from the module Node resolves for `graphql` (graphql-jit and Apollo Server
 * use that one): the same module an ESM import gets when Node runs the gateway, and the one whose
 * schema objects the gateway's schema is made of under a test runner that resolves `graphql` to its
 * ESM build for our own files.
 */
const { execute } = createRequire(import.meta.url)('graphql') as typeof Graphql;

type Compiled = CompiledQuery | 'fallback';
type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;

/**
 * The schema one request executes on, and its name: the same SDL as the served schema, with
 * resolvers that may differ (the permission layer without the wrappers the caller always passes:
 * src/bootstrap/schema.ts). Operations are compiled per variant.
 */
export type ExecutionSchema = (context: BaseContext) => { key: string; schema: GraphQLSchema };

/**
 * An Apollo gateway that serves one fixed schema and executes it with graphql-jit, on the schema
 * `executionSchema` picks for each request (the served one when omitted).
 */
export function jitGateway(schema: GraphQLSchema, options: { maxCompiled?: number; executionSchema?: ExecutionSchema } = {}): GatewayInterface {
  const compiled = new Lru<Compiled>(options.maxCompiled ?? COMPILED_OPERATIONS);
  const served = { key: '', schema };
  const executionSchema = options.executionSchema ?? (() => served);
  const compile = (schema: GraphQLSchema, document: DocumentNode, key: string, operationName: string | undefined): Compiled => {
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
    const { key: variant, schema } = executionSchema(contextValue);
    const key = `${variant}:${rc.queryHash}:${operationName ?? ''}`;
    const query = compiled.get(key) ?? compile(schema, document, key, operationName);
    if (query === 'fallback') {
      return execute({ schema, document, contextValue, variableValues: request.variables, operationName });
    }
    const result = await query.query(undefined, contextValue, request.variables ?? {});
    // No data: the variables did not coerce, nothing ran. graphql-js answers those errors as it
    // does (with the variable's node, which makes Apollo answer 400 BAD_USER_INPUT).
    if (!('data' in result)) return execute({ schema, document, contextValue, variableValues: request.variables, operationName });
    return result.errors?.length ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
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

/**
 * A field error as graphql-js makes it: graphql-jit builds its own (an instance of graphql's
 * `GraphQLError`, without `extensions` when the original error has none, which Apollo Server reads
 * unguarded). Rebuilt with the `GraphQLError` class jit's errors inherit from (the module Node
 * resolves for graphql-jit and Apollo Server alike): the message, path, locations and original
 * error kept (an Error with the message where jit has none), `extensions` the original's or empty,
 * as `locatedError` does.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const Upstream = (Object.getPrototypeOf(Object.getPrototypeOf(error)) as { constructor: typeof GraphQLError }).constructor;
  // graphql-jit's own errors (a null in a non-null field) have no original; graphql-js's have the Error it threw.
  const rebuilt = new Upstream(error.message, { path: error.path, originalError: error.originalError ?? new Error(error.message) });
  if (error.locations) Object.defineProperty(rebuilt, 'locations', { value: error.locations, enumerable: true, writable: true, configurable: true });
  return rebuilt;
}
