/**
 * Verification of callers' JWTs: HS256 with the configured secret, or OIDC through a JWKS URL
 * (jose's remote key set caches keys and refetches on an unknown `kid`, which handles rotation).
 * Failures carry a reason code, never a hint about the secret. A token may live at most
 * `maxLifetimeSeconds` (`exp - iat`; without `iat`, `exp` may lie at most that far ahead): a leaked
 * token minted to last for years is refused however valid its signature.
 */
import { webcrypto } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { Lru } from '../safety/lru.js';

export class AuthenticationError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export interface JwtOptions {
  secret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  clockSkewSeconds: number;
  /**
   * After fetching the key set, how long a token with an unknown `kid` is refused without fetching
   * again (protects the identity provider from tokens with made-up kids). A rotated-in key is
   * picked up on the first token that names it once this has passed. Default 30.
   */
  jwksCooldownSeconds?: number;
  /** Longest lifetime accepted (`exp - iat`, or `exp - now` without `iat`). Default 24 h. */
  maxLifetimeSeconds?: number;
  /** The verifier's clock in milliseconds (tests move it); default `Date.now`. */
  now?: () => number;
}

/**
 * The lifetime a token claims: `exp - iat`, or what is left of it (`exp - now`) without `iat`. An
 * `iat` in the future counts from now, so a made-up issue date cannot stretch the window.
 */
export function claimedLifetimeSeconds(payload: JWTPayload, nowSeconds: number): number | undefined {
  if (typeof payload.exp !== 'number') return undefined;
  const issued = typeof payload.iat === 'number' ? Math.min(payload.iat, nowSeconds) : nowSeconds;
  return payload.exp - issued;
}

export interface VerifiedToken {
  email: string;
  subject: string | undefined;
}

export type JwtVerifier = (token: string) => Promise<VerifiedToken>;

export const DEFAULT_MAX_LIFETIME_SECONDS = 86_400;

export function createJwtVerifier(options: JwtOptions): JwtVerifier {
  let key: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: (options.jwksCooldownSeconds ?? 30) * 1000,
      cacheMaxAge: 600_000,
    });
    algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];
  } else if (options.secret) {
    // Imported once: given the raw bytes, jose imports the key again for every token it verifies
    // (a few percent of a loaded gateway's CPU).
    key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    // A failed import fails each verification (verification_unavailable), not the process.
    key.catch(() => undefined);
    algorithms = ['HS256'];
  } else {
    throw new Error('a JWT secret or a JWKS URL is required');
  }
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const now = options.now ?? Date.now;
  const verify = async (token: string): Promise<{ verified: VerifiedToken; exp: number }> => {
    let payload: JWTPayload;
    try {
      const verifyOptions = {
        algorithms,
        clockTolerance: options.clockSkewSeconds,
        requiredClaims: ['exp'],
        currentDate: new Date(now()),
        ...(options.issuer ? { issuer: options.issuer } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
      };
      payload =
        typeof key === 'function'
          ? (await jwtVerify(token, key, verifyOptions)).payload
          : (await jwtVerify(token, await key, verifyOptions)).payload;
    } catch (err) {
      throw toAuthError(err);
    }
    const lifetime = claimedLifetimeSeconds(payload, Math.floor(now() / 1000));
    if (lifetime !== undefined && lifetime > maxLifetime + options.clockSkewSeconds) {
      throw new AuthenticationError(
        'token_lifetime_too_long',
        `The token is valid for ${lifetime} s; this gateway accepts tokens valid for at most ${maxLifetime} s (exp - iat). Ask the identity provider for a shorter-lived token.`,
      );
    }
    const email = payload.email;
    if (typeof email !== 'string' || !email.includes('@')) {
      throw new AuthenticationError('missing_email', 'The token has no email claim.');
    }
    return { verified: { email: email.toLowerCase(), subject: payload.sub }, exp: payload.exp ?? 0 };
  };
  return rememberVerified(verify, { now, clockSkewSeconds: options.clockSkewSeconds });
}

/** How many verified tokens are kept, and for how long at most (a key rotated out of a JWKS stops a kept token within this). */
const VERIFIED_TOKENS = 1_000;
const VERIFIED_TTL_MS = 60_000;

/**
 * A caller sends the same token with every request until it expires: its signature and claims are
 * checked once, and the answer kept (by the whole token: only the same bytes find it) until the
 * token expires or a minute has passed, whichever is first; a kept token past its `exp` is
 * verified again, so it is refused exactly as before. Checking an HS256 signature through WebCrypto
 * was ~5 % of a loaded gateway's CPU. Refusals are not kept.
 */
function rememberVerified(
  verify: (token: string) => Promise<{ verified: VerifiedToken; exp: number }>,
  clock: { now: () => number; clockSkewSeconds: number },
): JwtVerifier {
  const kept = new Lru<{ verified: VerifiedToken; exp: number }>(VERIFIED_TOKENS, VERIFIED_TTL_MS, clock.now);
  return async (token) => {
    const hit = kept.get(token);
    // As jose decides: expired once `exp` <= now - tolerance (whole seconds).
    if (hit && hit.exp > Math.floor(clock.now() / 1000) - clock.clockSkewSeconds) return hit.verified;
    kept.delete(token);
    const checked = await verify(token);
    kept.set(token, checked);
    return checked.verified;
  };
}

function toAuthError(err: unknown): AuthenticationError {
  if (err instanceof errors.JWTExpired) return new AuthenticationError('token_expired', 'The token has expired.');
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new AuthenticationError(`claim_${err.claim}`, `The token's "${err.claim}" claim is not accepted.`);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return new AuthenticationError('invalid_signature', 'The token signature does not verify.');
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return new AuthenticationError('algorithm_not_allowed', 'The token algorithm is not accepted.');
  if (err instanceof errors.JWKSNoMatchingKey) return new AuthenticationError('unknown_key', 'The token was signed with an unknown key.');
  if (err instanceof errors.JWKSTimeout || !(err instanceof errors.JOSEError)) {
    return new AuthenticationError('verification_unavailable', 'The token could not be verified right now.');
  }
  return new AuthenticationError('malformed_token', 'The token is malformed.');
}

/** Signs an HS256 token for a Harmony user (demo mode and tests). */
export async function signJwt(secret: string, email: string, ttlSeconds: number, extra: JWTPayload = {}): Promise<string> {
  return new SignJWT({ email, ...extra })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(email)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
