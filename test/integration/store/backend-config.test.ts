/**
 * CI must run the store suites on Postgres too. Without TEST_DATABASE_URL the Postgres variants
 * are not registered; this test then fails on CI and passes, with a warning, on a developer machine.
 */
import { describe, expect, it } from 'vitest';
import { postgresUrl } from './backends.js';

const onCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

describe('store test backends', () => {
  it('postgres backend is configured', () => {
    if (postgresUrl) {
      expect(postgresUrl).toMatch(/^postgres(ql)?:\/\//);
      return;
    }
    console.warn('TEST_DATABASE_URL is unset: the store suites ran on PGlite only (`.ci/postgres.sh` prints a URL)');
    expect(onCi, 'CI must export TEST_DATABASE_URL so the store suites run on Postgres').toBe(false);
  });
});
