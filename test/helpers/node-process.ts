/**
 * How tests start the gateway's entry points as processes (`src/main.ts`, the CLIs, a test build
 * with fault hooks): the compiled JavaScript, `node --liftoff-only <file>`, one process that
 * receives its signals itself.
 *
 * - Compiled, not through the tsx loader: vitest's global setup brings `dist/` up to date (the
 *   `compile` step `npm start` runs: scripts/generate.mjs) and compiles the test entries below
 *   next to it, once per run; a child then loads plain modules (about a third less CPU per start).
 *   And one process: the tsx CLI would run the entry in a second process and relay signals to it,
 *   SIGKILLing it when it does not acknowledge within 30 ms, which a busy machine misses.
 * - `--liftoff-only`: V8 compiles PGlite's WebAssembly with its baseline compiler only, and never
 *   again with the optimizing one; a child lives for a few requests, so the optimized code would
 *   never pay back its compilation (half of a child's CPU). Production (`npm start`) keeps both.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Entries of the test tree that tests start as processes (compiled by `compileEntries`). */
const TEST_ENTRIES = ['test/integration/operations/crash-gateway.ts'];

const TEST_ENTRIES_DIR = join(ROOT, 'node_modules', '.cache', 'gateway-test-entries');

const CHILD_FLAGS = ['--liftoff-only'];

/** The compiled file of `entry` (a path relative to the repository root, as tests name it). */
function compiledEntry(entry: string): string {
  const posix = entry.replaceAll('\\', '/');
  if (posix.startsWith('src/')) return join(ROOT, 'dist', posix.slice('src/'.length).replace(/\.ts$/, '.js'));
  if (TEST_ENTRIES.includes(posix)) return join(TEST_ENTRIES_DIR, posix.replace(/\.ts$/, '.js'));
  throw new Error(`${entry} is not compiled for tests: add it to TEST_ENTRIES in test/helpers/node-process.ts`);
}

/** The command and arguments that run `entry` (relative to the repository root) with `args`. */
export function tsEntry(entry: string, args: readonly string[] = []): [string, string[]] {
  return [process.execPath, [...CHILD_FLAGS, compiledEntry(entry), ...args]];
}

/** The command and arguments of a store CLI (`npm run <name> -- …`): `src/cli/<name>.ts`. */
export const cliEntry = (name: 'documents' | 'keys' | 'audit' | 'doctor', args: readonly string[] = []): [string, string[]] => tsEntry(join('src', 'cli', `${name}.ts`), args);

/**
 * Vitest's global setup: `dist/` up to date with `src/` (nothing to do when it is), and the test
 * entries compiled into node_modules/.cache, their imports of `src/` pointed at `dist/`.
 */
export async function compileEntries(): Promise<void> {
  const compile = spawnSync(process.execPath, [join(ROOT, 'scripts', 'generate.mjs'), 'compile'], { cwd: ROOT, encoding: 'utf8' });
  if (compile.status !== 0) throw new Error(`compiling src/ into dist/ failed (exit ${compile.status ?? compile.signal}):\n${compile.stderr}`);
  const { build } = await import('esbuild');
  const src = join(ROOT, 'src');
  await build({
    absWorkingDir: ROOT,
    entryPoints: TEST_ENTRIES,
    outbase: ROOT,
    outdir: TEST_ENTRIES_DIR,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'src-from-dist',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const inSrc = relative(src, resolve(args.resolveDir, args.path));
            if (inSrc.startsWith('..')) return undefined;
            return { path: join(ROOT, 'dist', inSrc.replace(/\.ts$/, '.js')), external: true };
          });
        },
      },
    ],
  });
}
