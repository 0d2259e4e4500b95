// @ts-check
/**
 * Bundles the browser IDE (ide/: GraphiQL, React, Monaco and its workers) into dist/ide/ with
 * esbuild: content-hashed file names listed in manifest.json, each script and style sheet also
 * precompressed (brotli, gzip). The gateway serves these files; nothing comes from a CDN.
 *
 * Plain JavaScript on purpose: it runs before `npm start` through scripts/generate.mjs, with no
 * TypeScript loader to start.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Entry name → module (the workers are those GraphiQL's Vite and webpack set-ups load). */
const ENTRIES = {
  graphiql: 'ide/main.tsx',
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

/**
 * @param {string} root the repository
 * @param {string} outDir where the bundle goes (replaced)
 * @returns {Promise<Record<string, string>>} the manifest: `graphiql.js`, `graphiql.css`, `<name>.worker.js` → file name
 */
export async function buildIde(root, outDir) {
  const { build } = await import('esbuild');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: outDir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome111', 'edge111', 'firefox111', 'safari16.4'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
    legalComments: 'linked',
    metafile: true,
    logLevel: 'error',
  });
  /** @type {Record<string, string>} */
  const manifest = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const entry = Object.entries(ENTRIES).find(([, source]) => output.entryPoint?.endsWith(source.replace(/^ide\//, 'ide/')))?.[0];
    if (entry) manifest[`${entry}.js`] = basename(file);
    if (output.cssBundle && entry) manifest[`${entry}.css`] = basename(output.cssBundle);
  }
  for (const name of ['graphiql.js', 'graphiql.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
    if (!manifest[name]) throw new Error(`build-ide: no output for ${name}`);
  }
  for (const file of Object.values(manifest)) {
    const body = readFileSync(join(outDir, file));
    writeFileSync(join(outDir, `${file}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
    writeFileSync(join(outDir, `${file}.gz`), gzipSync(body, { level: 9 }));
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
