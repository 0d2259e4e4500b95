/**
 * A single-page app on another origin calls the gateway with `fetch`, in a real browser (headless
 * Chromium): the preflight is answered before authentication, the page shows the data and reads the
 * exposed `x-request-id`, and reads a 401 as a GraphQL error. A page on an origin that is not
 * allowed cannot read anything.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { chromiumInstalled, launchBrowser, onCi, screenshot, type TestBrowser } from '../../helpers/browser.js';

/** The app: one button-less page that queries the gateway on load and renders what it got. */
function appHtml(gateway: string, token: string | null): string {
  const config = JSON.stringify({ gateway, token }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Device list</title></head>
<body>
<h1>Devices</h1>
<p id="status">loading</p>
<p>request id: <span id="request-id"></span></p>
<ul id="devices"></ul>
<script>
  const { gateway, token } = ${config};
  const headers = {
    'content-type': 'application/json',
    'apollographql-client-name': 'device-list-spa',
    'x-request-id': 'spa-request-1',
    'x-gateway-cost': '1',
  };
  if (token) headers.authorization = 'Bearer ' + token;
  fetch(gateway + '/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: '{ devices(first: 3, filter: { platform: APPLE }) { totalCount nodes { id friendlyName } } }' }),
  })
    .then(async (res) => {
      document.getElementById('request-id').textContent = res.headers.get('x-request-id') ?? '(hidden)';
      const body = await res.json();
      if (body.errors) {
        document.getElementById('status').textContent = 'error ' + res.status + ' ' + body.errors[0].extensions.code;
        return;
      }
      for (const device of body.data.devices.nodes) {
        const li = document.createElement('li');
        li.textContent = device.id + ' ' + device.friendlyName;
        document.getElementById('devices').appendChild(li);
      }
      document.getElementById('status').textContent = 'ok ' + body.data.devices.totalCount + ' cost ' + body.extensions.cost.estimated;
    })
    .catch((err) => { document.getElementById('status').textContent = 'blocked ' + err.name; });
</script>
</body></html>`;
}

const servers: Server[] = [];

/** Serves the app at http://<host>:<port>/ (another origin than the gateway's). */
async function serveApp(host: string, html: () => string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as { port: number }).port}/`;
}

describe.skipIf(!chromiumInstalled && !onCi)('a browser app on another origin (CORS)', () => {
  let gw: TestGateway;
  let browser: TestBrowser;
  let token: string;
  beforeAll(async () => {
    // Demo defaults: loopback pages on any port are allowed (localhost, 127.0.0.1, [::1]).
    [gw, browser] = await Promise.all([startTestGateway(), launchBrowser()]);
    token = await gw.token('rita.reader@demo.example');
  }, 180_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await browser?.close();
    await gw?.close();
  });

  it('shows the data a cross-origin fetch got, and the exposed request id', { timeout: 120_000 }, async () => {
    const app = await serveApp('localhost', () => appHtml(gw.url, token));
    const { page, problems } = await browser.page();
    const preflights: number[] = [];
    page.on('response', (res) => {
      if (res.request().method() === 'OPTIONS') preflights.push(res.status());
    });
    await page.goto(app);
    await expect.poll(() => page.textContent('#status'), { timeout: 60_000 }).not.toBe('loading');
    expect(await page.textContent('#status')).toMatch(/^ok \d+ cost \d+$/);
    const rows = await page.locator('#devices li').allTextContents();
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/^\d+ \S/);
    expect(await page.textContent('#request-id')).toBe('spa-request-1');
    await screenshot(page, 'cors-app-data');
    expect(problems).toEqual([]);
    // Chromium may answer a repeated preflight from its cache; at least the first one went out.
    expect(preflights.every((s) => s === 204)).toBe(true);
  });

  it('lets the app read a 401 as a GraphQL error', { timeout: 120_000 }, async () => {
    const app = await serveApp('localhost', () => appHtml(gw.url, null));
    const { page } = await browser.page();
    await page.goto(app);
    await expect.poll(() => page.textContent('#status'), { timeout: 60_000 }).not.toBe('loading');
    expect(await page.textContent('#status')).toBe('error 401 UNAUTHENTICATED');
  });

  it('gives an origin that is not allowed nothing to read', { timeout: 120_000 }, async () => {
    // 127.0.0.2 is loopback too, but not among the allowed origins.
    const app = await serveApp('127.0.0.2', () => appHtml(gw.url, token));
    const { page, problems } = await browser.page();
    await page.goto(app);
    await expect.poll(() => page.textContent('#status'), { timeout: 60_000 }).not.toBe('loading');
    expect(await page.textContent('#status')).toBe('blocked TypeError');
    expect(await page.locator('#devices li').count()).toBe(0);
    expect(problems.join('\n')).toMatch(/CORS policy/);
  });
});
