/**
 * The schema walk: every field of every object type reachable from Query and Mutation has an
 * explicit rule in the shield's rule tree (a type rule, its own field rule, or the type's `'*'`),
 * so nothing leans on the fallback deny by accident and nothing is open by omission; the rule tree
 * names no type or field the schema lacks. And the SDL is documentation (docs/contributing.md habit 12): every type,
 * field, argument, input field and enum value has a description.
 *
 * The subgraph schema (src/subgraph/) is held to the same: its federation fields have rules too.
 *
 * Types are inspected by shape, not with graphql's `is*Type` predicates: the executable schema may
 * come from another instance of the graphql module than this file's.
 */
import { describe, expect, it } from 'vitest';
import { ruleTree, subgraphTree } from '../../../src/auth/permissions.js';
import { buildSchema } from '../../../src/bootstrap/schema.js';
import { buildSubgraph } from '../../../src/subgraph/schema.js';

interface Field {
  name: string;
  description?: string | null;
  type: unknown;
  args?: readonly { name: string; description?: string | null }[];
}
interface NamedType {
  name: string;
  description?: string | null;
  getFields?: () => Record<string, Field>;
  getValues?: () => readonly { name: string; description?: string | null }[];
  getTypes?: () => readonly NamedType[];
  getInterfaces?: () => readonly NamedType[];
  /** Present on input object types only. */
  isOneOf?: boolean;
}

type Schema = ReturnType<typeof buildSchema>;
const schema = buildSchema();
const typeMapOf = (s: Schema) => s.getTypeMap() as unknown as Record<string, NamedType>;
const typeMap = typeMapOf(schema);
const isInput = (t: NamedType) => t.isOneOf !== undefined;
const isObjectLike = (t: NamedType) => typeof t.getFields === 'function' && !isInput(t);

/** Object types reachable from the roots (through fields, unions and interfaces). */
function reachableObjectTypes(schema: Schema): NamedType[] {
  const typeMap = typeMapOf(schema);
  const namedOf = (type: unknown): NamedType => typeMap[String(type).replace(/[[\]!]/g, '')]!;
  const roots = [schema.getQueryType(), schema.getMutationType()].filter(Boolean) as unknown as NamedType[];
  const seen = new Map<string, NamedType>();
  const queue = [...roots];
  while (queue.length > 0) {
    const type = queue.pop()!;
    if (seen.has(type.name) || type.name.startsWith('__')) continue;
    if (type.getTypes) {
      queue.push(...type.getTypes());
      continue;
    }
    if (!isObjectLike(type)) continue;
    seen.set(type.name, type);
    for (const field of Object.values(type.getFields!())) queue.push(namedOf(field.type));
  }
  return [...seen.values()];
}

type Rules = Record<string, unknown>;
/** A type-level rule is a rule object; a field map is a plain object of rules. */
const isFieldMap = (entry: unknown): entry is Rules => entry !== null && typeof entry === 'object' && Object.getPrototypeOf(entry) === Object.prototype;

describe.each([
  ['the direct graph', schema, ruleTree],
  ['the subgraph', buildSubgraph(), subgraphTree],
])('shield coverage of %s', (_name, schema, rules) => {
  const tree = rules as unknown as Record<string, Rules | object>;
  const typeMap = typeMapOf(schema);
  const types = reachableObjectTypes(schema);

  it('reaches the whole graph', () => {
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['Query', 'Mutation', 'Device', 'HarmonyUser', 'Viewer']));
  });

  it('has an explicit rule for every field of every reachable object type', () => {
    const missing: string[] = [];
    for (const type of types) {
      const entry = tree[type.name];
      if (entry === undefined) {
        missing.push(`${type.name} (no entry at all)`);
        continue;
      }
      if (!isFieldMap(entry)) continue; // a type rule covers every field
      for (const field of Object.keys(type.getFields!())) {
        if (entry[field] === undefined && entry['*'] === undefined) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing, 'fields that fall to the fallback deny without a rule of their own').toEqual([]);
  });

  it('names no type or field the schema lacks', () => {
    const stale: string[] = [];
    for (const [typeName, entry] of Object.entries(tree)) {
      const type = typeMap[typeName];
      if (!type || !isObjectLike(type)) {
        stale.push(typeName);
        continue;
      }
      if (!isFieldMap(entry)) continue;
      const fields = type.getFields!();
      for (const field of Object.keys(entry)) if (field !== '*' && !fields[field]) stale.push(`${typeName}.${field}`);
    }
    expect(stale).toEqual([]);
  });
});

describe('the SDL is documentation', () => {
  const blank = (d: string | null | undefined) => !d || d.trim() === '';

  it('describes every type, field, argument, input field and enum value', () => {
    const undocumented: string[] = [];
    for (const type of Object.values(typeMap)) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (blank(type.description)) undocumented.push(type.name);
      if (type.getFields) {
        for (const field of Object.values(type.getFields())) {
          if (blank(field.description)) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of field.args ?? []) if (blank(arg.description)) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      for (const value of type.getValues?.() ?? []) if (blank(value.description)) undocumented.push(`${type.name}.${value.name}`);
    }
    expect(undocumented).toEqual([]);
  });
});
