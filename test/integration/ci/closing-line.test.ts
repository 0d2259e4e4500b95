/**
 * The closing line CI reads (test/helpers/summary-reporter.ts) is honest: a run of fixtures whose
 * setup fails (a `beforeAll` that throws, one past its time limit) and whose teardown fails counts
 * every test that did not run because of it, and the teardown, as failed, never as skipped.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(process.cwd(), 'test', 'fixtures', 'closing-line');

describe('the closing line', () => {
  it('counts tests whose setup failed, and a failed teardown, as failed', { timeout: 120_000 }, () => {
    const run = spawnSync(join(process.cwd(), 'node_modules', '.bin', 'vitest'), ['run', '--root', root], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' },
      encoding: 'utf8',
      timeout: 110_000,
    });
    const lines = run.stdout.split('\n').filter((l) => /^\d+ passed, \d+ failed/.test(l));
    // setup-times-out: 2 did not run; setup-throws: 2 did not run, 1 passed, 1 skipped on purpose;
    // teardown-throws: 1 passed, then its afterAll failed.
    expect(lines, `${run.stdout}\n${run.stderr}`).toEqual(['2 passed, 5 failed, 1 skipped']);
    expect(run.status).toBe(1);
  });
});
