/**
 * Writes the permission matrix into README.md between its markers; with --check, fails when the
 * README is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { matrixMarkdown } from '../src/auth/matrix-doc.js';
import { ENVIRONMENTS, HARMONY_PERSONAS, ROLES } from '../src/simulators/dataset/demo-org.js';

const START = '<!-- matrix:start (generated from src/auth/capabilities.ts by npm run codegen) -->';
const END = '<!-- matrix:end -->';
const readme = fileURLToPath(new URL('../README.md', import.meta.url));
const text = readFileSync(readme, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from < 0 || to < from) {
  console.error(`README.md has no matrix markers (${START} … ${END}).`);
  process.exit(1);
}
const table = matrixMarkdown({ environments: ENVIRONMENTS, roles: ROLES, personas: HARMONY_PERSONAS });
const next = `${text.slice(0, from + START.length)}\n${table}\n${text.slice(to)}`;
if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error('The permission matrix in README.md is stale: run `npm run codegen` and commit the result.');
    process.exit(1);
  }
  console.log('README.md permission matrix is current.');
} else if (next !== text) {
  writeFileSync(readme, next);
}
