import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { SimHandle } from '../../../src/simulators/common/sim-server.js';
import { UpstreamError } from '../../../src/errors.js';
import { rejectionOf, startTestUpstream, testClient } from './test-upstream.js';

describe('HTTP client: answers and bodies', () => {
  let sim: SimHandle;
  let seenHeaders: Record<string, string | string[] | undefined> = {};
  let seenQuery = '';
  let seenBody = '';

  beforeAll(async () => {
    sim = await startTestUpstream((r) => {
      r.get('/API/things', (req) => {
        seenHeaders = req.headers;
        seenQuery = [...['page', 'pagesize', 'tag', 'flag']].map((k) => `${k}=${req.query.getAll(k).join('|')}`).join('&');
        return { status: 200, body: { Items: [{ Id: 1 }], Total: 1 } };
      });
      r.post('/API/things', (req) => {
        seenBody = req.body.toString('utf8');
        seenHeaders = req.headers;
        return { status: 201, body: { Value: 7 } };
      });
      r.get('/API/empty', () => ({ status: 204 }));
      r.get('/API/html', () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><p>login</p>' }));
      r.get('/API/malformed', () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"Devices": [{"Id": ' }));
      r.get('/API/plain-text', () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK then' }));
      r.get('/API/big', () => ({ status: 200, body: { blob: 'x'.repeat(5_000) } }));
      r.get('/API/missing', () => ({ status: 404, body: { errorCode: 5061, message: 'Device not found: secret detail' } }));
      r.get('/API/bad', () => ({ status: 400, body: { errorCode: 1000, message: 'bad' } }));
      r.get('/API/denied', () => ({ status: 401, body: { errorCode: 1005, message: 'no' } }));
      r.get('/API/forbidden', () => ({ status: 403, body: { errorCode: 1013, message: 'no' } }));
      r.get('/API/teapot', () => ({ status: 418, body: 'short and stout' }));
    });
  });
  afterAll(() => sim.close());

  it('sends the query, headers and JSON body, and parses JSON answers', async () => {
    const client = testClient(`${sim.url}/API`);
    const res = await client.request({
      method: 'GET',
      path: '/things',
      query: { page: 0, pagesize: 500, tag: ['a', 'b'], flag: true, skipped: undefined, gone: null },
      headers: { 'aw-tenant-code': 'code' },
      operation: 'things.search',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ Items: [{ Id: 1 }], Total: 1 });
    expect(seenQuery).toBe('page=0&pagesize=500&tag=a|b&flag=true');
    expect(seenHeaders['aw-tenant-code']).toBe('code');
    expect(seenHeaders.accept).toBe('application/json');

    const created = await client.request({ method: 'POST', path: 'things', body: { Name: 'n' }, operation: 'things.create' });
    expect(created).toMatchObject({ status: 201, body: { Value: 7 } });
    expect(JSON.parse(seenBody)).toEqual({ Name: 'n' });
    expect(seenHeaders['content-type']).toBe('application/json');

    await client.request({ method: 'POST', path: '/things', body: new URLSearchParams({ a: '1' }), operation: 'things.form' });
    expect(seenBody).toBe('a=1');
    expect(seenHeaders['content-type']).toBe('application/x-www-form-urlencoded');
    await client.close();
  });

  it('reads 204 as an empty body', async () => {
    const client = testClient(`${sim.url}/API`);
    const res = await client.request({ method: 'GET', path: '/empty', operation: 'empty' });
    expect(res).toMatchObject({ status: 204, body: undefined });
    await client.close();
  });

  it('turns HTML, malformed JSON, plain text and oversized bodies into coded errors', async () => {
    const client = testClient(`${sim.url}/API`, { maxResponseBytes: 1_000, retry: { maxRetries: 1 } });
    const cases: [string, string][] = [
      ['/html', 'html'],
      ['/malformed', 'malformed'],
      ['/plain-text', 'malformed'],
      ['/big', 'too-large'],
    ];
    for (const [path, problem] of cases) {
      const err = await rejectionOf(client.request({ method: 'GET', path, operation: 'bodies' }));
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem', details: { operation: 'bodies', status: 200, upstreamCode: problem } });
    }
    await client.close();
  });

  it('maps statuses to contract codes without copying the upstream body', async () => {
    const client = testClient(`${sim.url}/API`);
    const expectations: [string, string, unknown][] = [
      ['/missing', 'NOT_FOUND', 5061],
      ['/nowhere', 'UPSTREAM_UNAVAILABLE', 'html'],
      ['/bad', 'BAD_USER_INPUT', 1000],
      ['/denied', 'UPSTREAM_UNAVAILABLE', 1005],
      ['/forbidden', 'UPSTREAM_UNAVAILABLE', 1013],
      ['/teapot', 'UPSTREAM_UNAVAILABLE', undefined],
    ];
    for (const [path, code, upstreamCode] of expectations) {
      const err = (await rejectionOf(client.request({ method: 'GET', path, operation: 'statuses' }))) as UpstreamError;
      expect(err.code, path).toBe(code);
      expect(err.details.upstreamCode, path).toBe(upstreamCode);
      expect(err.message).not.toMatch(/secret|stout|Not found<|bad|no$/);
      const gql = err.toGraphQLError();
      expect(gql.extensions).toMatchObject({ code, upstream: 'uem' });
    }
    await client.close();
  });

  it('counts each attempt through onUpstreamCall and in the metrics', async () => {
    const registry = new Registry();
    const seen: string[] = [];
    const client = testClient(`${sim.url}/API`, {}, { registry, onUpstreamCall: (u, op) => void seen.push(`client:${u}:${op}`) });
    await client.request({ method: 'GET', path: '/things', operation: 'things.search', onUpstreamCall: (u, op) => void seen.push(`call:${u}:${op}`) });
    await rejectionOf(client.request({ method: 'GET', path: '/missing', operation: 'things.get' }));
    expect(seen).toEqual(['client:uem:things.search', 'call:uem:things.search', 'client:uem:things.get']);
    const text = await registry.metrics();
    expect(text).toContain('gateway_upstream_requests_total{upstream="uem",operation="things.search",status="200"} 1');
    expect(text).toContain('gateway_upstream_requests_total{upstream="uem",operation="things.get",status="404"} 1');
    expect(text).toContain('gateway_upstream_errors_total{upstream="uem",operation="things.get",code="NOT_FOUND"} 1');
    expect(text).toContain('gateway_upstream_request_duration_seconds_count{upstream="uem",operation="things.search"} 1');
    expect(text).toContain('gateway_upstream_breaker_state{upstream="uem"} 0');
    await client.close();
  });
});

describe('HTTP client: a connection cut mid-body', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"Devices": [');
      setTimeout(() => res.destroy(), 10);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is UPSTREAM_UNAVAILABLE after the retries, never a crash', async () => {
    const client = testClient(url);
    const err = await rejectionOf(client.request({ method: 'GET', path: '/cut', operation: 'cut' }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem', details: { operation: 'cut' } });
    await client.close();
  });
});
