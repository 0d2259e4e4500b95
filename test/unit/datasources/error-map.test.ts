import { describe, expect, it } from 'vitest';
import * as map from '../../../src/datasources/upstream-http/error-map.js';
import { harmonyBodyError, HarmonyLoginError, isInvalidToken } from '../../../src/datasources/harmony/harmony.errors.js';

const call = { upstream: 'uem' as const, operation: 'devices.search' };

describe('error map', () => {
  it('maps network errors: timeouts to UPSTREAM_TIMEOUT, the rest to UPSTREAM_UNAVAILABLE', () => {
    for (const code of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
      expect(map.fromNetworkError(call, Object.assign(new Error('t'), { code }))).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT' }, transient: true, unhealthy: true, label: 'timeout' });
    }
    const refused = map.fromNetworkError(call, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    expect(refused).toMatchObject({ error: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'uem' }, transient: true, label: 'network_error' });
    expect(refused.error.message).toBe('UEM is unreachable (devices.search).');
  });

  it('tells an unreachable host (the connection breaker) from a route that failed once connected', () => {
    const failure = (code: string, cause = false) =>
      map.fromNetworkError(call, cause ? new Error('fetch failed', { cause: Object.assign(new Error(code), { code }) }) : Object.assign(new Error(code), { code }));
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) expect(failure(code).connection, code).toBe(true);
    expect(failure('ECONNREFUSED', true).connection).toBe(true);
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) expect(failure(code).connection, code).toBe(false);
    expect(map.breakerOpen(call, 0, 'connection').message).toBe('UEM could not be reached repeatedly; calls are paused (devices.search).');
    expect(map.breakerOpen(call, 0).message).toBe('UEM failed repeatedly on this route; its calls are paused (devices.search).');
  });

  it('maps statuses to contract codes and says what to retry and what counts against the breaker', () => {
    const cases: [number, string, boolean, boolean][] = [
      [404, 'NOT_FOUND', false, false],
      [429, 'RATE_LIMITED', true, false],
      [408, 'UPSTREAM_TIMEOUT', true, false],
      [504, 'UPSTREAM_TIMEOUT', true, true],
      [500, 'UPSTREAM_UNAVAILABLE', true, true],
      [503, 'UPSTREAM_UNAVAILABLE', true, true],
      [501, 'UPSTREAM_UNAVAILABLE', false, true],
      [401, 'UPSTREAM_UNAVAILABLE', false, false],
      [403, 'UPSTREAM_UNAVAILABLE', false, false],
      [400, 'BAD_USER_INPUT', false, false],
      [409, 'BAD_USER_INPUT', false, false],
      [302, 'UPSTREAM_UNAVAILABLE', false, false],
    ];
    for (const [status, code, transient, unhealthy] of cases) {
      expect(map.fromStatus(call, status), String(status)).toMatchObject({ error: { code, details: { status } }, transient, unhealthy, label: String(status) });
    }
    expect(map.fromStatus(call, 404, { htmlBody: true })).toMatchObject({ error: { code: 'UPSTREAM_UNAVAILABLE', details: { upstreamCode: 'html' } } });
    const limited = map.fromStatus(call, 429, { retryAfterMs: 2_500, upstreamCode: 1028 }).error;
    expect(limited.details).toMatchObject({ retryAfterMs: 2_500, upstreamCode: 1028, operation: 'devices.search' });
    expect(limited.toGraphQLError().extensions).toMatchObject({ code: 'RATE_LIMITED', upstream: 'uem', upstreamCode: 1028, retryAfterSeconds: 3 });
  });

  it('maps unreadable bodies, open breakers, spent quotas and deadlines', () => {
    expect(map.fromUnreadableBody(call, 200, 'html')).toMatchObject({ error: { code: 'UPSTREAM_UNAVAILABLE', details: { upstreamCode: 'html' } }, transient: true });
    expect(map.fromUnreadableBody(call, 200, 'too-large').transient).toBe(false);
    expect(map.breakerOpen(call, 1_000).details).toMatchObject({ upstreamCode: 'CIRCUIT_OPEN', retryAfterMs: 1_000 });
    expect(map.quotaExhausted(call, 60_000)).toMatchObject({ code: 'RATE_LIMITED', details: { upstreamCode: 'QUOTA_EXHAUSTED' } });
    expect(map.deadlineExceeded(call, 500)).toMatchObject({ code: 'UPSTREAM_TIMEOUT', message: 'UEM did not answer within 500 ms (devices.search).' });
  });
});

describe('Harmony error codes', () => {
  const hcall = { upstream: 'harmony' as const, operation: 'roles.create' };
  it('maps business rules to BAD_USER_INPUT, NOT_FOUND to NOT_FOUND, the rest to UPSTREAM_UNAVAILABLE', () => {
    expect(harmonyBodyError(hcall, 'ROLE_NAME_EXISTS')).toMatchObject({ code: 'BAD_USER_INPUT', details: { upstreamCode: 'ROLE_NAME_EXISTS' } });
    expect(harmonyBodyError(hcall, 'SUBSCRIPTION_EXPIRED').code).toBe('BAD_USER_INPUT');
    expect(harmonyBodyError(hcall, 'NOT_FOUND').code).toBe('NOT_FOUND');
    expect(harmonyBodyError(hcall, 'NOT_ORG_ADMIN').code).toBe('UPSTREAM_UNAVAILABLE');
    expect(harmonyBodyError(hcall, 'SOMETHING_NEW')).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', details: { upstreamCode: 'SOMETHING_NEW' } });
    expect(harmonyBodyError(hcall, undefined).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('recognises a rejected token and names login failures', () => {
    expect(isInvalidToken(harmonyBodyError(hcall, 'INVALID_TOKEN'))).toBe(true);
    expect(isInvalidToken(map.fromStatus({ upstream: 'harmony', operation: 'x' }, 401).error)).toBe(true);
    expect(isInvalidToken(map.fromStatus({ upstream: 'uem', operation: 'x' }, 401).error)).toBe(false);
    expect(HarmonyLoginError.fromCode('VALIDATE_TFA_LOGIN_EMAIL').reason).toBe('TFA_REQUIRED');
    expect(HarmonyLoginError.fromCode('WHATEVER')).toMatchObject({ reason: 'LOGIN_REJECTED', code: 'UPSTREAM_UNAVAILABLE', upstream: 'harmony' });
  });
});
