/**
 * A real browser for the browser tests: Debian's Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`)
 * driven headless by playwright-core, which downloads nothing. `.ci/run` installs the package; on a
 * developer machine without it the browser suites are skipped with a warning, and on CI they fail
 * (test/integration/browser/browser-config.test.ts).
 *
 * Pages are checked for what a user would see go wrong: console errors (Content-Security-Policy
 * violations included), uncaught exceptions, failed requests, and requests to any other origin.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const chromiumInstalled = existsSync(CHROMIUM_PATH);
export const onCi = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

/** Where screenshots go (git-ignored), for a person to look at after a run. */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

/** Flags for a closed network and a root user: no background requests, no sandbox, no GPU. */
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
];

export interface TestBrowser {
  browser: Browser;
  /** A new page whose problems are recorded in `problems`. */
  page(): Promise<{ page: Page; problems: string[] }>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!chromiumInstalled) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH.`);
  }
  // Playwright gives the browser a new empty profile of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, timeout: 120_000 });
  return {
    browser,
    async page() {
      // Clipboard access: a test pastes into an editor as a person would.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
      page.on('requestfailed', (req) => problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText ?? '?'})`));
      return { page, problems };
    },
    async close() {
      await browser.close();
    },
  };
}

/** Pastes `text` where the focus is, through the clipboard (editors take a paste as it is). */
export async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
  await page.keyboard.press('ControlOrMeta+V');
}

/** Saves a full-page screenshot under test-artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
