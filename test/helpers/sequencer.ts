/**
 * The order files start in (vitest.config.ts, `sequence.sequencer`): vitest's own order (files that
 * failed last time first, then the longest last time, or the largest when it has no timings yet),
 * except that files which start processes or a browser go first. They take a minute where most
 * files take a second or two, so the workers start on them and finish together on the short ones
 * (the unit tier's, mostly), instead of one worker running a long file alone at the end.
 * A file is one of them when its source starts a child process, a browser or a benchmark run.
 */
import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const STARTS_PROCESSES = /\b(spawn|spawnSync|execFile|startGatewayProcess|runCliProcess|launchBrowser|runBench|runAbuse)\(/;

const heavy = new Map<string, boolean>();
function isHeavy(file: string): boolean {
  let known = heavy.get(file);
  if (known === undefined) {
    known = STARTS_PROCESSES.test(readFileSync(file, 'utf8'));
    heavy.set(file, known);
  }
  return known;
}

export default class HeavyFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const key = (spec: TestSpecification) => (isHeavy(spec.moduleId) ? 0 : 1);
    // Array.prototype.sort is stable: vitest's order holds within each group.
    return sorted.sort((a, b) => key(a) - key(b));
  }
}
