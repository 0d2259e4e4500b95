/**
 * One process at a time opens an embedded (PGlite) data directory (issue 16). Two processes on one
 * directory each keep their own copy of the database in memory and overwrite each other's files: a
 * write one of them reports as done can be lost, and the other may crash inside PGlite.
 *
 * The owner holds `${dataDir}/pglite.lock`, created exclusively (O_EXCL) with its pid, host, start
 * time and purpose. A lock whose process is gone (no such pid, or a pid reused by a later process,
 * told apart by the process start time on Linux) is stale and taken over; a lock held by a process
 * on another host (a shared volume) is never taken over. `release` removes the file only if it is
 * still this process's lock.
 */
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { DataDirInUseError, type LockHolder } from './errors.js';

export interface DataDirLock {
  holder: LockHolder;
  /** The stale lock this one replaced (its process stopped without releasing it). */
  replaced?: LockHolder;
  /** Removes the lock file if it is still this lock (safe to call more than once). */
  release(): void;
}

export const lockFileOf = (dataDir: string) => join(resolve(dataDir), 'pglite.lock');

/** This process's start time on Linux (field 22 of /proc/<pid>/stat); undefined elsewhere. */
function processStartOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string' || typeof parsed.token !== 'string') return undefined;
    return { purpose: 'unknown', since: '?', ...parsed } as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether the holder's process still runs (a holder on another host always counts as alive). */
export function isAlive(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStartOf(holder.pid);
  return holder.processStart === undefined || start === undefined || start === holder.processStart;
}

/** The live holder of a data directory's lock, if any. */
export function currentHolder(dataDir: string): LockHolder | undefined {
  const holder = readHolder(lockFileOf(dataDir));
  return holder && isAlive(holder) ? holder : undefined;
}

/** Moves a stale lock aside, unless another process replaced it meanwhile (then it is put back). */
function removeStale(file: string, stale: LockHolder): void {
  const aside = `${file}.stale-${process.pid}-${randomBytes(3).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // already gone
  }
  if (readHolder(aside)?.token === stale.token) unlinkSync(aside);
  else renameSync(aside, file);
}

export function acquireDataDirLock(dataDir: string, purpose: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFileOf(dataDir);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    purpose,
    since: new Date().toISOString(),
    processStart: processStartOf(process.pid),
    token: randomBytes(12).toString('hex'),
  };
  let replaced: LockHolder | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const existing = readHolder(file);
      if (existing === undefined) {
        // Created but not written yet by a process starting right now, or left empty by a crash.
        const ageMs = Date.now() - (statSafe(file) ?? Date.now());
        if (ageMs < 5_000) {
          sleepSync(50);
          continue;
        }
        unlinkSafe(file);
        continue;
      }
      if (isAlive(existing)) throw new DataDirInUseError(dataDir, existing);
      removeStale(file, existing);
      replaced = existing;
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      holder,
      replaced,
      release() {
        if (released) return;
        released = true;
        if (readHolder(file)?.token === holder.token) unlinkSafe(file);
      },
    };
  }
  const last = readHolder(file);
  if (last) throw new DataDirInUseError(dataDir, last);
  throw new Error(`could not take the lock ${file}: another process keeps creating it`);
}

function statSafe(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function unlinkSafe(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
