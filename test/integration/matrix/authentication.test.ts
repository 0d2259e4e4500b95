/**
 * Authentication edge cases against OIDC through a JWKS URL: a loopback HTTP server in this test
 * serves the key set (RS256 keys made with jose), the gateway is configured with AUTH_JWKS_URL,
 * AUTH_ISSUER and AUTH_AUDIENCE. Every refusal is 401 UNAUTHENTICATED with a reason code, never a
 * stack trace, and never a hint of which part of a credential was right.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { startTestGateway, type GqlResult, type TestGateway } from '../../helpers/gateway.js';
import { ADA, RITA } from '../../helpers/matrix.table.js';
import { createKeyAs } from './authentication.kit.js';

const ISSUER = 'https://idp.test.example/';
const AUDIENCE = 'uem-harmony-gateway';
const SKEW_SECONDS = 30;
/** AUTH_JWKS_COOLDOWN_SECONDS: after a fetch, an unknown kid is refused this long without refetching. */
const COOLDOWN_MS = 1_000;
const pastCooldown = () => new Promise((r) => setTimeout(r, COOLDOWN_MS + 200));

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}
async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** The key set the loopback identity provider serves right now. */
let served: JWK[] = [];
let jwksFetches = 0;
let idp: Server;
let gw: TestGateway;
let key1: SigningKey;
/** The key the identity provider signs with now (the rotation test moves it on). */
let signing: SigningKey;

beforeAll(async () => {
  key1 = await newKey('key-1');
  signing = key1;
  served = [key1.jwk];
  idp = createServer((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const { port } = idp.address() as AddressInfo;
  gw = await startTestGateway({
    AUTH_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_CLOCK_SKEW_SECONDS: String(SKEW_SECONDS),
    AUTH_JWKS_COOLDOWN_SECONDS: String(COOLDOWN_MS / 1000),
  });
});
afterAll(async () => {
  await gw?.close();
  await new Promise((r) => idp?.close(r));
});

interface TokenOptions {
  key?: SigningKey;
  kid?: string;
  issuer?: string;
  audience?: string;
  /** Seconds from now. */
  expiresIn?: number;
  notBefore?: number;
  claims?: JWTPayload;
}
async function token(email: string, o: TokenOptions = {}): Promise<string> {
  const key = o.key ?? signing;
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ email, ...o.claims })
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? key.kid, typ: 'JWT' })
    .setSubject(email)
    .setIssuer(o.issuer ?? ISSUER)
    .setAudience(o.audience ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (o.expiresIn ?? 600));
  if (o.notBefore !== undefined) jwt = jwt.setNotBefore(now + o.notBefore);
  return jwt.sign(key.privateKey);
}

const VIEWER = `{ viewer { email } }`;
const ask = (authorization: string | undefined, headers: Record<string, string> = {}) =>
  gw.gql<{ viewer: { email: string } }>(VIEWER, { headers: { ...(authorization ? { authorization } : {}), ...headers } });
const bearer = async (t: string | Promise<string>) => ask(`Bearer ${await t}`);

function expectAccepted(result: GqlResult<{ viewer: { email: string } }>, email: string) {
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  expect(result.body.data?.viewer.email).toBe(email);
}
/** 401, UNAUTHENTICATED with `reason`, no stack trace, no internals. */
function expectRefused(result: GqlResult<unknown>, reason: string) {
  const text = JSON.stringify(result.body);
  expect(result.status, text).toBe(401);
  expect(result.body.errors).toHaveLength(1);
  expect(result.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason });
  expect(result.body.data ?? null).toBeNull();
  expect(text).not.toMatch(/stack|\bat .*\.(ts|js):\d+|node_modules|JOSE|ERR_/i);
  expect(result.headers.get('www-authenticate')).toBeTruthy();
}

describe('OIDC through a JWKS URL', () => {
  it('accepts a valid token and fetches the key set once for many requests', async () => {
    expectAccepted(await bearer(token(ADA)), ADA);
    const before = jwksFetches;
    for (let i = 0; i < 5; i++) expectAccepted(await bearer(token(RITA)), RITA);
    expect(jwksFetches).toBe(before);
  });

  it('refuses a wrong issuer or audience, with the claim as the reason', async () => {
    expectRefused(await bearer(token(ADA, { issuer: 'https://evil.example/' })), 'claim_iss');
    expectRefused(await bearer(token(ADA, { audience: 'someone-else' })), 'claim_aud');
  });

  it('tolerates the configured clock skew and no more', async () => {
    expectAccepted(await bearer(token(ADA, { expiresIn: -(SKEW_SECONDS - 10) })), ADA);
    expectRefused(await bearer(token(ADA, { expiresIn: -(SKEW_SECONDS + 60) })), 'token_expired');
    expectAccepted(await bearer(token(ADA, { notBefore: SKEW_SECONDS - 10 })), ADA);
    expectRefused(await bearer(token(ADA, { notBefore: SKEW_SECONDS + 60 })), 'claim_nbf');
  });

  it('follows a key rotation without a restart: a token signed with a new kid works', async () => {
    const key2 = await newKey('key-2');
    served = [key1.jwk, key2.jwk];
    // The identity provider publishes key-2 and starts signing with it; past the cooldown of the
    // last fetch, the first token naming it makes the gateway fetch the set again.
    await pastCooldown();
    const before = jwksFetches;
    expectAccepted(await bearer(token(RITA, { key: key2 })), RITA);
    expect(jwksFetches).toBe(before + 1);
    expectAccepted(await bearer(token(ADA)), ADA);
    // key-1 retired: once the set is fetched again, tokens signed with it are refused.
    const key3 = await newKey('key-3');
    served = [key2.jwk, key3.jwk];
    await pastCooldown();
    expectAccepted(await bearer(token(ADA, { key: key3 })), ADA);
    expectRefused(await bearer(token(ADA, { key: key1 })), 'unknown_key');
    signing = key3;
  });

  it('refuses unknown keys and wrong signatures, saying neither which kid nor which key exists', async () => {
    await pastCooldown();
    const stranger = await newKey('key-unknown');
    expectRefused(await bearer(token(ADA, { key: stranger })), 'unknown_key');
    // Signed by another key under a kid the set has: the signature does not verify.
    const forged = await newKey('forged');
    const current = served[0]!.kid!;
    expectRefused(await bearer(token(ADA, { key: forged, kid: current })), 'invalid_signature');
  });

  it('refuses malformed tokens, a symmetric algorithm, a token without email, and unknown users', async () => {
    expectRefused(await ask('Bearer not-a-jwt'), 'malformed_token');
    expectRefused(await ask('Bearer a.b.c'), 'malformed_token');
    const hs = await new SignJWT({ email: ADA }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(new TextEncoder().encode('x'.repeat(32)));
    expectRefused(await ask(`Bearer ${hs}`), 'algorithm_not_allowed');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ email: ADA, exp: 9e9 })).toString('base64url')}.`;
    expect((await ask(`Bearer ${none}`)).status).toBe(401);
    expectRefused(await bearer(token(ADA, { claims: { email: undefined } })), 'missing_email');
    expectRefused(await bearer(token('nobody@demo.example')), 'unknown_user');
    expectRefused(await ask(undefined), 'missing_credentials');
    expectRefused(await ask('Basic YWRhOnB3'), 'unsupported_scheme');
    expectRefused(await ask('Bearer'), 'malformed_authorization');
  });
});

describe('API keys', () => {
  it('refuse unknown, mangled and revoked keys alike, never saying which part was right', async () => {
    const adminToken = await token(ADA);
    const { key, id } = await createKeyAs(gw, adminToken, 'pat.partner@partner.example');
    const mangled = `${key.slice(0, -4)}${key.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const refusals = [await ask(`ApiKey uhg_${'x'.repeat(40)}`), await ask(`ApiKey ${mangled}`), await ask(undefined, { 'x-api-key': 'nonsense' })];
    const revoke = await gw.gql(`mutation { revokeApiKey(id: "${id}") { revoked } }`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(revoke.body.errors).toBeUndefined();
    refusals.push(await ask(`ApiKey ${key}`));
    for (const r of refusals) expectRefused(r, 'invalid_api_key');
    // One message for every case: nothing tells a guessed prefix from a revoked key.
    expect(new Set(refusals.map((r) => r.body.errors?.[0]?.message)).size).toBe(1);
  });
});
