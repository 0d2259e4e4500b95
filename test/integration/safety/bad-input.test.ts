/**
 * Bad input (issue 8): each refused with the right status and code, with no upstream request
 * made, and the gateway still answering a normal client during a flood of them. How fast the
 * refusals are is measured by `npm run bench:timings`, not here (a busy machine is slow, not wrong).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { ADMIN, JSON_HEADERS, codesOf, deepQuery, expectNoUemRequest, jsonBody, raw, refusalOf, resetUpstreams, type RawResult } from './safety.kit.js';

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { email }`).join(' ')} }`;
const fragmentCycle = '{ ...A } fragment A on Query { viewer { email } ...B } fragment B on Query { ...A }';
/** Ten spreads per level over twelve levels: 10^12 fields once expanded, in under 2 KB. */
const billionLaughs = (() => {
  const levels = 12;
  let doc = '{ roles { ...F0 } }\n';
  for (let i = 0; i < levels; i++) doc += `fragment F${i} on Role { name ${Array.from({ length: 10 }, () => `...F${i + 1}`).join(' ')} }\n`;
  return `${doc}fragment F${levels} on Role { id }\n`;
})();

interface Case {
  name: string;
  send(gw: TestGateway, token: string): Promise<RawResult>;
  status: number;
  code: string;
  limit?: string;
}

/** A fetch that failed because the server closed the connection while the body was being sent. */
const connectionReset = (err: unknown) => ['ECONNRESET', 'EPIPE'].includes(((err as { cause?: { code?: string } }).cause ?? {}).code ?? '');

const post = (gw: TestGateway, token: string, body: string | Uint8Array, headers: Record<string, string> = JSON_HEADERS) =>
  raw(gw, { body, headers: { ...headers, authorization: `Bearer ${token}` } });

const CASES: Case[] = [
  { name: 'depth 100', send: (gw, t) => post(gw, t, jsonBody({ query: deepQuery(100) })), status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'depth' },
  // 220 KB: its size is refused before the parser would count its tokens.
  { name: '10,000 aliases', send: (gw, t) => post(gw, t, jsonBody({ query: aliases(10_000) })), status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'documentBytes' },
  { name: '3,000 aliases', send: (gw, t) => post(gw, t, jsonBody({ query: aliases(3_000) })), status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'tokens' },
  { name: 'a 5 MB document', send: (gw, t) => post(gw, t, jsonBody({ query: `{ viewer { email } }${' '.repeat(5 * 1024 * 1024)}` })), status: 413, code: 'BAD_USER_INPUT' },
  { name: 'a fragment cycle', send: (gw, t) => post(gw, t, jsonBody({ query: fragmentCycle })), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'a billion-laughs fragment fan-out', send: (gw, t) => post(gw, t, jsonBody({ query: billionLaughs })), status: 400, code: 'QUERY_TOO_COMPLEX', limit: 'fields' },
  {
    name: 'huge variables',
    send: (gw, t) => post(gw, t, jsonBody({ query: 'query ($e: String!) { person(email: $e) { email } }', variables: { e: 'x'.repeat(900_000) } })),
    status: 400,
    code: 'QUERY_TOO_COMPLEX',
    limit: 'variablesBytes',
  },
  {
    name: 'invalid UTF-8',
    send: (gw, t) => post(gw, t, Buffer.concat([Buffer.from('{"query":"{ viewer { email } }'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'text/plain content type', send: (gw, t) => post(gw, t, jsonBody({ query: '{ viewer { email } }' }), { 'content-type': 'text/plain' }), status: 400, code: 'BAD_USER_INPUT' },
  {
    name: 'form content type',
    send: (gw, t) => post(gw, t, 'query=%7B%20viewer%20%7B%20email%20%7D%20%7D', { 'content-type': 'application/x-www-form-urlencoded' }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  { name: 'JSON that is a string', send: (gw, t) => post(gw, t, jsonBody('{ viewer { email } }')), status: 400, code: 'BAD_USER_INPUT' },
  { name: 'JSON that is null', send: (gw, t) => post(gw, t, 'null'), status: 400, code: 'BAD_USER_INPUT' },
  {
    name: 'an array of 1,000 operations',
    send: (gw, t) => post(gw, t, jsonBody(Array.from({ length: 1000 }, () => ({ query: '{ devices(first: 500) { nodes { id apps { name } } } }' })))),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an unknown operation name',
    send: (gw, t) => post(gw, t, jsonBody({ query: 'query A { viewer { email } } query B { devices { totalCount } }', operationName: 'C' })),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a mutation over GET',
    send: (gw, t) =>
      raw(gw, {
        method: 'GET',
        search: `?query=${encodeURIComponent('mutation { sendDeviceCommand(input: { deviceIds: ["101"], command: SYNC }) { results { status } } }')}`,
        headers: { authorization: `Bearer ${t}`, accept: 'application/json' },
      }),
    status: 405,
    code: 'BAD_USER_INPUT',
  },
];

describe('bad input', () => {
  let gw: TestGateway;
  let token: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    token = await gw.token(ADMIN);
  }, 120_000);
  afterAll(() => gw?.close());

  for (const c of CASES) {
    it(`refuses ${c.name} with ${c.status} ${c.code} before any upstream request`, async () => {
      await gw.gql('{ viewer { email } }', { as: ADMIN }); // the caller is resolved (and cached) first
      resetUpstreams(gw);
      const result = await c.send(gw, token);
      expect(result.status, result.text.slice(0, 500)).toBe(c.status);
      expect(codesOf(result), result.text.slice(0, 500)).toContain(c.code);
      if (c.limit) expect(refusalOf(result)?.limit).toBe(c.limit);
      expectNoUemRequest(gw, c.name);
      expect(gw.app.simulators.harmony!.stats().total, `${c.name}: Harmony requests`).toBe(0);
    });
  }

  it('keeps answering a normal client during a flood of bad requests', async () => {
    // Another caller floods: every request takes a token of its sender's bucket, not the client's.
    const flooder = await gw.token('rita.reader@demo.example');
    let stop = false;
    const flood = async () => {
      let sent = 0;
      while (!stop && sent < 400) {
        // The gateway may answer an oversized body (413) and close before the flooder has written
        // all of it: on a busy machine the flooder then sees the reset instead of the answer.
        await CASES[sent % CASES.length]!.send(gw, flooder).catch((err: unknown) => {
          if (!connectionReset(err)) throw err;
        });
        sent++;
      }
      return sent;
    };
    const flooders = [flood(), flood(), flood(), flood()];
    try {
      for (let i = 0; i < 10; i++) {
        const result = await gw.gql<{ viewer: { email: string } }>('{ viewer { email } devices(first: 1) { totalCount } }', { as: ADMIN });
        expect(expectData(result).viewer.email).toBe(ADMIN);
      }
    } finally {
      stop = true;
    }
    const sent = await Promise.all(flooders);
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
  }, 120_000);
});
