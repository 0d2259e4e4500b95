/**
 * The one HTTP client under both datasources (docs/design.md §2, docs/contributing.md habit 6). One instance per
 * upstream owns: an undici Agent (a keep-alive pool per origin with a connection cap and connect,
 * headers and body timeouts), the overall deadline of each call, the concurrency limit (FIFO
 * queue), the circuit breakers (one per route and one for the connections: breakers.ts), the
 * quota gate, retries of idempotent calls, defensive body parsing, the mapping of failures to
 * contract codes (error-map.ts) and the upstream metrics.
 *
 * Counting upstream calls per GraphQL request: pass `onUpstreamCall` with a call (or to the
 * client for every call). It runs once per HTTP attempt actually sent, retries included, so a
 * per-request counter sees what the upstream saw. No AsyncLocalStorage is involved.
 */
import { Agent, type Dispatcher } from 'undici';
import { Registry } from 'prom-client';
import { UpstreamError, type UpstreamName } from '../../errors.js';
import type { BreakerState } from './breaker.js';
import { isRefusal, UpstreamBreakers, type BreakerPermits, type RouteBreakerState } from './breakers.js';
import { ConcurrencyLimiter } from './limiter.js';
import { upstreamMetrics, type UpstreamMetrics } from './metrics.js';
import { resolveHttpOptions, type HttpClientOptions, type HttpClientOptionsInput } from './options.js';
import { parseBody, upstreamCodeOf } from './parse.js';
import { QuotaTracker } from './quota.js';
import { buildUrl, encodeBody, flattenHeaders, readText, type Query } from './request-parts.js';
import { nextRetryDelayMs, parseRetryAfter } from './retry.js';
import { timingWith, type Timing } from './timing.js';
import * as map from './error-map.js';
import type { Readings } from './validate.js';
import { copyWith } from '../../object-copy.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/**
 * Told of each HTTP attempt before it is sent. It may answer with headers to add (a tracing
 * `traceparent`) and a callback told the outcome (status code, or the failure's label) and duration.
 */
export type UpstreamCallObserver = (upstream: UpstreamName, operation: string) => UpstreamCallTracker | undefined | void;
export interface UpstreamCallTracker {
  headers?: Readonly<Record<string, string>>;
  done?(status: string, durationMs: number): void;
}

export interface HttpRequest {
  method: HttpMethod;
  /** Joined to the base URL's path; an absolute http(s) URL is used as is. */
  path: string;
  query?: Query;
  headers?: Readonly<Record<string, string>>;
  /** JSON-encoded; URLSearchParams are sent as a form. */
  body?: unknown;
  /** Route name for metrics and errors, e.g. `devices.search` (never an id). */
  operation: string;
  /** Safe to send twice. Default: true for GET, false otherwise. Only idempotent calls are retried. */
  idempotent?: boolean;
  /** Called for each HTTP attempt sent on behalf of this call. */
  onUpstreamCall?: UpstreamCallObserver;
  /**
   * A readiness probe: sent even while the breakers are open (what it learns counts like any
   * call, so a success closes them), never retried or shared, within its own deadline.
   */
  probe?: { timeoutMs: number };
}

export interface HttpResponse<T = unknown> {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /**
   * Parsed JSON; undefined for an empty body (e.g. 204), and once every call sharing the response
   * has read it through `parseResponse` (`readers`).
   */
  body: T;
  /** The body read by schema, for every call sharing this response (validate.ts `parseResponse`). */
  readings?: Readings;
  /**
   * The calls sharing this response that have not read it through `parseResponse` yet. When the
   * last one has, `body` and `readings` are let go (undefined): the promises that carried the
   * response waited on the network, were promoted while they did, and would keep the body until
   * the next mark-compact.
   */
  readers?: number;
}

export interface HttpClientDeps {
  upstream: UpstreamName;
  /** Origin plus an optional path prefix, e.g. `https://as1234.awmdm.com/API`. */
  baseUrl: string;
  options?: HttpClientOptionsInput;
  /** Where metrics are registered; a private registry when omitted. */
  registry?: Registry;
  timing?: Partial<Timing>;
  onUpstreamCall?: UpstreamCallObserver;
}

export interface UpstreamHealth {
  upstream: UpstreamName;
  /** The most severe state of the upstream's breakers (any route, or the connection breaker). */
  breaker: BreakerState;
  /** The connection breaker (opens when the host cannot be reached; it pauses every route). */
  connection: BreakerState;
  /** While the connection breaker is open: milliseconds until a probe may pass. */
  breakerRetryInMs: number;
  /** Every route breaker seen so far, the connection breaker first (as `connection`). */
  routes: RouteBreakerState[];
  /** When (the client's clock) a call last failed to reach the host at all; undefined if never. */
  lastConnectionFailureAt: number | undefined;
  inFlight: number;
  queued: number;
  quotaRemaining: number | undefined;
}

type Attempt = { ok: true; response: HttpResponse } | { ok: false; failure: map.AttemptFailure };

class DeadlineSignal extends Error {}

export class HttpClient {
  readonly upstream: UpstreamName;
  readonly options: HttpClientOptions;
  private readonly agent: Agent;
  private readonly timing: Timing;
  private readonly breakers: UpstreamBreakers;
  private lastConnectionFailureAt: number | undefined;
  private readonly limiter: ConcurrencyLimiter;
  private readonly quota: QuotaTracker;
  private readonly metrics: UpstreamMetrics;
  private readonly untrackBreaker: () => void;
  private readonly inflightGets = new Map<string, { response: Promise<HttpResponse>; readers: number }>();

  constructor(private readonly deps: HttpClientDeps) {
    this.upstream = deps.upstream;
    this.options = resolveHttpOptions(deps.options);
    this.timing = timingWith(deps.timing);
    const o = this.options;
    this.agent = new Agent({
      connections: o.maxConnections,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      keepAliveMaxTimeout: o.keepAliveTimeoutMs,
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      connect: { timeout: o.connectTimeoutMs },
    });
    this.metrics = upstreamMetrics(deps.registry ?? new Registry());
    this.breakers = new UpstreamBreakers(o.breaker, () => this.timing.now(), (operation, state) =>
      this.metrics.breakerTransitions.inc({ upstream: this.upstream, operation, state }),
    );
    this.untrackBreaker = this.metrics.trackBreakers(this.upstream, this.breakers);
    this.limiter = new ConcurrencyLimiter(o.maxConcurrency);
    this.quota = new QuotaTracker(() => this.timing.now());
  }

  health(): UpstreamHealth {
    return {
      upstream: this.upstream,
      breaker: this.breakers.worst(),
      connection: this.breakers.connection.state(),
      breakerRetryInMs: this.breakers.connection.retryInMs(),
      routes: this.breakers.states(),
      lastConnectionFailureAt: this.lastConnectionFailureAt,
      inFlight: this.limiter.running,
      queued: this.limiter.queued,
      quotaRemaining: this.quota.remaining,
    };
  }

  /** Counts an error the caller found in a 2xx body (e.g. Harmony's `status: false`). */
  recordError(operation: string, error: UpstreamError): void {
    this.metrics.errors.inc({ upstream: this.upstream, operation, code: error.code });
  }

  /**
   * Sends one call: resolves with a 2xx answer, or rejects with an UpstreamError. Identical GETs
   * in flight at the same moment share one upstream request: every call goes out with the
   * integration account's credentials, so the answer does not depend on who asked.
   */
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    if (req.method !== 'GET' || !this.options.coalesceGets || req.probe) return this.send1<T>(req);
    const key = `${buildUrl(this.deps.baseUrl, req.path, req.query).href}\n${JSON.stringify(req.headers ?? {})}`;
    const shared = this.inflightGets.get(key);
    if (shared) {
      shared.readers++;
      return shared.response as Promise<HttpResponse<T>>;
    }
    const entry = { response: undefined as unknown as Promise<HttpResponse<T>>, readers: 1 };
    // The entry leaves the map in the same step as its readers are counted: no call joins after.
    const settle = () => this.inflightGets.delete(key);
    entry.response = this.send1<T>(req).then(
      (res) => {
        settle();
        res.readers = entry.readers;
        return res;
      },
      (err: unknown) => {
        settle();
        throw err;
      },
    );
    this.inflightGets.set(key, entry);
    return entry.response;
  }

  private async send1<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const call: map.CallInfo = { upstream: this.upstream, operation: req.operation };
    const retry = req.probe ? { ...this.options.retry, maxRetries: 0 } : this.options.retry;
    const requestTimeoutMs = req.probe ? Math.min(req.probe.timeoutMs, this.options.requestTimeoutMs) : this.options.requestTimeoutMs;
    const idempotent = req.idempotent ?? req.method === 'GET';
    const deadline = this.timing.now() + requestTimeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineSignal('deadline')), requestTimeoutMs);
    let waited = 0;
    try {
      for (let retries = 0; ; retries++) {
        waited += await this.waitForQuota(call, controller.signal, waited, deadline);
        const attempt = await this.sendOnce(req, call, controller.signal);
        if (attempt.ok) return attempt.response as HttpResponse<T>;
        const { error, transient } = attempt.failure;
        const delay = nextRetryDelayMs(retry, { idempotent, retriesSoFar: retries, transient, retryAfterMs: error.details.retryAfterMs }, () => this.timing.random());
        if (delay === undefined || waited + delay > retry.budgetMs || this.timing.now() + delay >= deadline) throw error;
        waited += delay;
        this.metrics.retries.inc({ upstream: this.upstream, operation: req.operation });
        await this.timing.sleep(delay, controller.signal);
      }
    } catch (err) {
      const error = err instanceof UpstreamError ? err : controller.signal.aborted ? map.deadlineExceeded(call, requestTimeoutMs, err) : undefined;
      if (!error) throw err;
      this.recordError(req.operation, error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for an exhausted quota to reset, within the budget; returns the time waited. */
  private async waitForQuota(call: map.CallInfo, signal: AbortSignal, waited: number, deadline: number): Promise<number> {
    const wait = this.quota.waitMs();
    if (wait <= 0) return 0;
    if (waited + wait > this.options.retry.budgetMs || this.timing.now() + wait >= deadline) throw map.quotaExhausted(call, wait);
    await this.timing.sleep(wait, signal);
    return wait;
  }

  private async sendOnce(req: HttpRequest, call: map.CallInfo, signal: AbortSignal): Promise<Attempt> {
    const early = req.probe ? undefined : this.breakers.refusal(req.operation);
    if (early) throw map.breakerOpen(call, early.retryInMs, early.scope);
    const release = await this.limiter.acquire(signal);
    try {
      const permits = this.breakers.acquire(req.operation, req.probe !== undefined);
      if (isRefusal(permits)) throw map.breakerOpen(call, permits.retryInMs, permits.scope);
      return await this.exchange(req, call, signal, permits);
    } finally {
      release();
    }
  }

  /**
   * One HTTP exchange, with its metrics and breaker outcomes. A host that cannot be reached counts
   * against the connection breaker only; any answer (or a timeout once connected) is the route's.
   */
  private async exchange(req: HttpRequest, call: map.CallInfo, signal: AbortSignal, permits: BreakerPermits): Promise<Attempt> {
    const labels = { upstream: this.upstream, operation: req.operation };
    const started = performance.now();
    let result: Attempt;
    const trackers = [this.deps.onUpstreamCall?.(this.upstream, req.operation), req.onUpstreamCall?.(this.upstream, req.operation)];
    const extraHeaders = Object.assign({}, ...trackers.map((t) => t?.headers)) as Record<string, string>;
    const finish = (status: string) => {
      const ms = performance.now() - started;
      this.metrics.requests.inc(copyWith(labels, { status }));
      this.metrics.duration.observe(labels, ms / 1000);
      for (const t of trackers) t?.done?.(status, ms);
    };
    try {
      result = await this.send(req, call, signal, extraHeaders);
    } catch (err) {
      permits.done({ route: 'failure', connection: 'cancelled' });
      finish('timeout');
      throw err;
    }
    if (!result.ok && result.failure.connection) {
      this.lastConnectionFailureAt = this.timing.now();
      permits.done({ route: 'cancelled', connection: 'failure' });
    } else {
      const unhealthy = !result.ok && result.failure.unhealthy;
      // Answered, or connected and then timed out: the host is reachable, the route is to blame.
      const connected = result.ok || result.failure.label !== 'timeout';
      permits.done({ route: unhealthy ? 'failure' : 'success', connection: connected ? 'success' : 'cancelled' });
    }
    finish(result.ok ? String(result.response.status) : result.failure.label);
    return result;
  }

  /** Sends and reads; rethrows only when the deadline aborted the exchange. */
  private async send(req: HttpRequest, call: map.CallInfo, signal: AbortSignal, extraHeaders: Record<string, string>): Promise<Attempt> {
    const url = buildUrl(this.deps.baseUrl, req.path, req.query);
    const { payload, contentType } = encodeBody(req.body);
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers, ...extraHeaders };
    if (contentType) headers['content-type'] = contentType;
    let status: number;
    let responseHeaders: Record<string, string>;
    let text: string | 'too-large';
    try {
      const res = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method as Dispatcher.HttpMethod,
        headers,
        body: payload,
        signal,
      });
      status = res.statusCode;
      responseHeaders = flattenHeaders(res.headers);
      const read = await readText(res.body, this.options.maxResponseBytes);
      text = read === 'too-large' ? read : read.take();
    } catch (err) {
      if (signal.aborted) throw err;
      return { ok: false, failure: map.fromNetworkError(call, err) };
    }
    this.observeQuota(responseHeaders);
    const parsed = text === 'too-large' ? undefined : parseBody(text, responseHeaders['content-type']);
    if (status >= 200 && status < 300) {
      if (parsed?.ok) return { ok: true, response: { status, headers: responseHeaders, body: parsed.value } };
      return { ok: false, failure: map.fromUnreadableBody(call, status, parsed ? parsed.problem : 'too-large') };
    }
    const retryAfterMs = parseRetryAfter(responseHeaders['retry-after'], this.timing.now());
    const upstreamCode = parsed?.ok ? upstreamCodeOf(parsed.value) : undefined;
    const htmlBody = parsed !== undefined && !parsed.ok && parsed.problem === 'html';
    return { ok: false, failure: map.fromStatus(call, status, { retryAfterMs, upstreamCode, htmlBody }) };
  }

  private observeQuota(headers: Record<string, string>): void {
    this.quota.observe(headers);
    const remaining = this.quota.remaining;
    if (remaining !== undefined) this.metrics.quotaRemaining.set({ upstream: this.upstream }, remaining);
  }

  /** Closes the pools: waits for calls in flight up to `graceMs`, then destroys what is left. */
  async close(graceMs = 5_000): Promise<void> {
    this.untrackBreaker();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([this.agent.close().then(() => 'closed' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.agent.destroy();
  }
}
