import { describe, expect, it } from 'vitest';
import { parseBody, upstreamCodeOf } from '../../../src/datasources/upstream-http/parse.js';
import { buildUrl, encodeBody, flattenHeaders } from '../../../src/datasources/upstream-http/request-parts.js';
import { QuotaTracker } from '../../../src/datasources/upstream-http/quota.js';
import { DEFAULT_HTTP_OPTIONS, resolveHttpOptions } from '../../../src/datasources/upstream-http/options.js';

describe('defensive body parsing', () => {
  it('reads empty bodies as undefined and JSON as values', () => {
    expect(parseBody('', undefined)).toEqual({ ok: true, value: undefined });
    expect(parseBody('  \n', 'application/json')).toEqual({ ok: true, value: undefined });
    expect(parseBody('\uFEFF{"a":1}', 'application/json')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseBody('[1,2]', undefined)).toEqual({ ok: true, value: [1, 2] });
  });

  it('reports HTML, truncated and malformed JSON as problems', () => {
    expect(parseBody('<!DOCTYPE html><p>x</p>', 'text/html')).toEqual({ ok: false, problem: 'html' });
    expect(parseBody('<html>', 'application/json')).toEqual({ ok: false, problem: 'html' });
    expect(parseBody('{"Devices":[{"Id":', 'application/json')).toEqual({ ok: false, problem: 'malformed' });
    expect(parseBody('OK', 'text/plain')).toEqual({ ok: false, problem: 'malformed' });
  });

  it('finds the upstream error code of an error body', () => {
    expect(upstreamCodeOf({ errorCode: 5061, message: 'x' })).toBe(5061);
    expect(upstreamCodeOf({ status: false, errorCode: 'INVALID_TOKEN' })).toBe('INVALID_TOKEN');
    expect(upstreamCodeOf({ ErrorCode: 1 })).toBe(1);
    expect(upstreamCodeOf(['x'])).toBeUndefined();
    expect(upstreamCodeOf('text')).toBeUndefined();
  });
});

describe('request parts', () => {
  it('joins the base path, skips empty query values and repeats arrays', () => {
    expect(buildUrl('http://h:1/API', '/mdm/devices', { page: 0, user: undefined, x: null, tag: ['a', 'b'] }).toString()).toBe(
      'http://h:1/API/mdm/devices?page=0&tag=a&tag=b',
    );
    expect(buildUrl('http://h:1/API/', 'system/info').toString()).toBe('http://h:1/API/system/info');
    expect(buildUrl('http://h:1/API', 'https://auth.example/connect/token').toString()).toBe('https://auth.example/connect/token');
  });

  it('encodes JSON, forms and text', () => {
    expect(encodeBody(undefined)).toEqual({});
    expect(encodeBody({ a: 1 })).toEqual({ payload: '{"a":1}', contentType: 'application/json' });
    expect(encodeBody(new URLSearchParams({ a: 'b c' }))).toEqual({ payload: 'a=b+c', contentType: 'application/x-www-form-urlencoded' });
    expect(flattenHeaders({ 'Set-Cookie': ['a', 'b'], x: undefined, Y: '1' })).toEqual({ 'set-cookie': 'a, b', y: '1' });
  });
});

describe('quota tracker', () => {
  it('asks to wait until the reset once the remaining count is zero', () => {
    let now = Date.parse('2026-01-01T12:00:00Z');
    const quota = new QuotaTracker(() => now);
    quota.observe({ 'x-ratelimit-remaining': '10' });
    expect(quota.waitMs()).toBe(0);
    quota.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.parse('2026-01-02T00:00:00Z') / 1000) });
    expect(quota.waitMs()).toBe(12 * 3_600_000);
    now = Date.parse('2026-01-02T00:00:01Z');
    expect(quota.waitMs()).toBe(0);
    expect(quota.remaining).toBeUndefined();
    quota.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' });
    expect(quota.waitMs()).toBe(30_000);
    quota.observe({});
    expect(quota.remaining).toBe(0);
  });
});

describe('options', () => {
  it('fills defaults, merges nested options and rejects nonsense', () => {
    const o = resolveHttpOptions({ maxConcurrency: 4, retry: { maxRetries: 0 }, connectTimeoutMs: undefined });
    expect(o.maxConcurrency).toBe(4);
    expect(o.connectTimeoutMs).toBe(DEFAULT_HTTP_OPTIONS.connectTimeoutMs);
    expect(o.retry).toEqual({ ...DEFAULT_HTTP_OPTIONS.retry, maxRetries: 0 });
    expect(() => resolveHttpOptions({ requestTimeoutMs: 0, retry: { budgetMs: -1 } })).toThrow(/requestTimeoutMs.*retry.budgetMs/);
  });
});
