/**
 * The embedded database's data directory across PGlite upgrades. PostgreSQL does not open a data
 * directory written by another major version, and PGlite then fails with an opaque "failed to
 * initialize". So the directory's `PG_VERSION` is read first: a directory of another major is
 * refused with what to do, or, in demo mode (nothing in it that the demo cannot recreate), moved
 * aside so the gateway starts on a fresh one.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { IncompatibleDatabaseError } from './errors.js';

/** The PostgreSQL major that the installed PGlite embeds (a test checks it against a new directory). */
export const PGLITE_POSTGRES_MAJOR = '18';

export type IncompatibleDirectory = 'refuse' | 'move-aside';

/**
 * Checks `dir` before PGlite opens it. Returns the path it was moved to when `onIncompatible` is
 * `move-aside` and the directory was of another major; throws IncompatibleDatabaseError when `refuse`.
 */
export function prepareDataDirectory(dir: string, onIncompatible: IncompatibleDirectory, now = new Date()): string | undefined {
  const versionFile = join(dir, 'PG_VERSION');
  if (!existsSync(versionFile)) return undefined;
  const found = readFileSync(versionFile, 'utf8').trim();
  if (found === PGLITE_POSTGRES_MAJOR) return undefined;
  if (onIncompatible === 'refuse') throw new IncompatibleDatabaseError(dir, found, PGLITE_POSTGRES_MAJOR);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const aside = `${dir}-pg${found}-${stamp}`;
  renameSync(dir, aside);
  return aside;
}
