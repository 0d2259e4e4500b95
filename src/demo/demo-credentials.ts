/**
 * Demo mode's credentials file (docs/interfaces.md): the JWT secret, a ready JWT per Harmony persona and
 * an API key per ACTIVE external persona, written to `$DATA_DIR/demo-credentials.json` with mode
 * 0600. Keys are created once and reused across restarts (the store keeps only their hashes, so
 * the plain keys live only in this file).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { signJwt } from '../auth/jwt.js';

export interface DemoCredentials {
  jwtSecret: string;
  tokens: Record<string, string>;
  apiKeys: Record<string, string>;
}

const fileSchema = z.object({
  jwtSecret: z.string().min(32),
  tokens: z.record(z.string(), z.string()),
  apiKeys: z.record(z.string(), z.string()),
});

export const demoCredentialsPath = (dataDir: string) => resolve(dataDir, 'demo-credentials.json');

/** A previous run's file, if it is readable and well formed. */
export function readDemoCredentials(dataDir: string): DemoCredentials | undefined {
  const path = demoCredentialsPath(dataDir);
  if (!existsSync(path)) return undefined;
  try {
    return fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

export const generateJwtSecret = () => randomBytes(48).toString('base64url');

export interface DemoCredentialInputs {
  dataDir: string;
  jwtSecret: string;
  harmonyEmails: readonly string[];
  /** Makes an API key for an external persona, or returns the one kept from an earlier run. */
  apiKeyFor(email: string, previous: string | undefined): Promise<string>;
  externalEmails: readonly string[];
  /** Lifetime of the demo JWTs (default 24 h, the verifier's default maximum). */
  tokenTtlSeconds?: number;
}

export async function writeDemoCredentials(inputs: DemoCredentialInputs): Promise<{ path: string; credentials: DemoCredentials }> {
  const previous = readDemoCredentials(inputs.dataDir);
  const ttl = inputs.tokenTtlSeconds ?? 24 * 3600;
  const tokens: Record<string, string> = {};
  for (const email of inputs.harmonyEmails) tokens[email] = await signJwt(inputs.jwtSecret, email, ttl);
  const apiKeys: Record<string, string> = {};
  for (const email of inputs.externalEmails) apiKeys[email] = await inputs.apiKeyFor(email, previous?.apiKeys[email]);
  const credentials: DemoCredentials = { jwtSecret: inputs.jwtSecret, tokens, apiKeys };
  mkdirSync(inputs.dataDir, { recursive: true });
  const path = demoCredentialsPath(inputs.dataDir);
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, credentials };
}
