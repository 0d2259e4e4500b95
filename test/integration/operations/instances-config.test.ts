import { describe, expect, it } from 'vitest';
import { postgresUrl } from './instances.js';

const onCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

describe('multi-instance tests', () => {
  it('run on CI (TEST_DATABASE_URL is set there)', () => {
    if (!postgresUrl) console.warn('TEST_DATABASE_URL is unset: the multi-instance tests did not run');
    expect(Boolean(postgresUrl) || !onCi).toBe(true);
  });
});
