/**
 * The CORS policy on a bare loopback HTTP server: origin patterns, preflight answers and refusals,
 * `*`, credentials, `Vary`. The gateway's own routes are covered in test/integration/gateway/cors.test.ts
 * and by a real browser in test/integration/browser/cors.browser.test.ts.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { CorsConfig } from '../../../src/config.js';
import { createCors } from '../../../src/http-server/cors.js';

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A server answering 200 "ok" to whatever the policy lets through. */
async function serve(config: Partial<CorsConfig>): Promise<string> {
  const cors = createCors({ origins: [], credentials: false, extraHeaders: [], maxAgeSeconds: 600, ...config });
  const server = createServer((req, res) => {
    if (cors.handle(req, res)) return;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const preflight = (url: string, origin: string | undefined, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { ...(origin ? { origin } : {}), 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type', ...headers },
  });

describe('CORS policy', () => {
  it('matches exact origins, subdomain patterns and any port, nothing else', async () => {
    const url = await serve({ origins: ['https://app.example.com', 'https://*.example.org', 'http://localhost:*'] });
    const allowed = async (origin: string) => (await preflight(url, origin)).headers.get('access-control-allow-origin') === origin;
    expect(await allowed('https://app.example.com')).toBe(true);
    expect(await allowed('https://portal.example.org')).toBe(true);
    expect(await allowed('https://a.b.example.org')).toBe(true);
    expect(await allowed('http://localhost:5173')).toBe(true);
    expect(await allowed('http://localhost')).toBe(true);
    expect(await allowed('https://example.org')).toBe(false);
    expect(await allowed('http://app.example.com')).toBe(false);
    expect(await allowed('https://app.example.com:8443')).toBe(false);
    expect(await allowed('https://app.example.com.evil.test')).toBe(false);
    expect(await allowed('https://evilexample.org')).toBe(false);
    expect(await allowed('http://localhost.evil.test')).toBe(false);
  });

  it('answers an allowed preflight with methods, headers, max age and Vary', async () => {
    const url = await serve({ origins: ['http://localhost:*'], maxAgeSeconds: 120, extraHeaders: ['sentry-trace'] });
    const res = await preflight(url, 'http://localhost:5173', {
      'access-control-request-headers': 'authorization, x-api-key, apollographql-client-name, content-type, x-request-id, x-gateway-cost, sentry-trace',
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowHeaders = res.headers.get('access-control-allow-headers')?.split(', ');
    expect(allowHeaders).toEqual(expect.arrayContaining(['authorization', 'x-api-key', 'apollographql-client-name', 'content-type', 'x-request-id', 'x-gateway-cost', 'sentry-trace']));
    expect(res.headers.get('access-control-max-age')).toBe('120');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toBe('origin, access-control-request-method, access-control-request-headers');
  });

  it('refuses other origins, methods and headers with the reason, and no CORS headers', async () => {
    const url = await serve({ origins: ['http://localhost:*'] });
    const cases: [string | undefined, Record<string, string>, RegExp][] = [
      ['https://evil.example', {}, /Origin https:\/\/evil.example is not allowed/],
      ['http://localhost:3000', { 'access-control-request-method': 'DELETE' }, /Method DELETE is not allowed/],
      ['http://localhost:3000', { 'access-control-request-headers': 'authorization, x-secret-sauce' }, /Request header x-secret-sauce is not allowed/],
      [undefined, {}, /without an Origin/],
    ];
    for (const [origin, headers, reason] of cases) {
      const res = await preflight(url, origin, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await res.json()) as { error: string }).error).toMatch(reason);
    }
  });

  it('gives actual requests the origin, exposed headers and Vary; others only Vary', async () => {
    const url = await serve({ origins: ['http://localhost:*'], credentials: true });
    const allowed = await fetch(url, { headers: { origin: 'http://localhost:5173' } });
    expect(await allowed.text()).toBe('ok');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(allowed.headers.get('vary')).toBe('origin');
    const other = await fetch(url, { headers: { origin: 'https://evil.example' } });
    expect(await other.text()).toBe('ok');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toBe('origin');
    const sameOrigin = await fetch(url);
    expect(sameOrigin.headers.get('vary')).toBe('origin');
  });

  it('with `*` answers `*` and does not vary by origin', async () => {
    const url = await serve({ origins: ['*'] });
    const pre = await preflight(url, 'https://anywhere.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const res = await fetch(url, { headers: { origin: 'https://anywhere.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('vary')).toBeNull();
  });

  it('when off, refuses preflights saying how to turn it on; a plain OPTIONS gets Allow', async () => {
    const url = await serve({ origins: [] });
    const pre = await preflight(url, 'http://localhost:5173');
    expect(pre.status).toBe(403);
    expect(((await pre.json()) as { error: string }).error).toMatch(/not enabled .*CORS_ORIGINS/);
    const options = await fetch(url, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST, OPTIONS');
    const res = await fetch(url, { headers: { origin: 'http://localhost:5173' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBeNull();
  });

  it('allows a public page to reach a private-network gateway when the origin is allowed', async () => {
    const url = await serve({ origins: ['https://portal.example.com'] });
    const res = await preflight(url, 'https://portal.example.com', { 'access-control-request-private-network': 'true' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-private-network')).toBe('true');
  });
});
