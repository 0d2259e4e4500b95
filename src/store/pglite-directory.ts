/**
 * The embedded database's data directory before PGlite opens it.
 *
 * - Across PGlite upgrades: PostgreSQL does not open a data directory written by another major
 *   version, and PGlite then fails with an opaque "failed to initialize". So the directory's
 *   `PG_VERSION` is read first: a directory of another major is refused with what to do, or, in demo
 *   mode (nothing in it that the demo cannot recreate), moved aside so the gateway starts on a fresh
 *   one.
 * - Half-made: a directory without `PG_VERSION` is no database. Versions that ran `initdb` in place
 *   could leave one when stopped half-way: moved aside if it holds anything (nothing is deleted),
 *   removed if empty, so that a new one (pglite-initdb.ts) can be renamed into its place.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { IncompatibleDatabaseError } from './errors.js';

/** The PostgreSQL major that the installed PGlite embeds (a test checks it against a new directory). */
export const PGLITE_POSTGRES_MAJOR = '18';

export type IncompatibleDirectory = 'refuse' | 'move-aside';

/** Why a directory was moved aside. */
export type MovedAside = { path: string; reason: 'other-major' | 'incomplete' };

/**
 * Checks `dir` before PGlite opens it. Returns where it was moved when it was of another major
 * (`onIncompatible` is `move-aside`; IncompatibleDatabaseError when `refuse`) or half-made. On
 * return, `dir` either holds a database of this major or does not exist.
 */
export function prepareDataDirectory(dir: string, onIncompatible: IncompatibleDirectory, now = new Date()): MovedAside | undefined {
  const versionFile = join(dir, 'PG_VERSION');
  if (!existsSync(versionFile)) {
    if (!existsSync(dir)) return undefined;
    if (readdirSync(dir).length === 0) return void rmdirSync(dir);
    return { path: moveAside(dir, 'incomplete', now), reason: 'incomplete' };
  }
  const found = readFileSync(versionFile, 'utf8').trim();
  if (found === PGLITE_POSTGRES_MAJOR) return undefined;
  if (onIncompatible === 'refuse') throw new IncompatibleDatabaseError(dir, found, PGLITE_POSTGRES_MAJOR);
  return { path: moveAside(dir, `pg${found}`, now), reason: 'other-major' };
}

/** Renames `dir` to `<dir>-<label>-<time>` and returns that path. */
function moveAside(dir: string, label: string, now: Date): string {
  const path = `${dir}-${label}-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dir, path);
  return path;
}
