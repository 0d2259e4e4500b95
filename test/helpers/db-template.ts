/**
 * PGlite templates, so that no test runs `initdb` (seconds of CPU each time). `prepareTemplates`
 * (vitest's global setup) builds, once, an empty cluster and a migrated one, as `dumpDataDir`
 * tarballs and as a data directory; a test then starts from a copy: `templateDatabase()` for an
 * in-memory database, `seedDataDir(dir)` for a `DATA_DIR` that a child process or a CLI opens.
 * The templates are cached under node_modules/.cache, keyed by the PGlite version and the
 * migrations' source, so they are rebuilt exactly when either changes.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { createDatabase, IN_MEMORY, type StoreDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrations/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MIGRATIONS = join(ROOT, 'src', 'store', 'migrations');
/** The same settings the store opens PGlite with (src/store/database.ts). */
const CONF = ['shared_buffers=16MB', 'max_connections=5'];

export interface TemplatePaths {
  /** `dumpDataDir` of a cluster right after initdb (migration tests start from it). */
  emptyTar: string;
  /** `dumpDataDir` of a cluster with every migration applied. */
  migratedTar: string;
  /** The migrated cluster as a data directory (the `pglite/` folder of a DATA_DIR). */
  migratedDir: string;
}

/** Where the templates of this PGlite version and these migrations live. */
export function templatePaths(): TemplatePaths {
  const hash = createHash('sha256');
  hash.update(JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')).version as string);
  for (const file of readdirSync(MIGRATIONS).sort()) hash.update(file).update(readFileSync(join(MIGRATIONS, file)));
  const dir = join(ROOT, 'node_modules', '.cache', 'gateway-test-db', hash.digest('hex').slice(0, 16));
  return { emptyTar: join(dir, 'empty.tar'), migratedTar: join(dir, 'migrated.tar'), migratedDir: join(dir, 'migrated', 'pglite') };
}

/** Builds the templates unless they are cached (the one `initdb` of a run, and usually none). */
export async function prepareTemplates(): Promise<TemplatePaths> {
  const paths = templatePaths();
  if (existsSync(paths.migratedTar) && existsSync(paths.emptyTar) && existsSync(join(paths.migratedDir, 'PG_VERSION'))) return paths;
  const final = dirname(paths.migratedTar);
  const work = `${final}.${process.pid}.tmp`;
  rmSync(work, { recursive: true, force: true });
  const dir = join(work, 'migrated', 'pglite');
  mkdirSync(dir, { recursive: true });
  const fresh = await PGlite.create(dir, { postgresqlconf: CONF });
  writeFileSync(join(work, 'empty.tar'), Buffer.from(await (await fresh.dumpDataDir('none')).arrayBuffer()));
  await fresh.close();
  const store = await createDatabase({ dataDir: dirname(dir) });
  await migrateToLatest(store.db);
  await store.close();
  const migrated = await PGlite.create(dir, { postgresqlconf: CONF });
  writeFileSync(join(work, 'migrated.tar'), Buffer.from(await (await migrated.dumpDataDir('none')).arrayBuffer()));
  await migrated.close();
  // Another run may have finished first: either copy is as good.
  try {
    renameSync(work, final);
  } catch {
    rmSync(work, { recursive: true, force: true });
  }
  return paths;
}

const blobs = new Map<string, Blob>();
function blob(path: string): Blob {
  let found = blobs.get(path);
  if (!found) blobs.set(path, (found = new Blob([readFileSync(path)])));
  return found;
}

/** The templates, building them if this process runs outside the suite's global setup. */
async function paths(): Promise<TemplatePaths> {
  const known = templatePaths();
  return existsSync(known.migratedTar) ? known : prepareTemplates();
}

/** A new in-memory PGlite from a template: migrated (default) or an empty cluster. */
export async function templateDatabase({ migrated = true } = {}): Promise<StoreDatabase> {
  const p = await paths();
  return createDatabase({ dataDir: IN_MEMORY, template: blob(migrated ? p.migratedTar : p.emptyTar) });
}

/** Makes `dataDir` hold a migrated database (`${dataDir}/pglite`) that processes then open as theirs. */
export async function seedDataDir(dataDir: string): Promise<void> {
  const p = await paths();
  cpSync(p.migratedDir, join(dataDir, 'pglite'), { recursive: true });
}
