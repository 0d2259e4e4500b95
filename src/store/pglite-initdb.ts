/**
 * A new embedded database directory is created (`initdb`) in a short-lived child process, then
 * renamed into place, and only then opened by the gateway.
 *
 * - Memory: `initdb` grows PGlite's WebAssembly memory to some 570 MB. Closed in the gateway's own
 *   process, that memory is released only when V8 next collects it, which at start-up may be much
 *   later: 2 of 12 first starts measured 620–630 MB resident (about 280 MB otherwise, 220 MB on
 *   every later start), and what it leaves in the C heap stays even after the collection (about
 *   120 MB in a process that only opens the directory). The child returns all of it when it exits.
 * - Atomicity: the child initializes a sibling directory (`pglite.init-<pid>`) that is renamed to
 *   `pglite` only when complete, so an interrupted first start leaves no half-made database
 *   behind; the next start removes the leftover and begins again.
 *
 * The gateway holds the data directory's lock throughout (data-dir-lock.ts): the child works on a
 * directory no other process opens, and the gateway waits for it.
 */
import { spawn } from 'node:child_process';
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How long a child may take to initialize a directory before it is stopped (a busy machine: tens of seconds). */
const INITDB_TIMEOUT_MS = 5 * 60_000;

/** The child: argv = PGlite's module URL, the directory, the settings (JSON); it exits once the directory is closed. */
const CHILD_SCRIPT = `
const [moduleUrl, dir, conf] = process.argv.slice(1);
try {
  const pglite = await import(moduleUrl);
  const PGlite = pglite.PGlite ?? pglite.default.PGlite;
  await (await PGlite.create(dir, { postgresqlconf: JSON.parse(conf) })).close();
  process.exit(0);
} catch (err) {
  process.stderr.write(String(err?.message ?? err));
  process.exit(1);
}
`;

const initPrefix = (dir: string) => `${basename(dir)}.init-`;

/**
 * Makes `dir` a new PGlite data directory with `conf` (its `postgresqlconf`). `dir` must not exist
 * (prepareDataDirectory in pglite-directory.ts sees to it).
 */
export async function initializePgliteDirectory(dir: string, conf: readonly string[]): Promise<void> {
  const parent = dirname(dir);
  for (const name of readdirSync(parent)) {
    if (name.startsWith(initPrefix(dir))) rmSync(join(parent, name), { recursive: true, force: true });
  }
  const work = join(parent, `${initPrefix(dir)}${process.pid}`);
  try {
    await runChild([pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href, work, JSON.stringify(conf)], dir);
    renameSync(work, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runChild(args: string[], dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-2_000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, INITDB_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start a process to create the embedded database: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = timedOut ? `did not finish within ${INITDB_TIMEOUT_MS / 1000} s` : `ended with ${signal ?? `exit code ${code}`}`;
      reject(new Error(`creating the embedded database in ${dir} ${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    });
  });
}
