/**
 * The secret check every test gateway runs on its logs (test/helpers/log-leaks.ts) finds what it
 * is meant to find, and the logger's redaction keeps credentials in known places out of it (the
 * request line, which skips the redaction walk, holds only its fixed fields).
 */
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createLogger } from '../../../src/logger.js';
import { createGatewayMetrics } from '../../../src/observability/metrics.js';
import { requestObserver } from '../../../src/observability/request-log.js';
import { LogCapture, secretsIn } from '../../helpers/log-leaks.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFAYi5jIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const API_KEY = `uhg_${'k'.repeat(43)}`;
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the log secret check', () => {
  it('finds named secrets and anything shaped like a JWT, an API key or a Harmony session', () => {
    expect(secretsIn('{"msg":"login","password":"hunter2-long"}', new Map([['hunter2-long', 'Harmony password']]))).toEqual(['Harmony password']);
    expect(secretsIn(`token ${JWT}`, new Map())).toEqual(['something shaped like a JWT']);
    expect(secretsIn(`key=${API_KEY}`, new Map())).toEqual(['something shaped like an API key']);
    expect(secretsIn('session 1_0f8fad5b-d9cb-469f-a165-70867728950e', new Map())).toEqual(['something shaped like a Harmony session token']);
    expect(secretsIn('{"msg":"graphql request","requestId":"abc"}', new Map([['hunter2-long', 'x']]))).toEqual([]);
  });

  it('sees through the logger: redacted paths stay clean, a secret in free text is caught', async () => {
    const capture = new LogCapture();
    const logger = createLogger('debug', capture.stream);
    logger.info({ headers: { authorization: `Bearer ${JWT}`, 'x-api-key': API_KEY, 'aw-tenant-code': 'tenant-code-1' } }, 'request');
    logger.info({ uem: { password: 'pw-123456', clientSecret: 'cs-123456', tenantCode: 'tenant-code-1' } }, 'config');
    await flush();
    const named = new Map([
      ['pw-123456', 'UEM password'],
      ['cs-123456', 'UEM OAuth client secret'],
      ['tenant-code-1', 'UEM tenant code'],
    ]);
    expect(secretsIn(capture.text(), named)).toEqual([]);
    logger.warn(`upstream said: bad token ${JWT}`);
    await flush();
    expect(secretsIn(capture.text(), named)).toEqual(['something shaped like a JWT']);
  });

  it('writes the request line without the redaction walk, and the logger it came from still redacts', async () => {
    const capture = new LogCapture();
    const logger = createLogger('info', capture.stream);
    const observe = requestObserver(logger, createGatewayMetrics(new Registry()));
    observe({ requestId: 'req-1', method: 'POST', status: 200, durationMs: 12.34, operationName: 'Devices', operationKind: 'query', errorCodes: ['FORBIDDEN', 'FORBIDDEN'] });
    logger.info({ headers: { authorization: `Bearer ${JWT}` }, uem: { password: 'pw-123456' } }, 'after');
    await flush();
    const [line, after] = capture
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ msg: 'graphql request', requestId: 'req-1', operation: 'Devices', status: 200, outcome: 'partial', durationMs: 12.3, errorCodes: ['FORBIDDEN'] });
    expect(Object.keys(line ?? {}).sort()).toEqual(
      ['durationMs', 'documentHash', 'errorCodes', 'level', 'method', 'msg', 'operation', 'operationKind', 'outcome', 'principalKind', 'requestId', 'service', 'status', 'time', 'upstreamRequests'].sort(),
    );
    expect(after).toMatchObject({ headers: { authorization: '[redacted]' }, uem: { password: '[redacted]' } });
  });
});
