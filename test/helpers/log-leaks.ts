/**
 * Every gateway a test starts logs at debug level into memory; when it closes, its logs are
 * searched for every secret that test run used (upstream passwords, tenant code, OAuth client
 * secret, JWT secret, the tokens and API keys callers sent, upstream session tokens) and for
 * anything shaped like a JWT, an API key or a Harmony session token. A hit fails the test file.
 */
import { Writable } from 'node:stream';
import type { RunningApp } from '../../src/app.js';
import { API_KEY_PREFIX } from '../../src/store/api-keys.repository.js';

const SHAPES: [string, RegExp][] = [
  ['a JWT', /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ['an API key', new RegExp(`${API_KEY_PREFIX}[A-Za-z0-9_-]{40,}`)],
  ['a Harmony session token', /\b1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/],
];

export class LogCapture {
  private readonly chunks: string[] = [];
  /** Values callers sent as credentials during the test (tokens, API keys). */
  readonly used = new Set<string>();
  readonly stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      this.chunks.push(chunk.toString('utf8'));
      done();
    },
  });

  text(): string {
    return this.chunks.join('');
  }

  /** Notes the credentials in request headers (`authorization`, `x-api-key`). */
  noteHeaders(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower === 'authorization') this.used.add(value.replace(/^\S+\s+/, ''));
      if (lower === 'x-api-key' || lower === 'x-gateway-router-secret') this.used.add(value);
    }
  }

  /** What leaked: a description of each secret found in the logs (never the secret itself). */
  leaks(app: RunningApp, extraSecrets: readonly string[] = []): string[] {
    const text = this.text();
    const secrets = new Map<string, string>();
    const add = (what: string, value: string | undefined) => {
      if (value && value.length >= 6) secrets.set(value, what);
    };
    const { config } = app;
    add('UEM password', config.uem?.auth.kind === 'basic' ? config.uem.auth.password : undefined);
    add('UEM OAuth client secret', config.uem?.auth.kind === 'oauth' ? config.uem.auth.clientSecret : undefined);
    add('UEM tenant code', config.uem?.tenantCode);
    add('Harmony password', config.harmony?.password);
    add('JWT secret', config.auth.jwtSecret);
    for (const secret of config.subgraph?.routerSecrets ?? []) add('a subgraph router secret', secret);
    const uemSim = app.simulators.uem;
    add('UEM password', uemSim?.credentials.password);
    add('UEM tenant code', uemSim?.credentials.tenantCode);
    add('UEM OAuth client secret', uemSim?.credentials.clientSecret);
    for (const token of uemSim?.issuedTokens() ?? []) add('a UEM OAuth access token', token);
    add('Harmony password', app.simulators.harmony?.credentials.password);
    for (const value of [...this.used, ...extraSecrets]) add('a credential a caller sent', value);
    return secretsIn(text, secrets);
  }
}

/** Which of `secrets` (value → description), or of the secret shapes, occur in `text`. */
export function secretsIn(text: string, secrets: ReadonlyMap<string, string>): string[] {
  const found = [...secrets].filter(([value]) => text.includes(value)).map(([, what]) => what);
  for (const [what, shape] of SHAPES) if (shape.test(text)) found.push(`something shaped like ${what}`);
  return [...new Set(found)];
}
