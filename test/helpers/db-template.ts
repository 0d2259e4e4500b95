/**
 * PGlite templates, so that no test runs `initdb` (seconds of CPU each time). `prepareTemplates`
 * (vitest's global setup) builds, once, a fresh cluster and a migrated one as data directories; a
 * test copies one into the `DATA_DIR` it starts a gateway, a CLI or a store on (`seedDataDir`), and
 * the code under test opens it as any existing database: the production path, unchanged.
 * The templates are cached under node_modules/.cache, keyed by the PGlite version and the
 * migrations' source, so they are rebuilt exactly when either changes.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { createDatabase, type StoreDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MIGRATIONS = join(ROOT, 'src', 'store', 'migrations');

/** Where the templates of this PGlite version and these migrations live (each a `DATA_DIR`). */
export function templateDirs(): { fresh: string; migrated: string } {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  for (const file of readdirSync(MIGRATIONS).sort()) hash.update(file).update(readFileSync(join(MIGRATIONS, file)));
  const dir = join(ROOT, 'node_modules', '.cache', 'gateway-test-db', hash.digest('hex').slice(0, 16));
  return { fresh: join(dir, 'fresh'), migrated: join(dir, 'migrated') };
}

/** The run's temporary folder (global-setup.ts removes it at the end), or the system's. */
export const scratchDir = (): string => inject('scratchDir') ?? tmpdir();

const ready = (dataDir: string) => existsSync(join(dataDir, 'pglite', 'PG_VERSION'));

/** Builds the templates unless they are cached: the one `initdb` of a run, and usually none. */
export async function prepareTemplates(): Promise<void> {
  const dirs = templateDirs();
  if (ready(dirs.fresh) && ready(dirs.migrated)) return;
  const root = dirname(dirs.fresh);
  const work = `${root}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // createDatabase initializes a new directory (initdb), then opens it.
  await (await createDatabase({ dataDir: join(work, 'fresh') })).close();
  copyTree(join(work, 'fresh'), join(work, 'migrated'));
  const store = await createDatabase({ dataDir: join(work, 'migrated') });
  await migrateToLatest(store.db);
  await store.close();
  // Another run may have finished first: either copy is as good.
  try {
    renameSync(work, root);
  } catch {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Makes `dataDir` hold a database (`${dataDir}/pglite`), migrated unless asked for a fresh
 * cluster, that gateways, CLIs and stores then open as theirs.
 */
export function seedDataDir(dataDir: string, { migrated = true } = {}): void {
  const dirs = templateDirs();
  if (!ready(dirs.migrated) || !ready(dirs.fresh)) throw new Error('no database templates: vitest\'s global setup (test/helpers/global-setup.ts) builds them');
  writeImage(templateImage(join(migrated ? dirs.migrated : dirs.fresh, 'pglite')), join(dataDir, 'pglite'));
}

/** A template held in memory: its folders, and each file's size and content up to where only zeros follow. */
interface TemplateImage {
  dirs: string[];
  files: { path: string; size: number; head: Buffer }[];
}

const images = new Map<string, TemplateImage>();

/** The template at `root`, read once per process (templates never change once built). */
function templateImage(root: string): TemplateImage {
  let image = images.get(root);
  if (!image) {
    const found: TemplateImage = { dirs: [], files: [] };
    const walk = (dir: string) => {
      found.dirs.push(dir);
      for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else {
          const content = readFileSync(join(root, path));
          let end = content.length;
          while (end > 0 && content[end - 1] === 0) end--;
          found.files.push({ path, size: content.length, head: content.subarray(0, end) });
        }
      }
    };
    walk('');
    images.set(root, (image = found));
  }
  return image;
}

/**
 * Writes a template's copy from memory: each file's content up to its zero tail, then extended to
 * its size (a hole, read back as zeros: the same bytes for PostgreSQL). A quarter of a template is
 * such tails (most of the 16 MB WAL segment), and writing from memory skips reading the template:
 * half the CPU of copying the files, for some 150 copies a run.
 */
function writeImage(image: TemplateImage, to: string): void {
  for (const dir of image.dirs) mkdirSync(join(to, dir), { recursive: true });
  for (const file of image.files) {
    const fd = openSync(join(to, file.path), 'w');
    try {
      for (let written = 0; written < file.head.length; ) written += writeSync(fd, file.head, written);
      if (file.head.length < file.size) ftruncateSync(fd, file.size);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * A plain recursive copy (directories and regular files only, which is all a data directory
 * holds): about half the CPU of `cpSync`, which checks every entry several times over its
 * thousand files. Builds the migrated template from the fresh one.
 */
function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copyTree(join(from, entry.name), join(to, entry.name));
    else copyFileSync(join(from, entry.name), join(to, entry.name));
  }
}

/** A new temporary DATA_DIR holding a copy of the migrated template (for processes and CLIs). */
export function seededDataDir(prefix = 'gateway-data-'): string {
  const dataDir = mkdtempSync(join(scratchDir(), prefix));
  seedDataDir(dataDir);
  return dataDir;
}

/** A store on a new copy of a template, in a temporary directory that `close()` removes. */
export async function templateDatabase({ migrated = true } = {}): Promise<StoreDatabase> {
  const dataDir = mkdtempSync(join(scratchDir(), 'store-test-'));
  seedDataDir(dataDir, { migrated });
  const store = await createDatabase({ dataDir });
  return {
    ...store,
    close: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
