/**
 * Writes the printed schemas (committed, so breaking changes show in review): the direct graph to
 * docs/schema.graphql and the Apollo Federation subgraph SDL to docs/subgraph.graphql; with --check,
 * fails when a committed file is stale.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../src/graphql/type-defs.js';
import { printedSubgraphSchema } from '../src/subgraph/sdl.js';

const printed: [file: string, text: string][] = [
  ['docs/schema.graphql', printedSchema()],
  ['docs/subgraph.graphql', printedSubgraphSchema()],
];

let stale = false;
for (const [file, text] of printed) {
  const target = fileURLToPath(new URL(`../${file}`, import.meta.url));
  if (process.argv.includes('--check')) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current !== text) {
      console.error(`${file} is stale: run \`npm run codegen\` and commit the result.`);
      stale = true;
    } else {
      console.log(`${file} is current.`);
    }
  } else {
    writeFileSync(target, text);
  }
}
if (stale) process.exit(1);
