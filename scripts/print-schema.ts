/**
 * Writes the printed schema to docs/schema.graphql (committed, so breaking changes show in review);
 * with --check, fails when the committed file is stale.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../src/graphql/type-defs.js';

const target = fileURLToPath(new URL('../docs/schema.graphql', import.meta.url));
const printed = printedSchema();

if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== printed) {
    console.error('docs/schema.graphql is stale: run `npm run codegen` and commit the result.');
    process.exit(1);
  }
  console.log('docs/schema.graphql is current.');
} else {
  writeFileSync(target, printed);
}
