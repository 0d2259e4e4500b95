/**
 * CI must run the browser suites. Without Chromium they are skipped on a developer machine (with
 * this warning) and this test fails on CI, where `.ci/run` installs Debian's package.
 */
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumInstalled, onCi } from '../../helpers/browser.js';

describe('browser test setup', () => {
  it('has a Chromium to drive', () => {
    if (chromiumInstalled) return;
    console.warn(`No Chromium at ${CHROMIUM_PATH}: the browser suites were skipped (apt-get install chromium, or set CHROMIUM_PATH)`);
    expect(onCi, `CI must install Chromium (${CHROMIUM_PATH}); .ci/run does`).toBe(false);
  });
});
