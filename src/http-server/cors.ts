/**
 * CORS for browser clients served from other origins (a single-page app on its dev server, a
 * portal). Preflights are answered here, before authentication: a browser sends them without
 * credentials. Allowed origins come from CORS_ORIGINS (exact origins or `*.` / `:*` patterns).
 *
 * Callers authenticate with headers (Authorization, x-api-key), never cookies, so a cross-origin
 * request that carries credentials always needs a preflight; Apollo's CSRF prevention stays on for
 * the requests a browser would send without one. A refused preflight answers 403 with the reason,
 * which the browser's network panel shows; the page itself sees only a failed fetch.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsConfig } from '../config.js';
import { appendVary, sendJson } from './responses.js';

/** Request headers a browser client may send (plus CORS_ALLOW_HEADERS). */
export const CORS_REQUEST_HEADERS = [
  'accept',
  'authorization',
  'content-type',
  'x-api-key',
  'x-request-id',
  'x-gateway-cost',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'traceparent',
  'tracestate',
] as const;

/** Response headers a page may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'www-authenticate', 'x-export-total-count', 'x-export-page-size'] as const;

const METHODS = 'GET, POST, OPTIONS';

export interface Cors {
  /**
   * Adds the CORS headers to a response of /graphql or /export; answers OPTIONS (preflight or
   * not) and returns true when it did, so nothing else runs for it.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

/** `https://*.example.com` → a test of an origin (scheme and host exact, `*` parts as patterns). */
function originMatcher(pattern: string): (origin: string) => boolean {
  if (pattern === '*') return () => true;
  const escaped = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/^(https?:\/\/)\*\\\./, '$1([a-z0-9-]+\\.)+')
    .replace(/:\*$/, '(:\\d{1,5})?');
  const regex = new RegExp(`^${escaped}$`);
  return (origin) => regex.test(origin);
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function createCors(config: CorsConfig): Cors {
  const any = config.origins.includes('*');
  const matchers = config.origins.map(originMatcher);
  const allowedHeaders = new Set<string>([...CORS_REQUEST_HEADERS, ...config.extraHeaders]);
  const allowHeaders = [...allowedHeaders].join(', ');
  const enabled = config.origins.length > 0;
  const allows = (origin: string) => matchers.some((m) => m(origin.toLowerCase()));

  /** The headers every response to an allowed origin carries. */
  function allowOrigin(res: ServerResponse, origin: string) {
    res.setHeader('access-control-allow-origin', any ? '*' : origin);
    if (config.credentials) res.setHeader('access-control-allow-credentials', 'true');
  }

  function preflight(req: IncomingMessage, res: ServerResponse, origin: string | undefined): void {
    appendVary(res, 'origin, access-control-request-method, access-control-request-headers');
    const refuse = (reason: string) => sendJson(res, 403, { error: reason });
    if (!origin) return refuse('A preflight without an Origin header.');
    if (!enabled) return refuse('Cross-origin requests are not enabled on this gateway (CORS_ORIGINS).');
    if (!allows(origin)) return refuse(`Origin ${origin} is not allowed (CORS_ORIGINS).`);
    const method = (single(req.headers['access-control-request-method']) ?? '').toUpperCase();
    if (method !== 'GET' && method !== 'POST') return refuse(`Method ${method || '(none)'} is not allowed: use GET or POST.`);
    const asked = (single(req.headers['access-control-request-headers']) ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== '');
    const refused = asked.filter((h) => !allowedHeaders.has(h));
    if (refused.length > 0) return refuse(`Request header ${refused.join(', ')} is not allowed (CORS_ALLOW_HEADERS adds headers).`);
    allowOrigin(res, origin);
    res.setHeader('access-control-allow-methods', METHODS);
    res.setHeader('access-control-allow-headers', allowHeaders);
    res.setHeader('access-control-max-age', String(config.maxAgeSeconds));
    // Chromium's Private Network Access: a public page calling a gateway on a private address.
    if (single(req.headers['access-control-request-private-network']) === 'true') {
      res.setHeader('access-control-allow-private-network', 'true');
    }
    res.writeHead(204, { 'content-length': '0' });
    res.end();
  }

  return {
    handle(req, res) {
      const origin = single(req.headers.origin);
      if ((req.method ?? 'GET').toUpperCase() === 'OPTIONS') {
        if (req.headers['access-control-request-method'] !== undefined) preflight(req, res, origin);
        else {
          res.writeHead(204, { allow: METHODS, 'content-length': '0' });
          res.end();
        }
        return true;
      }
      if (!enabled) return false;
      // The answer depends on the origin unless every origin gets `*`: caches must keep them apart.
      if (!any) appendVary(res, 'origin');
      if (origin && allows(origin)) {
        allowOrigin(res, origin);
        res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
      }
      return false;
    },
  };
}
