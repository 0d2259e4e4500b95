/**
 * UEM authentication: the `aw-tenant-code` header on every API call, then either Basic with the
 * API-only admin or a bearer token from the OAuth2 client-credentials endpoint (`/connect/token`,
 * which in the real product lives on a regional `uemauth` host and speaks RFC 6749 errors).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock.js';
import type { Handler, SimRequest, SimResponse } from '../common/router.js';
import { UemErrorCode, uemError } from './uem.errors.js';

export interface UemCredentials {
  tenantCode: string;
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
}

/** Issued bearer tokens and their expiry on the simulator's clock. */
export class TokenStore {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    readonly ttlSeconds: number,
  ) {}

  issue(): string {
    const now = this.clock.now();
    for (const [token, expiresAt] of this.tokens) if (expiresAt <= now) this.tokens.delete(token);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + this.ttlSeconds * 1000);
    return token;
  }

  live(): string[] {
    const now = this.clock.now();
    return [...this.tokens].filter(([, expiresAt]) => expiresAt > now).map(([token]) => token);
  }

  valid(token: string): boolean {
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && this.clock.now() < expiresAt;
  }
}

function header(req: Pick<SimRequest, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function decodeBasic(value: string): { user: string; secret: string } | undefined {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The error response for a request that may not pass, or undefined when it is authenticated. */
export function authenticate(req: SimRequest, creds: UemCredentials, tokens: TokenStore): SimResponse | undefined {
  if (header(req, 'aw-tenant-code') !== creds.tenantCode) {
    return uemError(403, UemErrorCode.TENANT_CODE, 'The aw-tenant-code header is missing or not a valid REST API key.');
  }
  const authorization = header(req, 'authorization') ?? '';
  const [scheme = '', value = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme.toLowerCase() === 'basic') {
    const basic = decodeBasic(value);
    if (basic && basic.user === creds.username && basic.secret === creds.password) return undefined;
  } else if (scheme.toLowerCase() === 'bearer') {
    if (tokens.valid(value)) return undefined;
    return uemError(401, UemErrorCode.UNAUTHORIZED, 'The access token is invalid or has expired.');
  }
  return uemError(401, UemErrorCode.UNAUTHORIZED, 'User credentials are invalid.');
}

const oauthError = (status: number, error: string, description: string): SimResponse => ({
  status,
  headers: { 'cache-control': 'no-store' },
  body: { error, error_description: description },
});

/** `POST /connect/token`: client credentials in the form body or as Basic. */
export function tokenHandler(creds: UemCredentials, tokens: TokenStore): Handler {
  return (req) => {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const basic = /^basic\s+/i.test(header(req, 'authorization') ?? '')
      ? decodeBasic((header(req, 'authorization') ?? '').replace(/^basic\s+/i, ''))
      : undefined;
    const clientId = form.get('client_id') ?? basic?.user;
    const clientSecret = form.get('client_secret') ?? basic?.secret;
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    }
    if (!clientId || clientSecret === undefined) return oauthError(400, 'invalid_request', 'client_id and client_secret are required.');
    if (clientId !== creds.clientId || clientSecret !== creds.clientSecret) {
      return oauthError(401, 'invalid_client', 'Unknown client or wrong secret.');
    }
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: { access_token: tokens.issue(), expires_in: tokens.ttlSeconds, token_type: 'Bearer', scope: 'api' },
    };
  };
}
