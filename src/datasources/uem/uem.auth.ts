/**
 * UEM authentication (docs/upstreams/uem.md): Basic with the API-only admin, or OAuth2 client
 * credentials. The OAuth token is cached and renewed shortly before it expires, with one refresh
 * in flight however many calls need it; a call answered 401 drops exactly the token it used, so
 * concurrent 401s lead to one refresh, and retries once with the fresh token.
 */
import { z } from 'zod';
import type { HttpClient, UpstreamCallObserver } from '../upstream-http/http-client.js';
import { parseShape } from '../upstream-http/validate.js';

export type UemAuthOptions =
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth';
      /** e.g. `https://na.uemauth.workspaceone.com/connect/token` (may be another origin than the API). */
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
    };

export interface UemAuth {
  /** The `Authorization` header value for the next call. */
  authorization(onUpstreamCall?: UpstreamCallObserver): Promise<string>;
  /** A call with `authorization` was answered 401: true when a fresh credential may help (then retry once). */
  rejected(authorization: string): boolean;
}

export class BasicAuth implements UemAuth {
  private readonly header: string;

  constructor(username: string, password: string) {
    this.header = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }

  authorization(): Promise<string> {
    return Promise.resolve(this.header);
  }

  rejected(): boolean {
    return false;
  }
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  token_type: z.string().optional(),
});

/** Used when the token endpoint does not say (UEM's tokens last an hour). */
const DEFAULT_LIFETIME_S = 3_600;

export class OAuthTokenCache implements UemAuth {
  private current: { header: string; renewAt: number } | undefined;
  private inFlight: Promise<string> | undefined;
  private fetched = 0;

  constructor(
    private readonly client: HttpClient,
    private readonly options: { tokenUrl: string; clientId: string; clientSecret: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** Tokens fetched so far (for tests and diagnostics). */
  get tokensFetched(): number {
    return this.fetched;
  }

  authorization(onUpstreamCall?: UpstreamCallObserver): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return Promise.resolve(this.current.header);
    this.inFlight ??= this.fetchToken(onUpstreamCall).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  rejected(authorization: string): boolean {
    if (this.current?.header === authorization) this.current = undefined;
    return true;
  }

  private async fetchToken(onUpstreamCall?: UpstreamCallObserver): Promise<string> {
    this.fetched++;
    const { tokenUrl, clientId, clientSecret } = this.options;
    const res = await this.client.request({
      method: 'POST',
      path: tokenUrl,
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
      operation: 'oauth.token',
      // A second token request only issues a second token: safe to retry.
      idempotent: true,
      onUpstreamCall,
    });
    const token = parseShape(tokenSchema, res.body, { upstream: 'uem', operation: 'oauth.token' }, res.status);
    const lifetimeMs = (token.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    // Renew a minute early, or at nine tenths of a short lifetime.
    const margin = Math.min(60_000, lifetimeMs / 10);
    this.current = { header: `Bearer ${token.access_token}`, renewAt: this.now() + lifetimeMs - margin };
    return this.current.header;
  }
}

export function createUemAuth(options: UemAuthOptions, client: HttpClient, now?: () => number): UemAuth {
  return options.kind === 'basic' ? new BasicAuth(options.username, options.password) : new OAuthTokenCache(client, options, now);
}
