/**
 * Tools for the failure-boundary rule (README, "Failure semantics"): a field whose resolver may
 * start a call of its own (an upstream through a loader or datasource, or the database) is a
 * boundary and must be nullable, and so must every root field.
 *
 * Which fields are boundaries is not kept in a list: it is what the resolvers do. `instrument`
 * wraps every field of an executable schema so that the context each resolver (and each
 * permission rule around it) receives records what it reaches; `everythingQuery` selects every
 * field reachable from `Query` once, so one execution runs every resolver. `contextResolvers` lists
 * the resolvers of the resolver map that can receive the context at all, which the walk must have
 * run (a resolver it cannot reach fails the coverage check instead of escaping it), and which must
 * all be nullable: a branch the walk's data did not take (a record loaded only when the parent
 * lacks it) is still a call the field may start.
 */
import {
  getNamedType,
  isEnumType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql/index.js';

/** What the context gives access to that is I/O: loaders, datasources, the database. */
const IO_CONTEXT_KEYS = new Set(['loaders', 'uem', 'harmony']);
const IO_SERVICE_KEYS = new Set(['uem', 'harmony', 'db', 'store']);
/** Services with both in-memory and database methods: a call that returns a promise is I/O. */
const MIXED_SERVICE_KEYS = new Set(['documents']);

export interface Instrumented {
  /** `Type.field` coordinates whose resolver ran. */
  ran: Set<string>;
  /** `Type.field` coordinates whose resolver (or permission rule) reached I/O through the context. */
  reachedIo: Set<string>;
}

const isThenable = (v: unknown): boolean => typeof (v as { then?: unknown } | null)?.then === 'function';

function recordingServices(services: object, onIo: () => void): object {
  return new Proxy(services, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return value;
      if (IO_SERVICE_KEYS.has(key)) onIo();
      if (MIXED_SERVICE_KEYS.has(key) && value && typeof value === 'object') {
        return new Proxy(value, {
          get(t, k, r) {
            const member: unknown = Reflect.get(t, k, r);
            if (typeof member !== 'function') return member;
            return (...args: unknown[]) => {
              const out: unknown = (member as (...a: unknown[]) => unknown).apply(t, args);
              if (isThenable(out)) onIo();
              return out;
            };
          },
        });
      }
      return value;
    },
  });
}

/** The context as one field's resolver sees it, recording I/O against the field's coordinate. */
function recordingContext(ctx: object, onIo: () => void): object {
  return new Proxy(ctx, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return value;
      if (IO_CONTEXT_KEYS.has(key)) onIo();
      if (key === 'services' && value && typeof value === 'object') return recordingServices(value, onIo);
      return value;
    },
  });
}

/** Wraps every field resolver of `schema` in place (use a schema built for the test). */
export function instrument(schema: GraphQLSchema): Instrumented {
  const ran = new Set<string>();
  const reachedIo = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      const coordinate = `${type.name}.${field.name}`;
      field.resolve = (parent, args, ctx: object, info) => {
        ran.add(coordinate);
        return resolve(parent, args, recordingContext(ctx, () => reachedIo.add(coordinate)), info);
      };
    }
  }
  return { ran, reachedIo };
}

type ResolverMap = Record<string, Record<string, unknown>>;

/**
 * Coordinates of the resolver map whose resolver can receive the context: it declares a third
 * parameter, or takes its parameters as a rest (length 0). A resolver that cannot (it reads its
 * parent and arguments only) completes its parent's record and may stay non-null.
 */
export function contextResolvers(maps: readonly ResolverMap[]): string[] {
  const out = new Set<string>();
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      for (const [name, fn] of Object.entries(fields)) {
        if (typeof fn === 'function' && (fn.length >= 3 || fn.length === 0)) out.add(`${type}.${name}`);
      }
    }
  }
  return [...out].sort();
}

/** Root fields (Query, Mutation, Subscription) that are non-null. */
export function nonNullRootFields(schema: GraphQLSchema): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  return roots.flatMap((root) =>
    root ? Object.values(root.getFields()).filter((f) => isNonNullType(f.type)).map((f) => `${root.name}.${f.name}`) : [],
  );
}

/** The coordinates among `coordinates` whose field is non-null. */
export function nonNullFields(schema: GraphQLSchema, coordinates: Iterable<string>): string[] {
  return [...coordinates]
    .filter((c) => {
      const [type, field] = c.split('.') as [string, string];
      const t = schema.getType(type);
      return isObjectType(t) && isNonNullType(t.getFields()[field]?.type);
    })
    .sort();
}

export interface EverythingOptions {
  /** The value of every slicing argument (`@listSize(slicingArguments:)`), kept small. */
  pageSize: number;
  /** A value for a required ID or String argument of the field (`Type.field`). */
  sample(field: string, argument: string): string;
}

interface Node {
  /** `name(args)` → its sub-selection (null for leaves). */
  fields: Map<string, Node | null>;
}

const slicingArguments = (field: GraphQLField<unknown, unknown>): string[] => {
  const listSize = field.astNode?.directives?.find((d) => d.name.value === 'listSize');
  const arg = listSize?.arguments?.find((a) => a.name.value === 'slicingArguments');
  return arg?.value.kind === 'ListValue' ? arg.value.values.flatMap((v) => (v.kind === 'StringValue' ? [v.value] : [])) : [];
};

const isRequired = (a: GraphQLArgument) => isNonNullType(a.type) && a.defaultValue === undefined;

function literal(type: GraphQLInputType, field: string, argument: string, options: EverythingOptions): string | undefined {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.name;
  if (!isScalarType(named)) return undefined;
  switch (named.name) {
    case 'ID':
    case 'String':
      return JSON.stringify(options.sample(field, argument));
    case 'Int':
      return '1';
    case 'Boolean':
      return 'true';
    default:
      return undefined;
  }
}

function argumentsOf(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, options: EverythingOptions): string {
  const slicing = new Set(slicingArguments(field));
  const parts: string[] = [];
  for (const a of field.args) {
    const value = slicing.has(a.name) ? String(options.pageSize) : isRequired(a) ? literal(a.type, `${parent.name}.${field.name}`, a.name, options) : undefined;
    if (value === undefined && isRequired(a)) throw new Error(`no sample value for ${parent.name}.${field.name}(${a.name})`);
    if (value !== undefined) parts.push(`${a.name}: ${value}`);
  }
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

/**
 * One query selecting every field reachable from `Query`, each object type's fields expanded once
 * (later occurrences select `__typename`), so every resolver runs at least once where data exists.
 * Types are expanded where they are reached first through the fewest fields with required
 * arguments (lists before lookups by id or email), then the shallowest.
 */
export function everythingQuery(schema: GraphQLSchema, options: EverythingOptions): string {
  const query = schema.getQueryType();
  if (!query) throw new Error('the schema has no Query type');
  const root: Node = { fields: new Map() };
  const queue: { type: GraphQLObjectType; node: Node; penalty: number; depth: number }[] = [{ type: query, node: root, penalty: 0, depth: 0 }];
  const expanded = new Set<string>();
  while (queue.length > 0) {
    queue.sort((a, b) => a.penalty - b.penalty || a.depth - b.depth);
    const { type, node, penalty, depth } = queue.shift()!;
    if (expanded.has(type.name)) {
      node.fields.set('__typename', null);
      continue;
    }
    expanded.add(type.name);
    for (const field of Object.values(type.getFields())) {
      const key = `${field.name}${argumentsOf(type, field, options)}`;
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        node.fields.set(key, null);
      } else if (isObjectType(named)) {
        const child: Node = { fields: new Map() };
        node.fields.set(key, child);
        queue.push({ type: named, node: child, penalty: penalty + (field.args.some(isRequired) ? 1 : 0), depth: depth + 1 });
      } else {
        node.fields.set(`${key} { __typename }`, null);
      }
    }
  }
  const print = (node: Node): string =>
    `{ ${[...node.fields].map(([key, child]) => (child ? `${key} ${print(child)}` : key)).join(' ')} }`;
  return print(root);
}
