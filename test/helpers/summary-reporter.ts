/**
 * Prints the plain closing line CI reads: `N passed, M failed` (plus `, K skipped`).
 *
 * Honest by construction: a test that was meant to run but did not because setup above it failed
 * (a `beforeAll` that threw or timed out marks its suite failed and its tests skipped) counts as
 * failed; a hook that failed after its tests passed (an `afterAll`) counts as one failure; a file
 * that failed to load counts as one; and a run that ends failed never prints `0 failed`. Only tests
 * skipped on purpose (`skip`, `todo`, `skipIf`, a filter) count as skipped.
 */
import type { Reporter, TestCase, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';

export interface ClosingCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/** The suites and module above a test, nearest first. */
function ancestors(test: TestCase): (TestSuite | TestModule)[] {
  const chain: (TestSuite | TestModule)[] = [];
  for (let node: TestSuite | TestModule = test.parent; ; node = node.parent) {
    chain.push(node);
    if (node.type === 'module') return chain;
  }
}

const failedSetup = (node: TestSuite | TestModule) => node.state() === 'failed' && node.errors().length > 0;

export function countClosing(testModules: ReadonlyArray<TestModule>, unhandledErrors: number, reason: TestRunEndReason | undefined): ClosingCounts {
  const counts: ClosingCounts = { passed: 0, failed: 0, skipped: 0 };
  // Suites and modules whose own errors (hooks, collection) were already counted through a test.
  const accounted = new Set<TestSuite | TestModule>();
  const failing: (TestSuite | TestModule)[] = [];
  for (const mod of testModules) {
    for (const suite of [mod, ...mod.children.allSuites()]) if (failedSetup(suite)) failing.push(suite);
    for (const test of mod.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed++;
      else if (state === 'failed') counts.failed++;
      else {
        const meantToRun = test.options.mode === 'run' || test.options.mode === 'only';
        const cause = meantToRun ? ancestors(test).find(failedSetup) : undefined;
        if (cause) {
          counts.failed++;
          accounted.add(cause);
        } else counts.skipped++;
      }
    }
  }
  // A file that failed to load, or a hook that failed after its tests ran, is one failure each.
  counts.failed += failing.filter((s) => !accounted.has(s)).length;
  counts.failed += unhandledErrors;
  if (reason === 'failed' && counts.failed === 0) counts.failed = 1;
  return counts;
}

export const closingLine = ({ passed, failed, skipped }: ClosingCounts) => `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason?: TestRunEndReason): void {
    process.stdout.write(`\n${closingLine(countClosing(testModules, unhandledErrors.length, reason))}\n`);
  }
}
