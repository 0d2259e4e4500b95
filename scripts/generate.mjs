// @ts-check
/**
 * Brings generated files up to date, each step only when its inputs changed (a sha256 of the
 * input files, kept next to the output), so `npm start` and `npm test` do not pay for codegen or
 * the IDE bundle on every run:
 *
 *   codegen  resolver types (src/__generated__/), docs/schema.graphql, the README permission matrix
 *   ide      the browser IDE bundle (dist/ide/, scripts/build-ide.mjs)
 *   compile  src/ transpiled to dist/ (what `npm start` runs; no type check: `npm run typecheck`)
 *
 * Usage: node scripts/generate.mjs [--force] <step>…   (`npm run codegen` always regenerates.)
 * Plain JavaScript on purpose: it runs before every start with nothing else to load.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = (/** @type {string} */ path) => join(root, path);

/**
 * @typedef {{ inputs: string[], outputs: string[], stamp: string, run: () => Promise<void> | void }} Step
 * inputs: files or folders (read recursively) whose content decides; outputs: files that must exist.
 */

/** @type {Record<string, Step>} */
const STEPS = {
  codegen: {
    // What graphql-codegen, scripts/print-schema.ts and scripts/print-matrix.ts read.
    inputs: ['schema', 'codegen.ts', 'scripts/print-schema.ts', 'scripts/print-matrix.ts', 'src/graphql', 'src/auth', 'src/simulators/dataset', 'package-lock.json'],
    outputs: ['src/__generated__/resolvers-types.ts', 'docs/schema.graphql'],
    stamp: 'src/__generated__/.inputs.sha256',
    run: () => npm(['run', '--silent', 'codegen:generate']),
  },
  ide: {
    inputs: ['ide', 'scripts/build-ide.mjs', 'package-lock.json'],
    outputs: ['dist/ide/manifest.json'],
    stamp: 'dist/ide/.inputs.sha256',
    run: async () => {
      const { buildIde } = await import('./build-ide.mjs');
      await buildIde(root, at('dist/ide'));
    },
  },
  compile: {
    inputs: ['src', 'tsconfig.json', 'package-lock.json'],
    outputs: ['dist/main.js'],
    stamp: 'dist/.inputs.sha256',
    run: compile,
  },
};

/** The files under `path` (recursively), sorted. */
function filesOf(/** @type {string} */ path) {
  const full = at(path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !file.includes('__generated__'))
    .sort();
}

/** sha256 over the names and contents of the step's inputs, and the contents of its outputs. */
function digest(/** @type {Step} */ step) {
  const hash = createHash('sha256');
  for (const file of step.inputs.flatMap(filesOf)) hash.update(`${file}\0`).update(readFileSync(at(file))).update('\0');
  for (const file of step.outputs) hash.update(`${file}\0`).update(readFileSync(at(file))).update('\0');
  return hash.digest('hex');
}

function current(/** @type {Step} */ step) {
  if (!step.outputs.every((file) => existsSync(at(file))) || !existsSync(at(step.stamp))) return false;
  return readFileSync(at(step.stamp), 'utf8').trim() === digest(step);
}

function npm(/** @type {string[]} */ args) {
  const run = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);
}

/** src/**\/*.ts → dist/**\/*.js, one module per file (the layout `tsc -p tsconfig.build.json` writes). */
async function compile() {
  const { build } = await import('esbuild');
  const entryPoints = filesOf('src').filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  await build({
    absWorkingDir: root,
    entryPoints,
    outbase: 'src',
    outdir: 'dist',
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
  });
}

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const names = args.filter((a) => a !== '--force');
  const unknown = names.filter((n) => !(n in STEPS));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`usage: node scripts/generate.mjs [--force] <${Object.keys(STEPS).join('|')}>…${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    process.exit(2);
  }
  for (const name of names) {
    const step = /** @type {Step} */ (STEPS[name]);
    if (!force && current(step)) continue;
    const started = Date.now();
    await step.run();
    writeFileSync(at(step.stamp), `${digest(step)}\n`);
    console.error(`generate: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
