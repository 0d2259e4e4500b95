/**
 * The IDE's rules for credentials, outside the browser: which headers count as credentials, the
 * `#token=` fragment, and a fetcher that sends nothing without them (against a real loopback server).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialOf, headersFromFragment, NO_CREDENTIALS_MESSAGE } from '../../../ide/credentials.js';
import { createFetcher } from '../../../ide/fetcher.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('credentials in the headers editor', () => {
  it('counts a bearer JWT, an ApiKey authorization or an x-api-key, any header case', () => {
    expect(credentialOf({ Authorization: `Bearer ${JWT}` })).toBe(`Bearer ${JWT}`);
    expect(credentialOf({ authorization: `bearer ${JWT}` })).toBe(`bearer ${JWT}`);
    expect(credentialOf({ Authorization: 'ApiKey 0123456789abcdef0123' })).toBe('ApiKey 0123456789abcdef0123');
    expect(credentialOf({ 'X-API-Key': '0123456789abcdef0123' })).toBe('0123456789abcdef0123');
  });

  it('does not count what can only be refused: empty, placeholder or truncated values', () => {
    for (const headers of [undefined, {}, { Authorization: '' }, { Authorization: 'Bearer ' }, { Authorization: 'Bearer <JWT>' }, { Authorization: 'Bearer eyJhbGci' }, { 'x-api-key': 'short' }, { Authorization: 42 }]) {
      expect(credentialOf(headers as Record<string, unknown> | undefined), JSON.stringify(headers)).toBeUndefined();
    }
  });

  it('reads a #token= fragment into an Authorization header and clears it from the address bar', () => {
    let cleared = 0;
    const text = headersFromFragment({ hash: `#token=${encodeURIComponent(JWT)}` }, () => cleared++);
    expect(JSON.parse(text!)).toEqual({ Authorization: `Bearer ${JWT}` });
    expect(cleared).toBe(1);
    expect(headersFromFragment({ hash: '#other=1' }, () => cleared++)).toBeUndefined();
    expect(headersFromFragment({ hash: '' }, () => cleared++)).toBeUndefined();
    expect(cleared).toBe(1);
  });
});

describe('the IDE fetcher', () => {
  const seen: IncomingHttpHeaders[] = [];
  let server: Server;
  const url = new Promise<string>((resolve) => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { ok: true } }));
      });
    }).listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`));
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('sends nothing without credentials and answers how to add them', async () => {
    const fetcher = createFetcher(await url);
    const result = await fetcher({ query: '{ viewer { email } }' }, { headers: { Authorization: 'Bearer ' } });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.message).toBe(NO_CREDENTIALS_MESSAGE);
    expect(seen).toHaveLength(0);
  });

  it('posts the operation with the headers once they carry credentials', async () => {
    const fetcher = createFetcher(await url);
    const result = await fetcher({ query: '{ viewer { email } }', operationName: null }, { headers: { Authorization: `Bearer ${JWT}`, 'x-gateway-cost': '1' } });
    expect(result).toEqual({ data: { ok: true } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ authorization: `Bearer ${JWT}`, 'x-gateway-cost': '1', 'content-type': 'application/json' });
  });
});
