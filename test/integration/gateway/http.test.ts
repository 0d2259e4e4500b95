import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startTestGateway, TEST_JWT_SECRET, type TestGateway } from '../../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ MAX_BODY_BYTES: '4096' });
});
afterAll(async () => {
  await gw?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

async function refusal(res: Response) {
  const body = (await res.json()) as { errors: { message: string; extensions: { code: string; reason?: string } }[] };
  return { status: res.status, code: body.errors[0]?.extensions.code, reason: body.errors[0]?.extensions.reason, message: body.errors[0]?.message ?? '' };
}

describe('authentication at the door', () => {
  const query = JSON.stringify({ query: '{ viewer { email } }' });

  it('answers 401 UNAUTHENTICATED without credentials', async () => {
    const res = await post(query);
    expect(await refusal(res)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason: 'missing_credentials' });
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('names the reason for a bad, expired or foreign token, without leaking the secret', async () => {
    const expired = await gw.token('ada.admin@demo.example', -120);
    const foreign = await new SignJWT({ email: 'ada.admin@demo.example' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-000'));
    // A leaked token minted to last a century: the signature verifies, the lifetime does not.
    const century = await gw.token('ada.admin@demo.example', 100 * 365 * 86_400);
    const cases: [string, string][] = [
      [`Bearer ${expired}`, 'token_expired'],
      [`Bearer ${century}`, 'token_lifetime_too_long'],
      [`Bearer ${foreign}`, 'invalid_signature'],
      ['Bearer not-a-token', 'malformed_token'],
      ['Basic YWRhOnB3', 'unsupported_scheme'],
      ['ApiKey uhg_unknown', 'invalid_api_key'],
    ];
    for (const [authorization, reason] of cases) {
      const r = await refusal(await post(query, { authorization }));
      expect(r).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', reason });
      expect(r.message).not.toContain(TEST_JWT_SECRET);
    }
  });

  it('refuses a valid token of someone who is not a user of the organization', async () => {
    const token = await gw.token('stranger@elsewhere.example');
    expect(await refusal(await post(query, { authorization: `Bearer ${token}` }))).toMatchObject({ status: 401, reason: 'unknown_user' });
  });
});

describe('GraphQL over HTTP', () => {
  it('answers GET queries and both media types', async () => {
    const token = await gw.token('ada.admin@demo.example');
    const get = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('{ viewer { email } }')}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/graphql-response+json' },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(await get.json()).toEqual({ data: { viewer: { email: 'ada.admin@demo.example' } } });
    const json = await post(JSON.stringify({ query: '{ viewer { kind } }' }), { authorization: `Bearer ${token}`, accept: 'application/json' });
    expect(json.headers.get('content-type')).toContain('application/json');
  });

  it('sends a large page in pieces with the bytes and the length Apollo would send', async () => {
    const token = await gw.token('ada.admin@demo.example');
    const query = '{ devices(first: 500) { totalCount nodes { id uuid serialNumber friendlyName platform model osVersion lastSeen organizationGroup { id name } user { userName email } } } }';
    const res = await post(JSON.stringify({ query }), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    const body = JSON.parse(text) as { data: { devices: { nodes: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.devices.nodes).toHaveLength(500);
    // Over the pieces' threshold (json-body.ts), and exactly JSON.stringify's text and a newline.
    expect(bytes.length).toBeGreaterThan(128 * 1024);
    expect(text).toBe(`${JSON.stringify(body)}\n`);
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
  });

  it('refuses non-JSON, invalid UTF-8 and oversized bodies with a GraphQL error', async () => {
    const token = await gw.token('ada.admin@demo.example');
    const auth = { authorization: `Bearer ${token}` };
    expect(await refusal(await post('{"query": ', auth))).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    const invalidUtf8 = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(await refusal(invalidUtf8)).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    const big = JSON.stringify({ query: `{ viewer { email } } #${'x'.repeat(8000)}` });
    expect(await refusal(await post(big, auth))).toMatchObject({ status: 413, code: 'BAD_USER_INPUT' });
  });

  it('blocks simple cross-site requests (CSRF prevention)', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ viewer { email } }"}',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it('serves the browser IDE and its assets from installed packages', async () => {
    const page = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
    for (const src of html.match(/\/graphiql\/[\w.-]+/g) ?? []) {
      const asset = await fetch(`${gw.url}${src}`);
      expect(asset.status, src).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(1000);
    }
  });

  it('reports health and readiness per dependency', async () => {
    expect(await (await fetch(`${gw.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    expect(body.ready).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'documents', 'harmony', 'uem']);
    expect((await fetch(`${gw.url}/nope`)).status).toBe(404);
  });
});
