/**
 * How much heap one operation may hold at its peak, estimated before execution from its shape
 * with the cost walk (cost.ts): every object the result holds weighs OBJECT_BYTES and every leaf
 * value VALUE_BYTES, multiplied by the list sizes above it (`first`, `assumedSize`, or 10), plus a
 * fixed part per request. The request reserves the estimate against the process's memory budget
 * (memory-budget.ts) for as long as it runs.
 *
 * The weights come from measurement (`npm run bench:memory`, BENCHMARKS.md): they cover what the
 * request holds while it executes, not just its result: the upstream records behind each object
 * (UEM sends whole device records whatever was selected), the resolver promises and middleware of
 * each field, the result tree and the serialized response. Fitted on the two shapes measured
 * highest (at 2,000 and 50,000 devices): 500 devices with 17 fields (501 objects, 8,501 values)
 * held up to 4.6 MiB of live heap per request at its peak, and 500 devices with their user, group,
 * environment, tags and smart groups (6,001 objects, 21,001 values) up to 18.8 MiB; they are
 * estimated at 4.7 and 19.2 MiB.
 */
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { weighOperation, type FieldWeigher } from './cost.js';
import { isComposite, type WalkContext } from './walk.js';

export const OBJECT_BYTES = 1_664;
export const VALUE_BYTES = 480;
/** The context, loaders, parsed document and response of any request. */
export const REQUEST_BYTES = 64 * 1_024;

const memoryWeigher: FieldWeigher = (f) => ({ weight: isComposite(f.type) ? OBJECT_BYTES : VALUE_BYTES, argWeight: 0 });

/** Estimated peak heap bytes of one execution of `operation`. */
export function operationMemory(schema: GraphQLSchema, ctx: WalkContext, operation: OperationDefinitionNode, maxPageSize: number): number {
  return REQUEST_BYTES + weighOperation(schema, ctx, operation, maxPageSize, memoryWeigher);
}
