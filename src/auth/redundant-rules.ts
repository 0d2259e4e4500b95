/**
 * Which field rules are proven redundant by the schema's shape. Every rule of the permission layer
 * reads only the principal, so once a rule passed on a request it passes on every later field of
 * that request. A field's rule can therefore be skipped when every path from a root type to the
 * field's type already went through a field guarded by the same rule: a device's `friendlyName`
 * under `devices` (readInventory) needs no second readInventory check, per device and per field.
 * Fields whose rule is not implied by every path (`Device.imei`: readSensitiveIdentifiers, a type
 * reached from two roots with different rules) keep their wrapper; so do fallback (deny) fields.
 *
 * The analysis: G(T), the rules passed on every path to type T, is the greatest fixed point of
 * G(root) = `given` (what holds before execution) and G(T) = ∩ over fields P.f returning T of
 * (G(P) ∪ {rule(P.f)}). Abstract field types count as edges to each of their object types.
 */
import type { GraphQLNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';

// Types are told apart by their tag, not graphql's `is*Type` predicates: the schema may come from
// another instance of the graphql module than this file's (tests load both builds).
const tagOf = (type: unknown) => (type as { [Symbol.toStringTag]?: string })[Symbol.toStringTag];
const isObject = (type: unknown): type is GraphQLObjectType => tagOf(type) === 'GraphQLObjectType';
const isAbstract = (type: unknown) => tagOf(type) === 'GraphQLInterfaceType' || tagOf(type) === 'GraphQLUnionType';
function namedOf(type: unknown): GraphQLNamedType {
  let t = type as { ofType?: unknown };
  while (t.ofType) t = t.ofType as { ofType?: unknown };
  return t as GraphQLNamedType;
}

/**
 * The rule of a field; asked about one edge, `target` names the object type the edge leads to (a
 * field whose resolver checks a rule per returned type, like a subgraph's `_entities`, answers it).
 */
export type RuleOf<R> = (type: GraphQLObjectType, field: string, target?: string) => R;

export function guaranteedRules<R>(schema: GraphQLSchema, ruleOf: RuleOf<R>, given: ReadonlySet<R>): Map<string, Set<R> | 'all'> {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => !!t);
  const types = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObject(t) && !t.name.startsWith('__'));
  const guaranteed = new Map<string, Set<R> | 'all'>(types.map((t) => [t.name, 'all']));
  for (const root of roots) guaranteed.set(root.name, new Set(given));
  const edges: { from: GraphQLObjectType; field: string; to: string }[] = [];
  for (const type of types) {
    for (const [name, field] of Object.entries(type.getFields())) {
      const target = namedOf(field.type);
      const targets = isAbstract(target) ? schema.getPossibleTypes(target as never) : isObject(target) ? [target] : [];
      for (const to of targets) edges.push({ from: type, field: name, to: to.name });
    }
  }
  const rootNames = new Set(roots.map((r) => r.name));
  for (let changed = true; changed; ) {
    changed = false;
    for (const type of types) {
      if (rootNames.has(type.name)) continue;
      let meet = 'all' as Set<R> | 'all';
      for (const edge of edges) {
        if (edge.to !== type.name) continue;
        const before = guaranteed.get(edge.from.name)!;
        if (before === 'all') continue;
        const along = new Set(before).add(ruleOf(edge.from, edge.field, edge.to));
        meet = meet === 'all' ? along : new Set([...meet].filter((r) => along.has(r)));
      }
      const current = guaranteed.get(type.name)!;
      if (meet !== 'all' && (current === 'all' || meet.size !== current.size)) {
        guaranteed.set(type.name, meet);
        changed = true;
      }
    }
  }
  return guaranteed;
}

/** The fields (`Type.field`) whose rule every path to them already passed. */
export function redundantFields<R>(schema: GraphQLSchema, ruleOf: RuleOf<R>, given: ReadonlySet<R>, keep: (rule: R) => boolean): Set<string> {
  const guaranteed = guaranteedRules(schema, ruleOf, given);
  const redundant = new Set<string>();
  for (const [typeName, rules] of guaranteed) {
    if (rules === 'all') continue; // unreachable from any root: never executed, keep its wrappers
    const type = schema.getType(typeName) as GraphQLObjectType;
    for (const field of Object.keys(type.getFields())) {
      const rule = ruleOf(type, field);
      if (!keep(rule) && rules.has(rule)) redundant.add(`${typeName}.${field}`);
    }
  }
  return redundant;
}
