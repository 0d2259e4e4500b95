/**
 * Turns a request's credentials into a principal, once per request. `Authorization: Bearer <JWT>`
 * identifies a Harmony user by its email claim; `Authorization: ApiKey <key>` or `x-api-key`
 * identifies the owner of an API key. The principal itself comes from Harmony data through the
 * resolver (cached for PRINCIPAL_CACHE_TTL_SECONDS).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AuthenticationError, type JwtVerifier } from './jwt.js';
import type { Principal } from './principal.js';

export interface ApiKeyOwner {
  email: string;
  kind: 'HARMONY_USER' | 'EXTERNAL_USER';
}

export interface AuthenticatorDeps {
  verifyJwt: JwtVerifier;
  /** Looks an API key up (hash only); undefined for unknown, revoked or expired keys. */
  findApiKey(key: string): Promise<ApiKeyOwner | undefined>;
}

/** How one request turns an identity into a principal (through its own loaders). */
export interface PrincipalSources {
  /** The principal of a Harmony user, or undefined when the email is not a user of the org. */
  harmonyPrincipal(email: string): Promise<Principal | undefined>;
  /** The principal of an external user, or a reason code why the user may not call. */
  externalPrincipal(email: string): Promise<Principal | { refused: string }>;
}

export type Credentials = { kind: 'jwt'; token: string } | { kind: 'apiKey'; key: string };

/** Reads the credentials from the headers; undefined when none were sent. */
export function readCredentials(headers: IncomingHttpHeaders): Credentials | undefined {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const space = authorization.indexOf(' ');
    const scheme = (space > 0 ? authorization.slice(0, space) : authorization).toLowerCase();
    const value = space > 0 ? authorization.slice(space + 1).trim() : '';
    if (!value) throw new AuthenticationError('malformed_authorization', 'The Authorization header has no credentials.');
    if (scheme === 'bearer') return { kind: 'jwt', token: value };
    if (scheme === 'apikey') return { kind: 'apiKey', key: value };
    throw new AuthenticationError('unsupported_scheme', 'Use "Authorization: Bearer <JWT>" or "Authorization: ApiKey <key>".');
  }
  const apiKey = headers['x-api-key'];
  const key = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  if (key && key.trim()) return { kind: 'apiKey', key: key.trim() };
  return undefined;
}

export function createAuthenticator(deps: AuthenticatorDeps) {
  return async function authenticate(headers: IncomingHttpHeaders, sources: PrincipalSources): Promise<Principal> {
    const credentials = readCredentials(headers);
    if (!credentials) throw new AuthenticationError('missing_credentials', 'Authentication is required.');
    let owner: ApiKeyOwner;
    if (credentials.kind === 'jwt') {
      const token = await deps.verifyJwt(credentials.token);
      owner = { email: token.email, kind: 'HARMONY_USER' };
    } else {
      const found = await deps.findApiKey(credentials.key);
      if (!found) throw new AuthenticationError('invalid_api_key', 'The API key is not valid.');
      owner = found;
    }
    if (owner.kind === 'EXTERNAL_USER') {
      const result = await sources.externalPrincipal(owner.email);
      if ('refused' in result) throw new AuthenticationError(result.refused, 'This external user may not call the gateway.');
      return result;
    }
    const principal = await sources.harmonyPrincipal(owner.email);
    if (!principal) throw new AuthenticationError('unknown_user', 'The caller is not a user of the Harmony organization.');
    return principal;
  };
}
