/**
 * The browser IDE in a real browser (headless Chromium): it loads from the gateway alone (no other
 * origin, no failed request, no console error under its Content-Security-Policy), starts without
 * sending a request that can only fail, loads the schema once the headers carry a token (from a
 * `#token=` link in demo mode, or typed in the Headers editor), shows the Docs and autocomplete, and
 * runs a query. Every Harmony persona gets the schema the Docs render, for the IDE's own request.
 * Screenshots go to test-artifacts/.
 */
import { spawnSync } from 'node:child_process';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARMONY_PERSONAS } from '../../../src/simulators/index.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { chromiumInstalled, launchBrowser, onCi, paste, screenshot, type TestBrowser } from '../../helpers/browser.js';

/** May not send free text: the IDE's introspection is the only text such a persona may send. */
const AGENT = 'agnes.agent@demo.example';

const isGraphQLPost = (res: Response) => res.request().method() === 'POST' && new URL(res.url()).pathname === '/graphql';
const isIntrospection = (res: Response) => isGraphQLPost(res) && (res.request().postData() ?? '').includes('__schema');

/** The response pane's text, spaces normalized (Monaco renders only the lines in view, with no-break spaces). */
const responseText = async (page: Page) => (await page.locator('.graphiql-response .view-lines').innerText()).replace(/\s+/g, ' ');

async function openDocs(page: Page): Promise<void> {
  if (!(await page.locator('.graphiql-doc-explorer').isVisible())) await page.click('[aria-label="Show Documentation Explorer"]');
  await page.locator('.graphiql-doc-explorer').waitFor();
}

describe.skipIf(!chromiumInstalled && !onCi)('the browser IDE', () => {
  let gw: TestGateway;
  let browser: TestBrowser;
  let origin: string;
  beforeAll(async () => {
    // The bundle (npm test builds it first; this is a no-op then).
    const build = spawnSync(process.execPath, ['scripts/generate.mjs', 'ide'], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    [gw, browser] = await Promise.all([startTestGateway(), launchBrowser()]);
    origin = new URL(gw.url).origin;
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  /** A page of the IDE, every request recorded. */
  async function open(fragment = '') {
    const { page, problems } = await browser.page();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(`${req.method()} ${req.url()}`));
    const response = await page.goto(`${gw.url}/graphql${fragment}`);
    await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
    return { page, problems, requests, response: response! };
  }

  it('starts clean: served from the gateway alone, no request that can only fail, says how to add a token', { timeout: 120_000 }, async () => {
    const { page, problems, requests, response } = await open();
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    await expect.poll(() => responseText(page), { timeout: 60_000 }).toContain('No credentials yet, so nothing was sent');
    await screenshot(page, 'ide-start');
    expect(requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(requests.filter((r) => !r.includes(` ${origin}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('takes a token from a #token= link, loads the schema, shows the Docs and runs a query', { timeout: 120_000 }, async () => {
    const token = await gw.token('rita.reader@demo.example');
    const { page: blank } = await browser.page();
    const introspection = blank.waitForResponse(isIntrospection, { timeout: 60_000 });
    await blank.goto(`${gw.url}/graphql#token=${token}`);
    expect((await introspection).status()).toBe(200);
    // The token is read and removed from the address bar.
    expect(blank.url()).toBe(`${gw.url}/graphql`);
    await openDocs(blank);
    await blank.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
    await expect.poll(() => blank.locator('.graphiql-doc-explorer').innerText(), { timeout: 30_000 }).toContain('devices');
    const executed = blank.waitForResponse((res) => isGraphQLPost(res) && !(res.request().postData() ?? '').includes('__schema'), { timeout: 60_000 });
    await blank.click('.graphiql-execute-button');
    const result = await executed;
    expect(result.status()).toBe(200);
    const body = (await result.json()) as { data?: { viewer: { email: string }; devices: { totalCount: number } } };
    expect(body.data?.viewer.email).toBe('rita.reader@demo.example');
    expect(body.data?.devices.totalCount).toBeGreaterThan(0);
    await expect.poll(() => responseText(blank), { timeout: 30_000 }).toContain('totalCount');
    await screenshot(blank, 'ide-query');
  });

  it('loads the schema once a token is pasted in the Headers editor, and autocompletes fields', { timeout: 120_000 }, async () => {
    const token = await gw.token('omar.operator@demo.example');
    const { page, problems } = await open();
    await expect.poll(() => responseText(page), { timeout: 60_000 }).toContain('No credentials yet');
    const introspection = page.waitForResponse(isIntrospection, { timeout: 60_000 });
    await page.locator('.monaco-editor[data-uri$="headers.json"]').click();
    await page.keyboard.press('ControlOrMeta+A');
    await paste(page, JSON.stringify({ Authorization: `Bearer ${token}` }));
    expect((await introspection).status()).toBe(200);
    // Autocomplete from the schema: an empty selection offers the root fields.
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('{ dev');
    await page.keyboard.press('Control+Space');
    await expect.poll(() => page.locator('.suggest-widget').innerText(), { timeout: 30_000 }).toMatch(/devices/);
    await screenshot(page, 'ide-autocomplete');
    expect(problems).toEqual([]);
  });

  it('shows the Docs to every Harmony persona', { timeout: 300_000 }, async () => {
    // In the browser, as a persona who may not send free text: the IDE's own introspection is
    // answered and the Docs render from it.
    const token = await gw.token(AGENT);
    const { page, problems } = await browser.page();
    const introspection = page.waitForResponse(isIntrospection, { timeout: 60_000 });
    await page.goto(`${gw.url}/graphql#token=${token}`);
    const res = await introspection;
    expect(res.status(), AGENT).toBe(200);
    const rendered = (await res.json()) as { data?: { __schema?: unknown }; errors?: unknown };
    expect(rendered.errors, AGENT).toBeUndefined();
    expect(rendered.data?.__schema, AGENT).toBeDefined();
    await openDocs(page);
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText(), { timeout: 30_000 }).toContain('Root Types');
    expect(problems, AGENT).toEqual([]);
    // The IDE's exact request, as every persona: the same schema, so the same Docs (the page
    // renders the answer, whoever asked; what differs by persona is whether it is answered).
    const request = res.request().postData() ?? '';
    expect(request).toContain('__schema');
    const sent = await res.request().allHeaders();
    await page.context().close();
    for (const persona of HARMONY_PERSONAS) {
      const answer = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': sent['content-type'] ?? 'application/json', accept: sent.accept ?? '*/*', authorization: `Bearer ${await gw.token(persona.email)}` },
        body: request,
      });
      expect(answer.status, persona.email).toBe(200);
      const body = (await answer.json()) as { data?: unknown; errors?: unknown };
      expect(body.errors, persona.email).toBeUndefined();
      expect(body.data, persona.email).toEqual(rendered.data);
    }
  });
});
