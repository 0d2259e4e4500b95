/**
 * A tiny upstream for the HTTP layer's tests: the simulators' real HTTP server core with a router
 * the test fills in, UEM-shaped error bodies and an HTML 404 for unknown routes.
 */
import { Registry } from 'prom-client';
import { Router } from '../../../src/simulators/common/router.js';
import { startSimServer, type SimHandle } from '../../../src/simulators/common/sim-server.js';
import { HttpClient, type HttpClientDeps } from '../../../src/datasources/upstream-http/http-client.js';
import type { HttpClientOptionsInput } from '../../../src/datasources/upstream-http/options.js';

export async function startTestUpstream(build: (router: Router) => void): Promise<SimHandle> {
  const router = new Router();
  build(router);
  return startSimServer({
    router,
    errorResponse: (status, _kind, message) => ({ status, body: { errorCode: status * 10, message, activityId: 'a-1' } }),
    notFound: () => ({ status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>Not found</body></html>' }),
  });
}

/** Options that keep tests quick: short waits, small budgets. */
export const fastOptions: HttpClientOptionsInput = {
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 2_000,
  bodyTimeoutMs: 2_000,
  requestTimeoutMs: 3_000,
  retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, budgetMs: 2_000 },
  breaker: { failureThreshold: 1_000_000, coolDownMs: 1_000 },
};

/** The fast options with some changed (nested retry and breaker options merged). */
export function withFast(options: HttpClientOptionsInput = {}): HttpClientOptionsInput {
  return {
    ...fastOptions,
    ...options,
    retry: { ...fastOptions.retry, ...options.retry },
    breaker: { ...fastOptions.breaker, ...options.breaker },
  };
}

export function testClient(url: string, options: HttpClientOptionsInput = {}, extra: Partial<HttpClientDeps> = {}): HttpClient {
  return new HttpClient({
    upstream: 'uem',
    baseUrl: url,
    registry: new Registry(),
    ...extra,
    options: withFast(options),
  });
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/** Open TCP handles of this process (sockets and servers). */
export function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}
