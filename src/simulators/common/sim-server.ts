/**
 * The HTTP server under both simulators: routing, body reading, the `/__sim/` control routes,
 * request statistics by route template, and fault injection. Each simulator supplies its routes
 * and its own error shapes; nothing here knows about UEM or Harmony.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CaseInsensitiveQuery, type Router, type SimRequest, type SimResponse } from './router.js';
import { faultsApply, parseFaultConfig, SecondWindow, type FaultConfig } from './faults.js';

/** Thrown by a handler to answer with a given response (e.g. a 400 in the upstream's shape). */
export class SimHttpError extends Error {
  constructor(readonly response: SimResponse) {
    super(`simulated HTTP ${response.status}`);
  }
}

export type SimErrorKind = 'fault' | 'rate-limit' | 'bad-json' | 'too-large' | 'internal';

export interface SimServerOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  router: Router;
  /** An error in the upstream's own shape, for injected faults and malformed requests. */
  errorResponse(status: number, kind: SimErrorKind, message: string): SimResponse;
  /** The answer to an unknown route. */
  notFound(req: Omit<SimRequest, 'template' | 'params'>): SimResponse;
  /** Adds headers every upstream answer carries (e.g. UEM's `x-correlation-id`). */
  decorate?(req: SimRequest | undefined, res: SimResponse): SimResponse;
  /** A body cut short, sent for `malformedRate`. */
  malformedBody?: string;
  maxBodyBytes?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export interface SimStats {
  total: number;
  byRoute: Record<string, number>;
  /** The W3C `traceparent` headers of the last 200 requests that carried one (tracing tests). */
  traceparents: string[];
  /** The most requests of each route handled at the same time since the last reset. */
  peakInFlight: Record<string, number>;
}

const TRACEPARENTS_KEPT = 200;

export interface SimHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): SimStats;
  resetStats(): void;
  setFaults(config: FaultConfig): void;
  clearFaults(): void;
}

/** Parses a request body as JSON, or throws a 400 in the upstream's shape. */
export function jsonBody(req: SimRequest, options: Pick<SimServerOptions, 'errorResponse'>): unknown {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SimHttpError(options.errorResponse(400, 'bad-json', 'The request body is not valid JSON.'));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startSimServer(options: SimServerOptions): Promise<SimHandle> {
  const now = options.now ?? Date.now;
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  let faults: FaultConfig = {};
  let stats: SimStats = { total: 0, byRoute: {}, traceparents: [], peakInFlight: {} };
  const inFlight = new Map<string, number>();
  const window = new SecondWindow();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const send = (res: ServerResponse, response: SimResponse) => {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { ...response.headers };
    let payload: Buffer | string | undefined;
    if (response.body === undefined || response.body === null) {
      payload = undefined;
    } else if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) {
      payload = response.body;
    } else {
      payload = JSON.stringify(response.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    else if (response.status !== 204 && response.status !== 304) headers['content-length'] = '0';
    res.writeHead(response.status, headers);
    res.end(payload);
  };

  const control = async (method: string, path: string, body: Buffer): Promise<SimResponse | undefined> => {
    const p = path.toLowerCase().replace(/\/+$/, '');
    if (p === '/__sim/stats' && method === 'GET') return { status: 200, body: stats };
    if (p === '/__sim/stats/reset' && method === 'POST') {
      stats = { total: 0, byRoute: {}, traceparents: [], peakInFlight: {} };
      return { status: 200, body: { ok: true } };
    }
    if (p === '/__sim/faults' && method === 'GET') return { status: 200, body: faults };
    if (p === '/__sim/faults' && method === 'DELETE') {
      faults = {};
      return { status: 200, body: { ok: true } };
    }
    if (p === '/__sim/faults' && method === 'PUT') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return { status: 400, body: { error: 'the body must be JSON' } };
      }
      const result = parseFaultConfig(parsed);
      if (!result.ok) return { status: 400, body: { error: result.problems.join('; ') } };
      faults = result.config;
      return { status: 200, body: faults };
    }
    if (p.startsWith('/__sim')) return { status: 404, body: { error: `no control route ${method} ${path}` } };
    return undefined;
  };

  const readBody = (req: IncomingMessage): Promise<Buffer | 'too-large'> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    const body = await readBody(req);
    if (body === 'too-large') {
      const r = options.errorResponse(413, 'too-large', 'The request body is too large.');
      send(res, options.decorate?.(undefined, r) ?? r);
      return;
    }
    const controlResponse = await control(method, url.pathname, body);
    if (controlResponse) {
      send(res, controlResponse);
      return;
    }
    const query = new CaseInsensitiveQuery(url.searchParams);
    const match = options.router.match(method, url.pathname);
    if (!match) {
      send(res, options.notFound({ method, path: url.pathname, query, headers: req.headers, body }));
      return;
    }
    const simReq: SimRequest = {
      method,
      path: url.pathname,
      template: match.template,
      params: match.params,
      query,
      headers: req.headers,
      body,
    };
    const key = `${method} ${match.template}`;
    stats.total++;
    stats.byRoute[key] = (stats.byRoute[key] ?? 0) + 1;
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === 'string') {
      stats.traceparents.push(traceparent);
      if (stats.traceparents.length > TRACEPARENTS_KEPT) stats.traceparents.shift();
    }
    // How many requests of this route are being handled at once (tests check concurrency caps).
    const current = (inFlight.get(key) ?? 0) + 1;
    inFlight.set(key, current);
    stats.peakInFlight[key] = Math.max(stats.peakInFlight[key] ?? 0, current);
    try {
      const decorate = (r: SimResponse) => options.decorate?.(simReq, r) ?? r;

      const active = faultsApply(faults, method, match.template) ? faults : {};
      const delay = (active.latencyMs ?? 0) + (active.jitterMs ? Math.random() * active.jitterMs : 0);
      if (delay > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, delay);
          timers.add(t);
        });
      }
      if (closing || res.destroyed) return;
      if (active.rateLimitPerSecond !== undefined && window.over(active.rateLimitPerSecond, now())) {
        const r = options.errorResponse(429, 'rate-limit', 'Too many requests.');
        send(res, decorate({ ...r, headers: { ...r.headers, 'retry-after': '1' } }));
        return;
      }
      if (active.hangRate && Math.random() < active.hangRate) {
        return; // never answer; close() destroys the socket
      }
      if (active.errorRate && Math.random() < active.errorRate) {
        const status = active.errorStatus ?? 500;
        send(res, decorate(options.errorResponse(status, 'fault', 'Injected fault.')));
        return;
      }
      if (active.malformedRate && Math.random() < active.malformedRate) {
        send(res, decorate({
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: options.malformedBody ?? '{"truncated": [{"Id": ',
        }));
        return;
      }
      let response: SimResponse;
      try {
        response = await match.handler(simReq);
      } catch (err) {
        response =
          err instanceof SimHttpError
            ? err.response
            : options.errorResponse(500, 'internal', err instanceof Error ? err.message : 'internal error');
      }
      send(res, decorate(response));
    } finally {
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, { status: 500, body: 'internal simulator error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await Promise.race([closed, sleep(2_000)]);
    },
    stats: () => ({ total: stats.total, byRoute: { ...stats.byRoute }, traceparents: [...stats.traceparents], peakInFlight: { ...stats.peakInFlight } }),
    resetStats: () => {
      stats = { total: 0, byRoute: {}, traceparents: [], peakInFlight: {} };
    },
    setFaults: (config) => {
      faults = { ...config };
    },
    clearFaults: () => {
      faults = {};
    },
  };
}
