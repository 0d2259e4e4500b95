/**
 * The SDL of schema/*.graphql, read once, in a stable order (base.graphql first).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lexicographicSortSchema, parse, printSchema, type DocumentNode } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';

const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));

export function loadTypeDefs(): DocumentNode[] {
  const files = readdirSync(schemaDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return files.map((f) => parse(readFileSync(schemaDir + f, 'utf8')));
}

/** The schema as printed into docs/schema.graphql: sorted, so file order never changes it. */
export function printedSchema(): string {
  const schema = makeExecutableSchema({ typeDefs: loadTypeDefs() });
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
