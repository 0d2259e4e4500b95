/**
 * What an operator sees of one request: its log line (request id, operation, caller kind, upstream
 * requests, error codes), a debug line per upstream call, the request metrics at /metrics, and,
 * with an OTLP endpoint configured, a trace (request span continuing the caller's traceparent, a
 * CLIENT span per upstream call with traceparent sent to the upstream, loader batch spans).
 */
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

const spans: OtlpSpan[] = [];
let collector: Server;
let gw: TestGateway;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const QUERY = 'query DevicesWithUsers { devices(first: 5) { nodes { id user { userName firstName email } } } }';

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const address = collector.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  gw = await startTestGateway(
    { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`, LOG_LEVEL: 'debug' },
    { logger: createLogger('debug', sink) },
  );
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await new Promise((resolve) => collector.close(resolve));
});

const requestLines = () => lines.filter((l) => l.msg === 'graphql request');

describe('request observability', () => {
  it('writes one log line per request and a debug line per upstream call, under the request id', async () => {
    const res = await gw.gql(QUERY, { as: 'ada.admin@demo.example', headers: { 'x-request-id': 'obs-test-1', traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01` } });
    expectData(res, QUERY);
    expect(res.requestId).toBe('obs-test-1');
    const line = requestLines().find((l) => l.requestId === 'obs-test-1');
    expect(line).toMatchObject({
      operation: 'DevicesWithUsers',
      operationKind: 'query',
      principalKind: 'HARMONY_USER',
      status: 200,
      outcome: 'ok',
      errorCodes: [],
    });
    expect(line?.documentHash).toMatch(/^[0-9a-f]{64}$/);
    const upstream = line?.upstreamRequests as { uem: number; harmony: number };
    expect(upstream.uem).toBeGreaterThan(0);
    const calls = lines.filter((l) => l.msg === 'upstream call' && l.requestId === 'obs-test-1');
    expect(calls.length).toBe(upstream.uem + upstream.harmony);
    expect(calls[0]).toMatchObject({ level: 20, upstream: expect.stringMatching(/^(uem|harmony)$/), status: expect.any(String) });
  });

  it('names refusals in the line and counts them by outcome in /metrics', async () => {
    const res = await gw.gql('{ viewer { email } }', { headers: { 'x-request-id': 'obs-test-2', authorization: 'Bearer not-a-token' } });
    expect(res.status).toBe(401);
    expect(requestLines().find((l) => l.requestId === 'obs-test-2')).toMatchObject({ status: 401, outcome: 'unauthenticated', errorCodes: ['UNAUTHENTICATED'], principalKind: null });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toContain('gateway_graphql_requests_total{operation="DevicesWithUsers",kind="query",outcome="ok"} 1');
    expect(text).toContain('gateway_graphql_requests_total{operation="anonymous",kind="unknown",outcome="unauthenticated"} 1');
    expect(text).toMatch(/gateway_refusals_total\{code="UNAUTHENTICATED",reason="malformed_token"\} 1/);
    expect(text).toMatch(/gateway_graphql_request_duration_seconds_count\{operation="DevicesWithUsers",outcome="ok"\} 1/);
    expect(text).toMatch(/gateway_loader_batch_size_count\{loader="uem\.[A-Za-z]+"\} [1-9]/);
    expect(text).toMatch(/gateway_cache_lookups_total\{result="(hit|miss)"\} [1-9]/);
    expect(text).toContain('gateway_process_nodejs_eventloop_lag_seconds');
    expect(text).toContain('gateway_upstream_breaker_state{upstream="uem"} 0');
  });

  it('counts limit refusals by the limit refused', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: viewer { email }`).join(' ');
    const res = await gw.gql(`query TooManyAliases { ${aliases} }`, { as: 'ada.admin@demo.example', headers: { 'x-request-id': 'obs-test-3' } });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases' });
    expect(requestLines().find((l) => l.requestId === 'obs-test-3')).toMatchObject({ outcome: 'refused', reason: 'aliases', errorCodes: ['QUERY_TOO_COMPLEX'] });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toContain('gateway_refusals_total{code="QUERY_TOO_COMPLEX",reason="aliases"} 1');
  });

  it('does not count the browser IDE page as a GraphQL request', async () => {
    const page = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html', 'x-request-id': 'obs-test-ide' } });
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    await page.text();
    expect(requestLines().some((l) => l.requestId === 'obs-test-ide')).toBe(false);
  });

  it('keeps operation labels bounded whatever clients name their operations', async () => {
    await gw.gql('query ' + 'x'.repeat(100) + ' { viewer { email } }', { as: 'ada.admin@demo.example' });
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).not.toContain('x'.repeat(100));
    expect(text).toContain('gateway_graphql_requests_total{operation="invalid",kind="query",outcome="ok"} 1');
  });

  it('exports a trace that continues the caller and reaches the upstreams', async () => {
    const received = [...gw.app.simulators.uem!.stats().traceparents, ...gw.app.simulators.harmony!.stats().traceparents];
    await gw.close();
    const request = spans.find((s) => s.traceId === TRACE_ID && s.parentSpanId === CALLER_SPAN);
    expect(request?.name).toBe('graphql query DevicesWithUsers');
    const children = spans.filter((s) => s.traceId === TRACE_ID && s.parentSpanId === request?.spanId);
    const clients = children.filter((s) => s.kind === 3);
    const line = requestLines().find((l) => l.requestId === 'obs-test-1')!;
    const upstream = line.upstreamRequests as { uem: number; harmony: number };
    expect(clients.length).toBe(upstream.uem + upstream.harmony);
    expect(children.some((s) => s.name.startsWith('loader uem.'))).toBe(true);
    // Each upstream call carried the traceparent of its own CLIENT span.
    for (const client of clients) expect(received).toContain(`00-${TRACE_ID}-${client.spanId}-01`);
  });
});
