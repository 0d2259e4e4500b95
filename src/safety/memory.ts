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
 * each field, the result tree and the serialized response. A 500-device page with its user, group,
 * environment, tags and smart groups (about 6,000 objects and 21,000 values) peaked at about 10 MB
 * of live heap; it is estimated at about 11 MB.
 */
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { weighOperation, type FieldWeigher } from './cost.js';
import { isComposite, type WalkContext } from './walk.js';

export const OBJECT_BYTES = 1_024;
export const VALUE_BYTES = 256;
/** The context, loaders, parsed document and response of any request. */
export const REQUEST_BYTES = 64 * 1_024;

const memoryWeigher: FieldWeigher = (f) => ({ weight: isComposite(f.type) ? OBJECT_BYTES : VALUE_BYTES, argWeight: 0 });

/** Estimated peak heap bytes of one execution of `operation`. */
export function operationMemory(schema: GraphQLSchema, ctx: WalkContext, operation: OperationDefinitionNode, maxPageSize: number): number {
  return REQUEST_BYTES + weighOperation(schema, ctx, operation, maxPageSize, memoryWeigher);
}
