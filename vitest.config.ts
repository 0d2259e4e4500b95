import { defineConfig } from 'vitest/config';
import HeavyFirstSequencer from './test/helpers/sequencer.js';

/**
 * Three tiers (README, "Tests and CI"): `unit` imports pure modules (files share their imports:
 * `isolate: false`, a third of the CPU); `in-process` runs operations
 * through the gateway's request handler without sockets, over one read-only demo gateway per worker
 * (files share it and their imports: `isolate: false`); `integration` starts real gateways on
 * loopback, one per file, each on a copy of a migrated database template (no `initdb`); its files
 * share a process per worker too (`isolate: false`: the imports and PGlite's compiled WebAssembly
 * are paid once per worker, not once per file), and close everything they start.
 * The workers of both tiers that start gateways run with `--liftoff-only`: V8 compiles PGlite's
 * WebAssembly with its baseline compiler only, never again with the optimizing one, which costs
 * more CPU than it saves over a worker's life (in-process tier: 35 s → 30 s of CPU).
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Setup is small (templates, shared gateways): on an idle machine tests and hooks take a fraction
    // of these; they are generous so that an overloaded machine is slow, not failing.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Four workers on CI's two cores: a worker spends part of its time waiting (on a timer, a child
    // process starting, a socket, Postgres, Chromium), and with fewer a core then sits idle. Whole
    // runs on the two idle cores: 237 s with two workers, 232 s with three, 216 s with four, 219 s
    // with five. `--maxWorkers=N` on the command line to compare.
    maxWorkers: 4,
    // Files that start processes or a browser first (test/helpers/sequencer.ts).
    sequence: { sequencer: HeavyFirstSequencer },
    // The three tiers are folders of one project, so that their files share one pool of workers: a
    // worker that ran an in-process file goes on to integration and unit files with its imports in
    // place, and both cores stay busy from the first file to the last (separate projects run one
    // after the other, each on workers of its own, with the cores idle while a tier's workers start).
    include: ['test/unit/**/*.test.ts', 'test/in-process/**/*.test.ts', 'test/integration/**/*.test.ts'],
    globalSetup: ['./test/helpers/global-setup.ts'],
    isolate: false,
    execArgv: ['--liftoff-only'],
  },
});
