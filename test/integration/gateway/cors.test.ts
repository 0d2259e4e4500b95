/**
 * CORS on the gateway's own routes (the policy itself: test/unit/http/cors.test.ts; a real browser:
 * test/integration/browser/cors.browser.test.ts): preflights of /graphql and /export are answered
 * before authentication, and every answer to an allowed origin carries its CORS headers, refusals
 * (401) included, so the page can read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

const APP = 'http://localhost:5173';

describe('CORS on the gateway (demo defaults)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  }, 120_000);
  afterAll(() => gw?.close());

  it('answers the preflights of /graphql and /export without credentials', async () => {
    for (const [path, method] of [['/graphql', 'POST'], ['/export', 'GET']] as const) {
      const res = await fetch(`${gw.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, x-request-id' },
      });
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), path).toBe(APP);
      expect(res.headers.get('access-control-allow-headers'), path).toContain('authorization');
      expect(res.headers.get('www-authenticate'), path).toBeNull();
    }
  });

  it('gives allowed origins the data, the exposed headers, and readable refusals', async () => {
    const ok = await gw.gql('{ viewer { email } }', { as: 'rita.reader@demo.example', headers: { origin: APP } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP);
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(ok.headers.get('vary')).toContain('origin');
    const refused = await gw.gql('{ viewer { email } }', { headers: { origin: APP } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP);
    const exported = await fetch(`${gw.url}/export?query=${encodeURIComponent('{ devices { nodes { id } } }')}`, { headers: { origin: APP } });
    expect(exported.status).toBe(401);
    expect(exported.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('keeps other origins out and leaves same-origin requests as they were', async () => {
    const pre = await fetch(`${gw.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await gw.gql('{ viewer { email } }', { as: 'rita.reader@demo.example', headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const same = await gw.gql('{ viewer { email } }', { as: 'rita.reader@demo.example' });
    expect(same.status).toBe(200);
    expect(same.headers.get('access-control-allow-origin')).toBeNull();
  });
});
