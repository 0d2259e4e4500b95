import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { AuthenticationError, createJwtVerifier, signJwt } from '../../../src/auth/jwt.js';
import { readCredentials } from '../../../src/auth/authenticate.js';

const secret = 's'.repeat(40);
const verify = createJwtVerifier({ secret, clockSkewSeconds: 5, issuer: 'https://idp.example', audience: 'gateway' });
const key = new TextEncoder().encode(secret);

const token = (claims: Record<string, unknown>, expSeconds: number, signingKey = key) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('https://idp.example')
    .setAudience('gateway')
    .setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds)
    .sign(signingKey);

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).not.toContain(secret);
    return (err as AuthenticationError).reason;
  }
  throw new Error('expected the token to be refused');
}

describe('JWT verification', () => {
  it('accepts a valid token and lower-cases the email', async () => {
    const result = await verify(await token({ email: 'Ada.Admin@Demo.example', sub: 'ada' }, 60));
    expect(result).toEqual({ email: 'ada.admin@demo.example', subject: 'ada' });
  });

  it('names why a token is refused', async () => {
    expect(await reason(verify(await token({ email: 'a@b.c' }, -60)))).toBe('token_expired');
    expect(await reason(verify(await token({ email: 'a@b.c' }, 60, new TextEncoder().encode('x'.repeat(40)))))).toBe('invalid_signature');
    expect(await reason(verify('not.a.jwt'))).toBe('malformed_token');
    expect(await reason(verify(await token({}, 60)))).toBe('missing_email');
    const wrongAudience = await new SignJWT({ email: 'a@b.c' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://idp.example')
      .setAudience('someone-else')
      .setExpirationTime('1h')
      .sign(key);
    expect(await reason(verify(wrongAudience))).toBe('claim_aud');
  });

  it('tolerates the configured clock skew', async () => {
    await expect(verify(await token({ email: 'a@b.c' }, -2))).resolves.toMatchObject({ email: 'a@b.c' });
  });

  it('refuses a token that claims to live longer than the configured maximum (exp - iat)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const signed = (claims: { iat?: number; exp: number }) => {
      const jwt = new SignJWT({ email: 'a@b.c' }).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://idp.example').setAudience('gateway').setExpirationTime(claims.exp);
      return (claims.iat === undefined ? jwt : jwt.setIssuedAt(claims.iat)).sign(key);
    };
    const hundredYears = await signed({ iat: now, exp: now + 100 * 365 * 86_400 });
    expect(await reason(verify(hundredYears))).toBe('token_lifetime_too_long');
    // Without iat, what is left of the token counts.
    expect(await reason(verify(await signed({ exp: now + 2 * 86_400 })))).toBe('token_lifetime_too_long');
    // An issue date in the future does not stretch the window.
    expect(await reason(verify(await signed({ iat: now + 10 * 86_400, exp: now + 10 * 86_400 + 3600 })))).toBe('token_lifetime_too_long');
    // Within 24 h (the default), and an old token near its end, are accepted.
    await expect(verify(await signed({ iat: now, exp: now + 86_400 }))).resolves.toMatchObject({ email: 'a@b.c' });
    await expect(verify(await signed({ exp: now + 3600 }))).resolves.toMatchObject({ email: 'a@b.c' });

    const hourly = createJwtVerifier({ secret, clockSkewSeconds: 5, maxLifetimeSeconds: 3600 });
    const day = await signJwt(secret, 'a@b.c', 86_400);
    const refused = await hourly(day).catch((err: unknown) => err as AuthenticationError);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect((refused as AuthenticationError).message).toMatch(/at most 3600 s/);
    await expect(hourly(await signJwt(secret, 'a@b.c', 3600))).resolves.toMatchObject({ email: 'a@b.c' });
  });

  it('refuses a token it verified before once it expires, at the second jose would', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    let clock = (exp - 10) * 1000;
    const timed = createJwtVerifier({ secret, clockSkewSeconds: 5, now: () => clock });
    const signed = (email: string) => new SignJWT({ email }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(key);
    const [ada, rita] = [await signed('ada@demo.example'), await signed('rita@demo.example')];
    await expect(timed(ada)).resolves.toEqual({ email: 'ada@demo.example', subject: undefined });
    // Each token answers for itself only.
    await expect(timed(rita)).resolves.toMatchObject({ email: 'rita@demo.example' });
    await expect(timed(ada)).resolves.toMatchObject({ email: 'ada@demo.example' });
    // Within the clock skew after exp: still accepted; at exp + skew: refused, kept or not.
    clock = (exp + 4) * 1000;
    await expect(timed(ada)).resolves.toMatchObject({ email: 'ada@demo.example' });
    clock = (exp + 5) * 1000;
    expect(await reason(timed(ada))).toBe('token_expired');
    expect(await reason(createJwtVerifier({ secret, clockSkewSeconds: 5, now: () => clock })(ada))).toBe('token_expired');
    // A refused token is not kept: it stays refused when the clock goes back to before its end.
    const tampered = `${rita.slice(0, -2)}${rita.endsWith('AA') ? 'BB' : 'AA'}`;
    clock = (exp - 10) * 1000;
    expect(await reason(timed(tampered))).toBe('invalid_signature');
    expect(await reason(timed(tampered))).toBe('invalid_signature');
  });

  it('signs demo tokens the verifier accepts', async () => {
    const plain = createJwtVerifier({ secret, clockSkewSeconds: 0 });
    await expect(plain(await signJwt(secret, 'rita.reader@demo.example', 60))).resolves.toMatchObject({
      email: 'rita.reader@demo.example',
    });
  });
});

describe('reading credentials', () => {
  it('reads Bearer, ApiKey and x-api-key, and nothing otherwise', () => {
    expect(readCredentials({ authorization: 'Bearer abc' })).toEqual({ kind: 'jwt', token: 'abc' });
    expect(readCredentials({ authorization: 'apikey k1' })).toEqual({ kind: 'apiKey', key: 'k1' });
    expect(readCredentials({ 'x-api-key': 'k2' })).toEqual({ kind: 'apiKey', key: 'k2' });
    expect(readCredentials({})).toBeUndefined();
    expect(() => readCredentials({ authorization: 'Basic Zm9v' })).toThrow(AuthenticationError);
    expect(() => readCredentials({ authorization: 'Bearer' })).toThrow(AuthenticationError);
  });
});
