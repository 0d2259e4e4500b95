import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { waitForSnapshots } from '../../../bench/tenant.js';

describe('bench tenant mode: waiting for the snapshots', () => {
  it('fails at once, with the gateway output, when the gateway process is gone', async () => {
    // A process that has exited: its pid no longer exists (a pid is not reused this fast on Linux).
    const gone = spawnSync(process.execPath, ['-e', '0']);
    const gateway = { pid: gone.pid, url: 'http://127.0.0.1:9', output: () => 'FATAL ERROR: Reached heap limit' };
    // The deadline is far beyond the test's own limit: only noticing the exit can end the wait in time.
    await expect(waitForSnapshots(gateway, 10 * 60_000)).rejects.toThrow(/exited while building its snapshots:\nFATAL ERROR: Reached heap limit/);
  });
});
