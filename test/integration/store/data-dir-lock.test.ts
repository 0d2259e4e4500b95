/**
 * The embedded data directory's lock (issue 16): one process at a time, stale locks of dead
 * processes (or reused pids) taken over, other hosts' locks respected, and `createDatabase`
 * refusing a directory in use before it opens anything.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataDirLock, currentHolder, lockFileOf } from '../../../src/store/data-dir-lock.js';
import { DataDirInUseError, type LockHolder } from '../../../src/store/errors.js';
import { createDatabase } from '../../../src/store/database.js';
import { scratchDir } from '../../helpers/db-template.js';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(scratchDir(), 'lock-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
const writeLock = (dir: string, holder: Partial<LockHolder>) =>
  writeFileSync(lockFileOf(dir), JSON.stringify({ hostname: hostname(), purpose: 'gateway', since: '2026-01-01T00:00:00.000Z', token: 'theirs', ...holder }));

describe('the data directory lock', () => {
  it('is held by one process at a time and says who holds it', () => {
    const dir = fresh();
    const lock = acquireDataDirLock(dir, 'gateway');
    expect(JSON.parse(readFileSync(lockFileOf(dir), 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'gateway' });
    expect(currentHolder(dir)?.pid).toBe(process.pid);
    let refused: unknown;
    try {
      acquireDataDirLock(dir, 'npm run keys');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect((refused as Error).message).toContain(`in use by process ${process.pid} (gateway, since `);
    expect((refused as Error).message).toContain('set DATABASE_URL to use PostgreSQL');
    lock.release();
    lock.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);
    expect(currentHolder(dir)).toBeUndefined();
    acquireDataDirLock(dir, 'npm run keys').release();
  });

  it('takes over the lock of a process that died, and of a reused pid', () => {
    const dir = fresh();
    const pid = Number(deadPid());
    writeLock(dir, { pid });
    expect(currentHolder(dir)).toBeUndefined();
    const lock = acquireDataDirLock(dir, 'gateway');
    expect(lock.replaced?.pid).toBe(pid);
    lock.release();

    if (existsSync(`/proc/${process.pid}/stat`)) {
      // Our own pid, but another process start time: the pid was reused after the holder died.
      writeLock(dir, { pid: process.pid, processStart: '1' });
      const again = acquireDataDirLock(dir, 'gateway');
      expect(again.replaced?.processStart).toBe('1');
      again.release();
    }
  });

  it("never takes over a lock held on another host, and never removes another process's lock", () => {
    const dir = fresh();
    writeLock(dir, { pid: Number(deadPid()), hostname: 'another-host.example' });
    expect(() => acquireDataDirLock(dir, 'gateway')).toThrow(/process \d+ on host another-host\.example/);

    const other = fresh();
    const mine = acquireDataDirLock(other, 'gateway');
    // Someone replaced it (it was taken over as stale while this process was frozen): not ours to remove.
    writeLock(other, { pid: process.pid, token: 'someone-else' });
    mine.release();
    expect(JSON.parse(readFileSync(lockFileOf(other), 'utf8')).token).toBe('someone-else');
  });

  it('makes createDatabase refuse a directory in use before opening it', async () => {
    const dir = fresh();
    const lock = acquireDataDirLock(dir, 'gateway');
    try {
      await expect(createDatabase({ dataDir: dir, purpose: 'npm run documents' })).rejects.toBeInstanceOf(DataDirInUseError);
      expect(existsSync(join(dir, 'pglite'))).toBe(false);
    } finally {
      lock.release();
    }
  });
});
