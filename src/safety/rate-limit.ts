/**
 * Rate limits: token buckets per principal (rates per principal kind) and, when the caller used an
 * API key, per key as well. The buckets live in the database (`rate_limit_buckets`), taken with one
 * atomic statement on the database clock, so every instance behind a load balancer shares them.
 * Admins are not exempt: the limits protect the upstreams' quotas, which admins spend like anyone.
 * Each instance spends small leases of tokens locally (token-leases.ts) so that a busy caller
 * costs one statement per lease, not one per request.
 */
import { createHash } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { RateLimit, SafetyConfig } from '../config.js';
import type { GraphQLContext } from '../context.js';
import { rateLimited } from './refusal.js';
import type { TokenLeases } from './token-leases.js';

/** The API key a request carries (`Authorization: ApiKey <key>` or `x-api-key`), if any. */
export function apiKeyOf(headers: { get(name: string): string | undefined }): string | undefined {
  const authorization = headers.get('authorization')?.trim();
  if (authorization) {
    const match = /^apikey\s+(\S+)$/i.exec(authorization);
    return match?.[1];
  }
  return headers.get('x-api-key')?.trim() || undefined;
}

/** Bucket key of an API key: a digest, so keys never reach the database in clear. */
const apiKeyBucket = (key: string) => `apikey:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;

/** Takes `cost` tokens (default 1) from the caller's bucket and, with an API key, from the key's. */
export async function checkRateLimits(
  ctx: GraphQLContext,
  limits: SafetyConfig['rateLimits'],
  headers: { get(name: string): string | undefined },
  leases: TokenLeases,
  cost = 1,
): Promise<GraphQLError | undefined> {
  const { principal } = ctx;
  const take = (key: string, limit: RateLimit) => leases.take(key, limit, ctx.services.store.rateLimit.takeTokens, cost);
  const key = apiKeyOf(headers);
  const [byPrincipal, byKey] = await Promise.all([
    take(`principal:${principal.kind}:${principal.email}`, limits[principal.kind]),
    key ? take(apiKeyBucket(key), limits.apiKey) : undefined,
  ]);
  if (!byPrincipal.allowed) return rateLimited(byPrincipal.retryAfterSeconds, 'principal');
  if (byKey && !byKey.allowed) return rateLimited(byKey.retryAfterSeconds, 'apiKey');
  return undefined;
}
