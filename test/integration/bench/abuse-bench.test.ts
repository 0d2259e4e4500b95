/**
 * Keeps `npm run bench -- --abuse` from rotting: simulator and gateway processes, the baseline and
 * every abuse phase for a second each with one abuser connection, the report. It asserts the report
 * is complete and what the abusers were answered, never a speed or a ratio.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAbuse } from '../../../bench/abuse.js';
import { ABUSES } from '../../../bench/abusers.js';
import { scratchDir, seededDataDir } from '../../helpers/db-template.js';

const outDir = mkdtempSync(join(scratchDir(), 'abuse-results-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run bench -- --abuse, briefly', () => {
  it('measures normal traffic alone and under each abuse, and writes the report', async () => {
    const result = await runAbuse({
      durationSec: 1,
      connections: 1,
      rate: 10,
      abusers: 1,
      latencyMs: 5,
      command: 'test',
      outDir,
      dataDir: seededDataDir('abuse-data-'),
      log: () => undefined,
    });
    expect(result.phases.map((p) => p.name)).toEqual(['baseline', ...ABUSES.map((a) => a.name)]);
    const [baseline, slow, validation, partner, apq] = result.phases;
    expect(baseline!.answered).toBe(true);
    expect(baseline!.rps).toBeGreaterThan(0);
    // 50 sockets per abuser connection, each replaced if the gateway closes it.
    expect(slow!.abuser.opened).toBeGreaterThanOrEqual(50);
    // What each abuser got: refusals for the refused kinds, answers for APQ (valid documents).
    const answers = (statuses: Record<string, number>) => Object.values(statuses).reduce((a, b) => a + b, 0);
    for (const phase of [validation!, partner!, apq!]) expect(answers(phase.abuser), phase.name).toBeGreaterThan(0);
    for (const status of Object.keys(validation!.abuser)) expect(['400', '429']).toContain(status);
    for (const status of Object.keys(partner!.abuser)) expect(['400', '429']).toContain(status);
    expect(Object.keys(apq!.abuser)).toContain('200');
    expect(result.markdown).toContain('| normal traffic alone |');
    expect(existsSync(result.file)).toBe(true);
    expect(JSON.parse(readFileSync(result.file, 'utf8')).phases).toHaveLength(ABUSES.length + 1);
  }, 600_000);
});
